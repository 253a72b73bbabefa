// Package cache opens the Redis client with short timeouts: Redis is best effort here (cache
// and rate-limit counters), so a slow or absent Redis must cost a request milliseconds, not
// seconds.
package cache

import (
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Open returns a client for url (redis:// or rediss://). It does not connect until first use.
func Open(url string) (*redis.Client, error) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("parse REDIS_URL: %w", err)
	}
	opts.DialTimeout = 200 * time.Millisecond
	opts.ReadTimeout = 100 * time.Millisecond
	opts.WriteTimeout = 100 * time.Millisecond
	opts.PoolTimeout = 100 * time.Millisecond
	opts.MaxRetries = 0
	opts.ContextTimeoutEnabled = true
	return redis.NewClient(opts), nil
}
