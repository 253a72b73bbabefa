package cache

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Responses caches rendered responses under versioned namespaces: a key is built from the
// namespace's current version, and bumping the version (when the data behind it changes)
// makes every older key unreachable at once; they expire on their own. Every call is best
// effort: when Redis fails, Responses reports a miss, skips Redis for a second, and the caller
// reads from PostgreSQL.
type Responses struct {
	rdb     *redis.Client // nil: caching off
	ttl     time.Duration
	breaker Breaker
}

// NewResponses returns a response cache on rdb (nil turns caching off); entries live for ttl.
func NewResponses(rdb *redis.Client, ttl time.Duration) *Responses {
	return &Responses{rdb: rdb, ttl: ttl}
}

func (c *Responses) usable() bool {
	return c != nil && c.rdb != nil && c.breaker.Allow()
}

func (c *Responses) failed(err error) { c.breaker.Record(err) }

func versionKey(namespace string) string { return "ver:" + namespace }

// Key returns the cache key for part within namespace at the namespace's current version, or
// "" when the cache cannot be used now.
func (c *Responses) Key(ctx context.Context, namespace, part string) string {
	if !c.usable() {
		return ""
	}
	v, err := c.rdb.Get(ctx, versionKey(namespace)).Int64()
	if err != nil && !errors.Is(err, redis.Nil) {
		c.failed(err)
		return ""
	}
	return "resp:" + namespace + ":" + strconv.FormatInt(v, 10) + ":" + part
}

// Get returns the cached body under key, if any.
func (c *Responses) Get(ctx context.Context, key string) ([]byte, bool) {
	if key == "" || !c.usable() {
		return nil, false
	}
	b, err := c.rdb.Get(ctx, key).Bytes()
	c.failed(err)
	return b, err == nil
}

// Set stores body under key.
func (c *Responses) Set(ctx context.Context, key string, body []byte) {
	if key == "" || !c.usable() {
		return
	}
	c.failed(c.rdb.Set(ctx, key, body, c.ttl).Err())
}

// Bump moves the given namespaces to a new version (see Bump), so that their cached responses
// are no longer served.
func (c *Responses) Bump(ctx context.Context, namespaces ...string) error {
	if c == nil {
		return nil
	}
	return Bump(ctx, c.rdb, namespaces...)
}
