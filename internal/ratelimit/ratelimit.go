// Package ratelimit counts requests per key in fixed time windows. Counters live in Redis so
// that every API replica shares them; when Redis does not answer within a few milliseconds, an
// in-process counter takes over for that call, so a Redis outage never blocks or fails a
// request (each replica then limits on its own).
package ratelimit

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/acme/orders/internal/platform/cache"
)

// Limiter decides whether one more request fits in the current window.
type Limiter struct {
	rdb     *redis.Client // nil: in-process only
	timeout time.Duration
	now     func() time.Time

	breaker cache.Breaker

	mu     sync.Mutex
	counts map[string]*window
}

type window struct {
	start time.Time
	n     int
}

// New returns a Limiter on rdb (which may be nil).
func New(rdb *redis.Client) *Limiter {
	return &Limiter{rdb: rdb, timeout: 50 * time.Millisecond, now: time.Now, counts: map[string]*window{}}
}

// Allow counts one request for key and reports whether it is within limit for the window
// that contains now, and if not, how long until that window ends.
func (l *Limiter) Allow(ctx context.Context, key string, limit int, per time.Duration) (bool, time.Duration) {
	now := l.now()
	start := now.Truncate(per)
	retry := start.Add(per).Sub(now)
	if l.rdb != nil && l.breaker.Allow() {
		n, err := l.redisCount(ctx, key, start, per)
		l.breaker.Record(err)
		if err == nil {
			return n <= int64(limit), retry
		}
	}
	return l.localCount(key, start) <= limit, retry
}

func (l *Limiter) redisCount(ctx context.Context, key string, start time.Time, per time.Duration) (int64, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.timeout)
	defer cancel()
	k := "rl:" + key + ":" + strconv.FormatInt(start.Unix(), 10)
	pipe := l.rdb.Pipeline()
	incr := pipe.Incr(ctx, k)
	pipe.Expire(ctx, k, per+time.Second)
	if _, err := pipe.Exec(ctx); err != nil {
		return 0, err
	}
	return incr.Val(), nil
}

func (l *Limiter) localCount(key string, start time.Time) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	w, ok := l.counts[key]
	if !ok || !w.start.Equal(start) {
		if len(l.counts) > 100_000 {
			for k, old := range l.counts {
				if old.start.Before(start) {
					delete(l.counts, k)
				}
			}
		}
		w = &window{start: start}
		l.counts[key] = w
	}
	w.n++
	return w.n
}
