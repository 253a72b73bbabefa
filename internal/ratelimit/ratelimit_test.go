package ratelimit

import (
	"context"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"

	"github.com/acme/orders/internal/platform/cache"
	"github.com/acme/orders/internal/platform/redistest"
)

type quietLogger struct{}

func (quietLogger) Printf(context.Context, string, ...any) {}

// TestMain silences the Redis client's own log of failed dials, which the outage test causes
// by design.
func TestMain(m *testing.M) {
	redis.SetLogger(quietLogger{})
	os.Exit(m.Run())
}

func sharedRedis(t *testing.T) *redis.Client {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	t.Cleanup(func() { rdb.Close() })
	if err := rdb.Ping(t.Context()).Err(); err != nil {
		t.Fatalf("redis: %v", err)
	}
	return rdb
}

func newKey() string { return "test:" + uuid.NewString() }

// The budget is spent at once, the next request is refused with the time until a request is
// earned back, and other keys are not affected: through Redis, with Redis down and without it.
func TestBurstThenRefused(t *testing.T) {
	t.Parallel()
	dead := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	defer dead.Close()
	for name, rdb := range map[string]*redis.Client{"redis": sharedRedis(t), "redis down": dead, "no redis": nil} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			l := New(rdb)
			lim := PerMinute(4)
			key := newKey()
			for i := range 4 {
				d := l.Allow(t.Context(), key, lim)
				if !d.Allowed || d.Limit != 4 || d.Remaining != 3-i || d.RetryAfter != 0 {
					t.Fatalf("request %d: %+v", i+1, d)
				}
				if d.Shared != (name == "redis") {
					t.Fatalf("request %d decided by shared=%v", i+1, d.Shared)
				}
			}
			d := l.Allow(t.Context(), key, lim)
			// One request is earned back every 15 s; the whole budget in a minute.
			if d.Allowed || d.Remaining != 0 || d.RetryAfter < 14*time.Second || d.RetryAfter > 15*time.Second ||
				d.Reset < 59*time.Second || d.Reset > time.Minute {
				t.Fatalf("5th request: %+v, want refused, retry in about 15s, reset in about 60s", d)
			}
			if d := l.Allow(t.Context(), newKey(), lim); !d.Allowed || d.Remaining != 3 {
				t.Fatalf("another key shares the budget: %+v", d)
			}
		})
	}
}

// Two limiters over one Redis (two API replicas) spend one budget.
func TestReplicasShareTheBudget(t *testing.T) {
	t.Parallel()
	rdb := sharedRedis(t)
	one, two := New(rdb), New(rdb)
	key, lim := newKey(), PerMinute(6)
	for i := range 6 {
		l := one
		if i%2 == 1 {
			l = two
		}
		if d := l.Allow(t.Context(), key, lim); !d.Allowed || !d.Shared {
			t.Fatalf("request %d: %+v", i+1, d)
		}
	}
	for _, l := range []*Limiter{one, two} {
		if d := l.Allow(t.Context(), key, lim); d.Allowed {
			t.Fatalf("7th request allowed: %+v", d)
		}
	}
}

// waitUntil sleeps until t.
func waitUntil(at time.Time) { time.Sleep(time.Until(at)) }

// A burst at the end of one period and another at the start of the next: a fixed window
// counts them in two windows and lets both through; GCRA lets through only what was earned
// in between.
func TestNoDoubleBurstAtWindowEdge(t *testing.T) {
	t.Parallel()
	lim := Limit{Rate: 10, Period: time.Second, Burst: 10} // one request earned back every 100 ms
	t.Run("redis", func(t *testing.T) {
		t.Parallel()
		l := New(sharedRedis(t))
		l.timeout = time.Second // the machine is shared: a slow answer must not fall back here
		edge := time.Now().Truncate(time.Second).Add(2 * time.Second)
		key := newKey()
		waitUntil(edge.Add(-60 * time.Millisecond))
		burst := func() (allowed int) {
			for range 10 {
				if d := l.Allow(t.Context(), key, lim); d.Allowed {
					allowed++
				}
			}
			return allowed
		}
		if n := burst(); n != 10 {
			t.Fatalf("first burst: %d of 10 allowed", n)
		}
		waitUntil(edge.Add(60 * time.Millisecond))
		// About 120 ms passed since the first burst: one request earned, two at the most on a
		// slow machine, never the ten a new window would give.
		if n := burst(); n < 1 || n > 3 {
			t.Fatalf("second burst across the edge: %d of 10 allowed, want 1 to 3", n)
		}
		time.Sleep(lim.Period)
		if n := burst(); n != 10 {
			t.Fatalf("after a quiet period: %d of 10 allowed", n)
		}
	})
	t.Run("in-process", func(t *testing.T) {
		t.Parallel()
		now := time.Date(2026, 1, 1, 12, 0, 59, 900_000_000, time.UTC)
		l := New(nil)
		l.local.now = func() time.Time { return now }
		key := newKey()
		for i := range 10 {
			if d := l.Allow(t.Context(), key, lim); !d.Allowed {
				t.Fatalf("request %d refused", i+1)
			}
		}
		now = now.Add(200 * time.Millisecond) // across the second's edge
		allowed := 0
		for range 10 {
			if d := l.Allow(t.Context(), key, lim); d.Allowed {
				allowed++
			}
		}
		if allowed != 2 {
			t.Fatalf("%d allowed 200 ms after a full burst, want 2", allowed)
		}
		d := l.Allow(t.Context(), key, lim)
		if d.Allowed || d.RetryAfter != 100*time.Millisecond || d.Reset != time.Second {
			t.Fatalf("refusal %+v, want retry in 100ms, reset in 1s", d)
		}
	})
}

// The in-process limiter keeps at most its bound of keys, forgetting idle ones first.
func TestLocalMemoryIsBounded(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	c := newLocal(100, func() time.Time { return now })
	lim := PerMinute(2)
	c.allow("busy", lim)
	c.allow("busy", lim)
	for i := range 1000 {
		c.allow(uuid.NewString(), lim)
		if len(c.keys) > 100 {
			t.Fatalf("%d keys after %d new ones", len(c.keys), i+1)
		}
		if i == 50 {
			now = now.Add(time.Minute) // every key so far has refilled: forgetting them is free
		}
	}
	for len(c.keys) < 100 {
		c.allow(uuid.NewString(), lim)
	}
	now = now.Add(time.Minute)
	c.allow(uuid.NewString(), lim) // every key has refilled: the eviction drops them all
	if len(c.keys) != 1 {
		t.Fatalf("%d keys kept after all were idle", len(c.keys))
	}
}

// Redis killed while requests run: no call fails or waits long, the in-process limit applies
// at once, and when Redis is back the budget is shared again without a restart.
func TestRedisOutageFallsBackAndRecovers(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts a redis-server")
	}
	t.Parallel()
	srv := redistest.Start(t)
	rdb, err := cache.Open(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	one, two := New(rdb), New(rdb)
	lim := PerMinute(1_000_000) // not the point here: every request should pass

	var calls, slow atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				start := time.Now()
				d := one.Allow(context.Background(), newKey(), lim)
				if !d.Allowed {
					t.Errorf("refused under a huge limit: %+v", d)
					return
				}
				if time.Since(start) > 500*time.Millisecond {
					slow.Add(1)
				}
				calls.Add(1)
			}
		}()
	}
	time.Sleep(200 * time.Millisecond)
	srv.Kill()
	time.Sleep(1500 * time.Millisecond) // over a breaker period, so Redis is tried again while down
	close(stop)
	wg.Wait()
	if slow.Load() > 0 {
		t.Fatalf("%d of %d calls took over 500ms", slow.Load(), calls.Load())
	}
	t.Logf("%d decisions across the outage", calls.Load())

	// Down: each replica limits on its own.
	key, small := newKey(), PerMinute(3)
	for _, l := range []*Limiter{one, two} {
		for i := range 3 {
			if d := l.Allow(t.Context(), key, small); !d.Allowed || d.Shared {
				t.Fatalf("request %d during the outage: %+v", i+1, d)
			}
		}
		if d := l.Allow(t.Context(), key, small); d.Allowed {
			t.Fatalf("in-process limit not applied: %+v", d)
		}
	}

	srv.Restart()
	deadline := time.Now().Add(5 * time.Second)
	for _, l := range []*Limiter{one, two} {
		for !l.Allow(t.Context(), newKey(), small).Shared {
			if time.Now().After(deadline) {
				t.Fatal("Redis is back but the limiter does not use it")
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	key = newKey()
	for i := range 3 {
		l := []*Limiter{one, two}[i%2]
		if d := l.Allow(t.Context(), key, small); !d.Allowed || !d.Shared {
			t.Fatalf("request %d after recovery: %+v", i+1, d)
		}
	}
	for _, l := range []*Limiter{one, two} {
		if d := l.Allow(t.Context(), key, small); d.Allowed || !d.Shared {
			t.Fatalf("budget not shared after recovery: %+v", d)
		}
	}
}
