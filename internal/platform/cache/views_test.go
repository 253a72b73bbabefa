package cache_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/acme/orders/internal/platform/cache"
	"github.com/acme/orders/internal/platform/redistest"
)

// counter is a fill that renders "n=<calls>" and counts its calls.
type counter struct{ calls atomic.Int64 }

func (c *counter) fill(ctx context.Context) (cache.View, bool, error) {
	n := c.calls.Add(1)
	return cache.NewView("application/json", []byte(fmt.Sprintf(`{"n":%d}`, n))), true, nil
}

// listening starts v.Listen for the test and waits for its first subscription.
func listening(t *testing.T, v *cache.Views) *cache.Views {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go v.Listen(ctx)
	select {
	case <-v.Listening():
	case <-time.After(10 * time.Second):
		t.Fatal("Listen did not subscribe")
	}
	return v
}

func TestViewsTiersAndVersions(t *testing.T) {
	t.Parallel()
	rdb := redistest.Shared(t)
	ns := "test-" + uuid.NewString()
	ma, mb := cache.NewViewMetrics(), cache.NewViewMetrics()
	a := listening(t, cache.NewViews(rdb, cache.ViewsConfig{Namespace: ns, LocalTTL: time.Minute}, ma))
	b := listening(t, cache.NewViews(rdb, cache.ViewsConfig{Namespace: ns, LocalTTL: time.Minute}, mb))
	ctx := context.Background()
	var c counter

	v1, src, err := a.Get(ctx, "k", c.fill)
	if err != nil || src != cache.FromFill || string(v1.Body) != `{"n":1}` {
		t.Fatalf("first get: %q from %s, %v", v1.Body, src, err)
	}
	if v, src, _ := a.Get(ctx, "k", c.fill); src != cache.FromLocal || v.ETag != v1.ETag {
		t.Fatalf("second get in the same process: from %s, tag %s want %s", src, v.ETag, v1.ETag)
	}
	// Another process finds the fill in Redis, byte for byte.
	v, src, err := b.Get(ctx, "k", c.fill)
	if err != nil || src != cache.FromRedis || !bytes.Equal(v.Body, v1.Body) || v.ETag != v1.ETag || v.ContentType != v1.ContentType {
		t.Fatalf("other process: %q (%s) from %s, %v", v.Body, v.ETag, src, err)
	}
	if _, src, _ := b.Get(ctx, "k", c.fill); src != cache.FromLocal {
		t.Fatalf("other process, again: from %s", src)
	}
	if c.calls.Load() != 1 {
		t.Fatalf("%d fills, want 1", c.calls.Load())
	}

	// A bump is heard by both processes; their next reads render afresh, once.
	before := b.Version()
	if err := cache.Bump(ctx, rdb, ns); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return a.Version() > before && b.Version() > before })
	v2, src, _ := b.Get(ctx, "k", c.fill)
	if src != cache.FromFill || string(v2.Body) != `{"n":2}` || v2.ETag == v1.ETag {
		t.Fatalf("after bump: %q (%s) from %s", v2.Body, v2.ETag, src)
	}
	if v, src, _ := a.Get(ctx, "k", c.fill); src != cache.FromRedis || v.ETag != v2.ETag {
		t.Fatalf("after bump, other process: %q from %s", v.Body, src)
	}
	if got := testutil.ToFloat64(ma.Lookups(ns, "local", "hit")); got != 1 {
		t.Fatalf("process a: %v local hits, want 1", got)
	}
	if got := testutil.ToFloat64(mb.Lookups(ns, "redis", "hit")); got != 1 {
		t.Fatalf("process b: %v redis hits, want 1", got)
	}
}

func TestViewsOneFillPerKey(t *testing.T) {
	t.Parallel()
	rdb := redistest.Shared(t)
	v := cache.NewViews(rdb, cache.ViewsConfig{Namespace: "test-" + uuid.NewString()}, nil)
	release := make(chan struct{})
	var calls atomic.Int64
	fill := func(ctx context.Context) (cache.View, bool, error) {
		calls.Add(1)
		<-release
		return cache.NewView("text/plain", []byte("x")), true, nil
	}
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, _, err := v.Get(context.Background(), "same", fill)
			if err == nil && string(got.Body) != "x" {
				err = fmt.Errorf("body %q", got.Body)
			}
			errs <- err
		}()
	}
	time.Sleep(50 * time.Millisecond) // let them pile up behind the first
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if calls.Load() != 1 {
		t.Fatalf("%d fills for 50 concurrent misses of one key, want 1", calls.Load())
	}
}

func TestViewsKeepOnlyCacheableAnswers(t *testing.T) {
	t.Parallel()
	v := cache.NewViews(nil, cache.ViewsConfig{Namespace: "test", MaxViewBytes: 10}, nil)
	ctx := context.Background()
	var calls atomic.Int64
	for i := range 2 {
		_, src, err := v.Get(ctx, "err", func(context.Context) (cache.View, bool, error) {
			calls.Add(1)
			return cache.View{}, false, errors.New("boom")
		})
		if err == nil || src != cache.FromFill {
			t.Fatalf("get %d: %v from %s, want the fill's error", i, err, src)
		}
		if _, src, _ := v.Get(ctx, "big", func(context.Context) (cache.View, bool, error) {
			calls.Add(1)
			return cache.NewView("text/plain", []byte("more than ten bytes")), true, nil
		}); src != cache.Uncachable {
			t.Fatalf("a view over MaxViewBytes: from %s", src)
		}
		if _, src, _ := v.Get(ctx, "404", func(context.Context) (cache.View, bool, error) {
			calls.Add(1)
			return cache.NewView("text/plain", []byte("no")), false, nil
		}); src != cache.Uncachable {
			t.Fatalf("an uncacheable answer: from %s", src)
		}
	}
	if calls.Load() != 6 {
		t.Fatalf("%d fills, want 6: nothing of those may be kept", calls.Load())
	}
}

func TestViewGzip(t *testing.T) {
	t.Parallel()
	small := cache.NewView("application/json", []byte(`{"a":1}`)).Compressed()
	if small.Gzip != nil {
		t.Fatal("a small body was compressed")
	}
	body := []byte(strings.Repeat(`{"name":"a product","price_cents":100},`, 100))
	if cache.NewView("application/json", body).Gzip != nil {
		t.Fatal("NewView compressed: only Compressed should")
	}
	v := cache.NewView("application/json", body).Compressed()
	if v.Gzip == nil || len(v.Gzip) >= len(body) {
		t.Fatalf("large body: gzip %d bytes of %d", len(v.Gzip), len(body))
	}
	zr, err := gzip.NewReader(bytes.NewReader(v.Gzip))
	if err != nil {
		t.Fatal(err)
	}
	back, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(back, body) {
		t.Fatalf("gzip form does not decompress to the body: %v", err)
	}
	if v.GzipETag() == v.ETag || !strings.HasPrefix(v.ETag, `"`) || !strings.HasSuffix(v.GzipETag(), `"`) {
		t.Fatalf("tags %s and %s", v.ETag, v.GzipETag())
	}
	if other := cache.NewView("application/json", append(body, ' ')); other.ETag == v.ETag {
		t.Fatal("different bodies share a tag")
	}
}

// TestViewsRedisOutage kills a private Redis under concurrent reads: no read fails, the
// in-process tier and the fills carry on; when Redis is back, fills are shared through it
// again without a restart, and bumps are heard again.
func TestViewsRedisOutage(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	rdbA, _ := cache.Open(srv.URL())
	rdbB, _ := cache.Open(srv.URL())
	t.Cleanup(func() { rdbA.Close(); rdbB.Close() })
	cfg := cache.ViewsConfig{Namespace: "catalog", LocalTTL: 20 * time.Millisecond}
	a := listening(t, cache.NewViews(rdbA, cfg, nil))
	b := listening(t, cache.NewViews(rdbB, cfg, nil))
	var c counter

	ctx, cancel := context.WithCancel(context.Background())
	var failures, reads atomic.Int64
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			views := []*cache.Views{a, b}[i%2]
			for ctx.Err() == nil {
				v, _, err := views.Get(context.Background(), fmt.Sprintf("key-%d", i%3), c.fill)
				reads.Add(1)
				if err != nil || !strings.HasPrefix(string(v.Body), `{"n":`) {
					failures.Add(1)
				}
			}
		}()
	}
	time.Sleep(100 * time.Millisecond)
	srv.Kill()
	time.Sleep(300 * time.Millisecond)
	srv.Restart()
	time.Sleep(100 * time.Millisecond)
	cancel()
	wg.Wait()
	if failures.Load() != 0 {
		t.Fatalf("%d of %d reads failed around the outage", failures.Load(), reads.Load())
	}

	// Back: once the breaker lets Redis be tried again, a fill by one process is found by the
	// other, and a bump is heard by both.
	waitFor(t, func() bool {
		key := "after-" + uuid.NewString()
		if _, src, _ := a.Get(context.Background(), key, c.fill); src != cache.FromFill {
			return false
		}
		_, src, _ := b.Get(context.Background(), key, c.fill)
		return src == cache.FromRedis
	})
	before := a.Version()
	if err := cache.Bump(context.Background(), rdbA, "catalog"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return a.Version() > before && b.Version() > before })
}

func TestBumperCoalesces(t *testing.T) {
	t.Parallel()
	rdb := redistest.Shared(t)
	ns := "test-" + uuid.NewString()
	v := listening(t, cache.NewViews(rdb, cache.ViewsConfig{Namespace: ns}, nil))
	b := cache.NewBumper(rdb, ns, time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go b.Run(ctx)

	heard := func() int64 { return v.Version() }
	start := heard()
	b.Touch()
	waitFor(t, func() bool { return heard() > start })
	first := heard()
	ver, err := rdb.Get(context.Background(), "ver:"+ns).Int64()
	if err != nil || ver != first {
		t.Fatalf("version in Redis %d (%v), heard %d", ver, err, first)
	}
	for range 1000 {
		b.Touch() // a burst of changes within one interval
	}
	waitFor(t, func() bool { return heard() > first })
	second := heard()
	time.Sleep(1500 * time.Millisecond)
	if heard() != second {
		t.Fatalf("a burst of touches bumped more than once (%d, then %d)", second, heard())
	}
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 10s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
