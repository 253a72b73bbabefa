// Package ratelimit limits requests per key with the generic cell rate algorithm (GCRA): a key
// has a budget of Burst requests that refills at a steady Rate per Period, so a client can
// spend its budget at once and then go on at the sustained rate, but can never double it at a
// window edge as a fixed-window counter allows.
//
// The shared state lives in Redis (github.com/go-redis/redis_rate, whose Lua script keeps one
// "theoretical arrival time" per key), so that every API replica spends the same budget. Redis
// is best effort: each call has a short timeout, a failure makes the limiter skip Redis for a
// second (cache.Breaker), and meanwhile an in-process GCRA limiter per key
// (golang.org/x/time/rate) decides, so a Redis outage never blocks or fails a request; each
// replica then limits on its own until Redis answers again.
package ratelimit

import (
	"context"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/acme/orders/internal/platform/cache"
)

// Limit is a sustained rate of Rate requests per Period with a budget of Burst requests that
// may be spent at once.
type Limit struct {
	Rate   int
	Period time.Duration
	Burst  int
}

// PerMinute is n requests a minute with a burst of n: a fresh client may send n requests at
// once, and then one every minute/n. Within any minute it gets at most n at once plus what
// refills meanwhile, never the 2n in a second that a fixed window allows at its edge.
func PerMinute(n int) Limit { return Limit{Rate: n, Period: time.Minute, Burst: n} }

// valid reports whether the limit can be applied at all.
func (l Limit) valid() bool { return l.Rate > 0 && l.Period > 0 && l.Burst > 0 }

// interval is the time it takes to earn one request back.
func (l Limit) interval() time.Duration { return l.Period / time.Duration(l.Rate) }

// Decision is the limiter's answer for one request.
type Decision struct {
	Allowed bool
	// Limit is the budget of the key: the most requests it may make at once (the burst).
	Limit int
	// Remaining is how many more requests the key could make right now.
	Remaining int
	// RetryAfter is how long until the next request would be allowed; 0 when this one was.
	RetryAfter time.Duration
	// Reset is how long until the key's whole budget is available again.
	Reset time.Duration
	// Shared reports whether Redis decided (true) or the in-process fallback (false).
	Shared bool
}

// Limiter decides whether one more request on a key fits its Limit.
type Limiter struct {
	rdb     *redis.Client // nil: in-process only
	gcra    *redis_rate.Limiter
	timeout time.Duration
	breaker cache.Breaker
	local   *local
}

// DefaultTimeout is how long a Redis decision may take before the in-process one is used.
const DefaultTimeout = 50 * time.Millisecond

// New returns a Limiter on rdb (which may be nil: in-process only).
func New(rdb *redis.Client) *Limiter {
	l := &Limiter{rdb: rdb, timeout: DefaultTimeout, local: newLocal(maxLocalKeys, time.Now)}
	if rdb != nil {
		l.gcra = redis_rate.NewLimiter(rdb)
	}
	return l
}

// WithTimeout sets how long a Redis decision may take before the in-process one is used
// (DefaultTimeout otherwise), and returns l.
func (l *Limiter) WithTimeout(d time.Duration) *Limiter {
	l.timeout = d
	return l
}

// Allow spends one request of key's budget under lim and says whether it was allowed. It never
// fails: when Redis does not answer in time the in-process limiter decides. An invalid limit
// (zero rate, period or burst) allows everything.
func (l *Limiter) Allow(ctx context.Context, key string, lim Limit) Decision {
	if !lim.valid() {
		return Decision{Allowed: true, Limit: lim.Burst, Remaining: lim.Burst}
	}
	if l.gcra != nil && l.breaker.Allow() {
		d, err := l.shared(ctx, key, lim)
		l.breaker.Record(err)
		if err == nil {
			return d
		}
	}
	return l.local.allow(key, lim)
}

// shared asks Redis, within the limiter's timeout even if the request's context is longer
// or already cancelled (a decision is needed either way).
func (l *Limiter) shared(ctx context.Context, key string, lim Limit) (Decision, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.timeout)
	defer cancel()
	res, err := l.gcra.Allow(ctx, key, redis_rate.Limit{Rate: lim.Rate, Period: lim.Period, Burst: lim.Burst})
	if err != nil {
		return Decision{}, err
	}
	d := Decision{Allowed: res.Allowed > 0, Limit: lim.Burst, Remaining: max(0, res.Remaining), Reset: max(0, res.ResetAfter), Shared: true}
	if !d.Allowed {
		d.RetryAfter = max(res.RetryAfter, time.Millisecond)
	}
	return d, nil
}
