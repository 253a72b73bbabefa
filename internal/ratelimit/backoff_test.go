package ratelimit

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"
)

// After the free attempts each admitted attempt closes the key for a wait that doubles up to
// the cap; a success resets it. Redis and the in-process fallback behave alike.
func TestBackoffDoublesToItsCap(t *testing.T) {
	t.Parallel()
	policy := BackoffPolicy{Free: 2, Base: 40 * time.Millisecond, Max: 160 * time.Millisecond, Window: time.Minute}
	for name, rdb := range map[string]*redis.Client{"redis": redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"}), "in-process": nil} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			b := NewBackoff(rdb, policy)
			key := uuid.NewString()
			for i := range policy.Free {
				if ok, _ := b.Admit(ctx, "t", key); !ok {
					t.Fatalf("free attempt %d refused", i+1)
				}
			}
			var waits []time.Duration
			for i := range 4 {
				// This attempt is admitted and closes the key; the one right after it is refused.
				if ok, _ := b.Admit(ctx, "t", key); !ok {
					t.Fatalf("attempt %d refused although the previous wait was over", policy.Free+i+1)
				}
				ok, wait := b.Admit(ctx, "t", key)
				if ok {
					t.Fatalf("attempt right after attempt %d admitted", policy.Free+i+1)
				}
				waits = append(waits, wait)
				time.Sleep(wait + 10*time.Millisecond)
			}
			want := []time.Duration{40, 80, 160, 160}
			if len(waits) != len(want) {
				t.Fatalf("waits %v", waits)
			}
			for i, w := range waits {
				limit := want[i] * time.Millisecond
				if w > limit || w < limit/2 {
					t.Fatalf("waits %v, want about %v ms", waits, want)
				}
			}
			b.Reset(ctx, "t", key)
			for i := range policy.Free {
				if ok, _ := b.Admit(ctx, "t", key); !ok {
					t.Fatalf("attempt %d after a reset refused", i+1)
				}
			}
		})
	}
}
