package ratelimit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/acme/orders/internal/platform/cache"
)

// BackoffPolicy says how many attempts on one key are free and how the wait grows after them.
type BackoffPolicy struct {
	Free   int           // attempts allowed before any wait
	Base   time.Duration // the wait after the first attempt beyond Free; it doubles with each further one
	Max    time.Duration // the wait never exceeds this, so nobody can lock anyone out for longer
	Window time.Duration // attempts are forgotten this long after the last one
}

// DefaultBackoff is the policy for sign-in: five free attempts, then 1 s, 2 s, 4 s … up to a
// minute between attempts; forgotten after 15 minutes of quiet.
var DefaultBackoff = BackoffPolicy{Free: 5, Base: time.Second, Max: time.Minute, Window: 15 * time.Minute}

// Backoff spaces out attempts on one key (an account, a client address) that keep failing:
// each attempt is counted when it is admitted, a few are free, then every further attempt
// closes the key for a wait that doubles up to a cap. A success resets the key. Counters live
// in Redis, so every API replica sees the same attempts; when Redis fails, each process counts
// on its own until it is back.
type Backoff struct {
	rdb     *redis.Client
	policy  BackoffPolicy
	breaker cache.Breaker
	now     func() time.Time

	mu    sync.Mutex
	local map[string]*attempts
}

type attempts struct {
	n          int
	closedTill time.Time
	last       time.Time
}

// NewBackoff returns a Backoff on rdb (nil: in-process only).
func NewBackoff(rdb *redis.Client, policy BackoffPolicy) *Backoff {
	return &Backoff{rdb: rdb, policy: policy, now: time.Now, local: map[string]*attempts{}}
}

// delay is the wait that follows the n-th attempt.
func (p BackoffPolicy) delay(n int) time.Duration {
	if n <= p.Free {
		return 0
	}
	d := float64(p.Base) * math.Pow(2, float64(n-p.Free-1))
	return time.Duration(min(d, float64(p.Max)))
}

// keyOf hashes the caller's key, so that no email address is stored in Redis in the clear.
func keyOf(scope, key string) string {
	sum := sha256.Sum256([]byte(key))
	return "bo:" + scope + ":" + hex.EncodeToString(sum[:12])
}

// admitScript refuses an attempt while the key is closed (returning the milliseconds left);
// otherwise it counts the attempt and closes the key for the wait that follows it.
var admitScript = redis.NewScript(`
local left = redis.call('PTTL', KEYS[2])
if left > 0 then return left end
local n = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
local free, base, cap = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
if n > free then
  local d = math.min(base * 2 ^ (n - free - 1), cap)
  redis.call('SET', KEYS[2], '1', 'PX', math.floor(d))
end
return 0`)

// Admit counts one attempt on key within scope. It reports whether the attempt may go ahead
// and, when not, how long until the next one may.
func (b *Backoff) Admit(ctx context.Context, scope, key string) (bool, time.Duration) {
	k := keyOf(scope, key)
	if b.rdb != nil && b.breaker.Allow() {
		left, err := admitScript.Run(ctx, b.rdb, []string{k, k + ":closed"},
			b.policy.Window.Milliseconds(), b.policy.Free, b.policy.Base.Milliseconds(), b.policy.Max.Milliseconds()).Int64()
		b.breaker.Record(err)
		if err == nil {
			return left <= 0, time.Duration(left) * time.Millisecond
		}
	}
	return b.admitLocal(k)
}

func (b *Backoff) admitLocal(k string) (bool, time.Duration) {
	now := b.now()
	b.mu.Lock()
	defer b.mu.Unlock()
	a := b.local[k]
	if a == nil || now.Sub(a.last) > b.policy.Window {
		if len(b.local) > 100_000 {
			b.forgetQuiet(now)
		}
		a = &attempts{}
		b.local[k] = a
	}
	if left := a.closedTill.Sub(now); left > 0 {
		return false, left
	}
	a.n++
	a.last = now
	a.closedTill = now.Add(b.policy.delay(a.n))
	return true, 0
}

func (b *Backoff) forgetQuiet(now time.Time) {
	for k, a := range b.local {
		if now.Sub(a.last) > b.policy.Window {
			delete(b.local, k)
		}
	}
}

// Reset forgets the attempts on key within scope, after a success.
func (b *Backoff) Reset(ctx context.Context, scope, key string) {
	k := keyOf(scope, key)
	b.mu.Lock()
	delete(b.local, k)
	b.mu.Unlock()
	if b.rdb != nil && b.breaker.Allow() {
		b.breaker.Record(b.rdb.Del(context.WithoutCancel(ctx), k, k+":closed").Err())
	}
}

// RetryAfterSeconds rounds a wait up to whole seconds, at least one, for a Retry-After header.
func RetryAfterSeconds(d time.Duration) string {
	return strconv.Itoa(max(1, int((d+time.Second-1)/time.Second)))
}
