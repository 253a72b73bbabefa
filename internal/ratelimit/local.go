package ratelimit

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// maxLocalKeys bounds the in-process limiter's memory: about a hundred bytes a key.
const maxLocalKeys = 100_000

// local is the in-process fallback: one token bucket per key (x/time/rate, which is GCRA in
// another form: a bucket of Burst tokens refilled at Rate per Period), with at most max keys.
type local struct {
	mu   sync.Mutex
	max  int
	now  func() time.Time
	keys map[string]*bucket
}

type bucket struct {
	lim Limit
	rl  *rate.Limiter
}

func newLocal(maxKeys int, now func() time.Time) *local {
	return &local{max: maxKeys, now: now, keys: map[string]*bucket{}}
}

// allow spends one token of key's bucket, if there is one.
func (c *local) allow(key string, lim Limit) Decision {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.keys[key]
	if b == nil || b.lim != lim {
		if b == nil && len(c.keys) >= c.max {
			c.evict(now)
		}
		b = &bucket{lim: lim, rl: rate.NewLimiter(rate.Every(lim.interval()), lim.Burst)}
		c.keys[key] = b
	}
	d := Decision{Limit: lim.Burst}
	r := b.rl.ReserveN(now, 1)
	if wait := r.DelayFrom(now); wait > 0 {
		r.CancelAt(now)
		d.RetryAfter = wait
	} else {
		d.Allowed = true
	}
	tokens := b.rl.TokensAt(now)
	d.Remaining = max(0, int(math.Floor(tokens)))
	d.Reset = time.Duration((float64(lim.Burst) - tokens) * float64(lim.interval()))
	d.Reset = max(0, d.Reset)
	return d
}

// evict makes room: first it forgets keys whose bucket has refilled (forgetting them changes
// nothing), and if every key is still busy it forgets an arbitrary tenth of them, which gives
// those clients a fresh budget rather than letting memory grow without bound.
func (c *local) evict(now time.Time) {
	for k, b := range c.keys {
		if b.rl.TokensAt(now) >= float64(b.lim.Burst) {
			delete(c.keys, k)
		}
	}
	for k := range c.keys {
		if len(c.keys) < c.max-c.max/10 {
			break
		}
		delete(c.keys, k)
	}
}
