package cache

import (
	"context"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"
)

// AuthzVersions keeps each user's current authz version in Redis for a few seconds, so that
// privileged requests can check that their token is still current without a database read.
// It is best effort: a miss or a failing Redis sends the check to PostgreSQL, never lets it
// through. It implements auth.AuthzCache.
type AuthzVersions struct {
	rdb     *redis.Client // nil: every check reads PostgreSQL
	ttl     time.Duration
	breaker Breaker
}

// AuthzVersionTTL is how long a remembered version is trusted. A role change stores the new
// version at once; only if that write fails can an old token pass a privileged route, and for
// at most this long.
const AuthzVersionTTL = 5 * time.Second

// NewAuthzVersions returns the cache on rdb (nil: no cache).
func NewAuthzVersions(rdb *redis.Client) *AuthzVersions {
	return &AuthzVersions{rdb: rdb, ttl: AuthzVersionTTL}
}

func authzKey(userID uuid.UUID) string { return "authz:" + userID.String() }

// Version returns the remembered version of the user, if there is one.
func (c *AuthzVersions) Version(ctx context.Context, userID uuid.UUID) (int32, bool) {
	if c == nil || c.rdb == nil || !c.breaker.Allow() {
		return 0, false
	}
	v, err := c.rdb.Get(ctx, authzKey(userID)).Int64()
	c.breaker.Record(err)
	if err != nil {
		return 0, false
	}
	return int32(v), true
}

// rememberNewer stores ARGV[1] unless the key already holds a version at least as new, so a
// reader that loaded an old version before a role change cannot overwrite the new one.
var rememberNewer = redis.NewScript(`
local cur = redis.call('GET', KEYS[1])
if cur and tonumber(cur) >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`)

// Remember stores version for the user unless a newer one is stored already.
func (c *AuthzVersions) Remember(ctx context.Context, userID uuid.UUID, version int32) {
	if c == nil || c.rdb == nil || !c.breaker.Allow() {
		return
	}
	err := rememberNewer.Run(context.WithoutCancel(ctx), c.rdb, []string{authzKey(userID)},
		strconv.Itoa(int(version)), c.ttl.Milliseconds()).Err()
	c.breaker.Record(err)
}
