package cache

import (
	"errors"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Breaker skips Redis for a second after a call to it failed, so that an outage costs one
// short timeout per second rather than one per request. The zero value is closed (Redis is
// tried).
type Breaker struct{ downUntil atomic.Int64 }

// Allow reports whether Redis may be tried now.
func (b *Breaker) Allow() bool { return time.Now().UnixNano() >= b.downUntil.Load() }

// Record notes the outcome of a Redis call: any error but redis.Nil (a plain miss) opens the
// breaker for a second.
func (b *Breaker) Record(err error) {
	if err != nil && !errors.Is(err, redis.Nil) {
		b.downUntil.Store(time.Now().Add(time.Second).UnixNano())
	}
}
