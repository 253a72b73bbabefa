package cache

import (
	"context"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"
)

// Bumper bumps a namespace's version (see Bump) when told its data changed, at most once per
// interval: under a stream of orders the caches are dropped a few times a second, not once per
// order. A failed bump is tried again a second later, so a change is never left unannounced
// while Redis is away.
type Bumper struct {
	rdb       *redis.Client // nil: nothing to bump
	namespace string
	every     time.Duration
	dirty     chan struct{}
}

// NewBumper returns a bumper of namespace on rdb that bumps at most once per every.
func NewBumper(rdb *redis.Client, namespace string, every time.Duration) *Bumper {
	return &Bumper{rdb: rdb, namespace: namespace, every: every, dirty: make(chan struct{}, 1)}
}

// Touch says the data changed; it never blocks.
func (b *Bumper) Touch() {
	select {
	case b.dirty <- struct{}{}:
	default:
	}
}

// Run bumps after each Touch until ctx ends.
func (b *Bumper) Run(ctx context.Context) {
	if b.rdb == nil {
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-b.dirty:
		}
		wait := b.every
		if err := Bump(ctx, b.rdb, b.namespace); err != nil {
			slog.WarnContext(ctx, "cache: could not bump the version; trying again", "namespace", b.namespace, "error", err.Error())
			b.Touch()
			wait = max(wait, time.Second)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}
