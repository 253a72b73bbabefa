package ratelimit

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"
)

func TestLimitsPerWindow(t *testing.T) {
	t.Parallel()
	live := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	defer live.Close()
	if err := live.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("redis: %v", err)
	}
	dead := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	defer dead.Close()
	for name, rdb := range map[string]*redis.Client{"redis": live, "redis down": dead, "no redis": nil} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			l := New(rdb)
			now := time.Date(2026, 1, 1, 12, 0, 10, 0, time.UTC).Add(time.Duration(uuid.New()[0]) * time.Hour)
			l.now = func() time.Time { return now }
			key := "test:" + uuid.NewString()
			for i := 0; i < 3; i++ {
				if ok, _ := l.Allow(context.Background(), key, 3, time.Minute); !ok {
					t.Fatalf("request %d refused", i+1)
				}
			}
			ok, retry := l.Allow(context.Background(), key, 3, time.Minute)
			if ok || retry != 50*time.Second {
				t.Fatalf("4th request: ok=%v retry=%s, want refused with 50s", ok, retry)
			}
			if ok, _ := l.Allow(context.Background(), "test:other-"+key, 3, time.Minute); !ok {
				t.Fatal("another key shares the count")
			}
			now = now.Add(time.Minute)
			if ok, _ := l.Allow(context.Background(), key, 3, time.Minute); !ok {
				t.Fatal("new window still refused")
			}
		})
	}
}
