package httpapi_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/redis/go-redis/v9"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/catalog"
	"github.com/acme/orders/internal/httpapi"
	"github.com/acme/orders/internal/platform/cache"
	"github.com/acme/orders/internal/platform/redistest"
	"github.com/acme/orders/internal/projection"
)

// apiProcess is one API process of a shared deployment: its own view cache (listening for
// version changes) on the shared Redis, under a namespace private to the test.
func apiProcess(t *testing.T, rdb *redis.Client, namespace string) (*env, *cache.Views, *cache.ViewMetrics) {
	t.Helper()
	m := cache.NewViewMetrics()
	views := cache.NewViews(rdb, cache.ViewsConfig{Namespace: namespace, LocalTTL: time.Minute}, m)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go views.Listen(ctx)
	select {
	case <-views.Listening():
	case <-time.After(10 * time.Second):
		t.Fatal("the view cache did not subscribe")
	}
	e := newEnv(t, func(c *httpapi.Config, d *httpapi.Deps) { d.Views = httpapi.Views{Catalog: views} })
	return e, views, m
}

// comparable leaves out the headers that differ on every answer by design.
func comparable(h http.Header) http.Header {
	out := h.Clone()
	out.Del("X-Request-ID")
	out.Del("Date")
	return out
}

func TestCatalogueHitAndMissAnswerTheSame(t *testing.T) {
	t.Parallel()
	ns := "catalog-" + uuid.NewString()
	e, _, m := apiProcess(t, redistest.Shared(t), ns)
	for range 5 {
		e.newProduct(5, 250) // enough for a page over 1 KiB, compressed
	}
	for _, c := range []struct{ path, enc string }{
		{"/api/v1/products?category=Testing&sort=-price_cents&page_size=50", "identity"},
		{"/api/v1/products?category=Testing&sort=-price_cents&page_size=40", "gzip"},
		{"/api/v1/categories", "identity"},
	} {
		path, enc := c.path, c.enc
		misses := testutil.ToFloat64(m.Lookups(ns, "local", "miss"))
		hits := testutil.ToFloat64(m.Lookups(ns, "local", "hit"))
		first := e.do(req{method: "GET", path: path, header: map[string]string{"Accept-Encoding": enc}})
		second := e.do(req{method: "GET", path: path, header: map[string]string{"Accept-Encoding": enc}})
		expectStatus(t, first, 200)
		expectStatus(t, second, 200)
		if testutil.ToFloat64(m.Lookups(ns, "local", "miss")) != misses+1 || testutil.ToFloat64(m.Lookups(ns, "local", "hit")) != hits+1 {
			t.Fatalf("%s: not one miss then one hit", path)
		}
		if !bytes.Equal(first.Body, second.Body) {
			t.Fatalf("%s (%s): hit and miss bodies differ", path, enc)
		}
		if a, b := comparable(first.Header), comparable(second.Header); !equalHeaders(a, b) {
			t.Fatalf("%s (%s): hit and miss headers differ:\n%v\n%v", path, enc, a, b)
		}
		if first.Header.Get("ETag") == "" || first.Header.Get("Cache-Control") != "public, max-age=1, stale-while-revalidate=2" {
			t.Fatalf("%s: ETag %q, Cache-Control %q", path, first.Header.Get("ETag"), first.Header.Get("Cache-Control"))
		}
		if enc == "gzip" {
			if first.Header.Get("Content-Encoding") != "gzip" || first.Header.Get("Vary") != "Accept-Encoding" {
				t.Fatalf("%s: Content-Encoding %q, Vary %q", path, first.Header.Get("Content-Encoding"), first.Header.Get("Vary"))
			}
			zr, err := gzip.NewReader(bytes.NewReader(first.Body))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.ReadAll(zr); err != nil {
				t.Fatalf("the gzip body does not decompress: %v", err)
			}
		}
	}
}

func equalHeaders(a, b http.Header) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

func TestCatalogueConditionalRequests(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	staff := e.newAccount(auth.RoleStaff)
	p := e.newProduct(5, 250)
	path := "/api/v1/products/" + p.ID.String()
	first := e.do(req{method: "GET", path: path})
	expectStatus(t, first, 200)
	tag := first.Header.Get("ETag")

	again := e.do(req{method: "GET", path: path, header: map[string]string{"If-None-Match": `"other", ` + tag}})
	expectStatus(t, again, 304)
	if len(again.Body) != 0 || again.Header.Get("ETag") != tag || again.Header.Get("Cache-Control") == "" {
		t.Fatalf("304: body %q, ETag %q, Cache-Control %q", again.Body, again.Header.Get("ETag"), again.Header.Get("Cache-Control"))
	}
	expectStatus(t, e.do(req{method: "GET", path: path, header: map[string]string{"If-None-Match": `"other"`}}), 200)
	expectStatus(t, e.do(req{method: "GET", path: path, header: map[string]string{"If-None-Match": "W/" + tag}}), 304)

	// Signed in: the same bytes, but no cache may keep them.
	mine := e.do(req{method: "GET", path: path, token: staff.Token})
	if mine.Header.Get("Cache-Control") != "no-store" || mine.Header.Get("ETag") != tag || !bytes.Equal(mine.Body, first.Body) {
		t.Fatalf("signed in: Cache-Control %q, ETag %q", mine.Header.Get("Cache-Control"), mine.Header.Get("ETag"))
	}

	// A change changes the tag: the old one no longer matches.
	expectStatus(t, e.do(req{method: "PATCH", path: path, token: staff.Token, body: map[string]any{"price_cents": 275}}), 200)
	changed := e.do(req{method: "GET", path: path, header: map[string]string{"If-None-Match": tag}})
	expectStatus(t, changed, 200)
	if changed.Header.Get("ETag") == tag {
		t.Fatal("the ETag did not change with the price")
	}
	var got struct {
		PriceCents int64 `json:"price_cents"`
	}
	changed.decode(t, &got)
	if got.PriceCents != 275 {
		t.Fatalf("price %d after the change, want 275", got.PriceCents)
	}
	// Errors are not cached and carry no ETag.
	missing := e.do(req{method: "GET", path: "/api/v1/products/" + uuid.NewString()})
	expectStatus(t, missing, 404)
	if missing.Header.Get("ETag") != "" {
		t.Fatal("a 404 carries an ETag")
	}
}

// TestCatalogueChangesReachOtherProcesses: two API processes share Redis. Changes made through
// one (a price, a deletion) or by orders (stock, announced by the worker as it publishes their
// events) are answered by the other once it has heard the new version, never the cached copy.
func TestCatalogueChangesReachOtherProcesses(t *testing.T) {
	t.Parallel()
	rdb := redistest.Shared(t)
	ns := "catalog-" + uuid.NewString()
	writer, _, _ := apiProcess(t, rdb, ns)
	reader, readerViews, _ := apiProcess(t, rdb, ns)
	staff := writer.newAccount(auth.RoleStaff)
	admin := writer.newAccount(auth.RoleAdmin)
	customer := writer.newAccount(auth.RoleCustomer)
	p := writer.newProduct(10, 500)
	path := "/api/v1/products/" + p.ID.String()

	read := func() catalog.Product {
		t.Helper()
		r := reader.do(req{method: "GET", path: path})
		expectStatus(t, r, 200)
		var got struct {
			PriceCents int64 `json:"price_cents"`
			Stock      int32 `json:"stock"`
		}
		r.decode(t, &got)
		return catalog.Product{PriceCents: got.PriceCents, Stock: got.Stock}
	}
	// heard waits until the reader has heard a version newer than before.
	heard := func(before int64) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for readerViews.Version() <= before {
			if time.Now().After(deadline) {
				t.Fatal("the reader never heard the new version")
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	if got := read(); got.PriceCents != 500 || got.Stock != 10 {
		t.Fatalf("first read %+v", got)
	}
	read() // now cached in the reader

	// A price change through the writer.
	before := readerViews.Version()
	expectStatus(t, writer.do(req{method: "PATCH", path: path, token: staff.Token, body: map[string]any{"price_cents": 650}}), 200)
	heard(before)
	if got := read(); got.PriceCents != 650 {
		t.Fatalf("after the price change the reader answers %d", got.PriceCents)
	}

	// An order through the writer moves stock; the API does not announce it, the worker does
	// when it publishes the order's event.
	expectStatus(t, writer.do(req{method: "POST", path: "/api/v1/orders", token: customer.Token, body: items(p.ID, 3)}), 201)
	if got := read(); got.Stock != 10 {
		t.Fatalf("before the event is published the reader answers stock %d from its cache, want the cached 10", got.Stock)
	}
	before = readerViews.Version()
	publishAsWorker(t, writer, rdb, ns)
	heard(before)
	if got := read(); got.Stock != 7 {
		t.Fatalf("after the order's event the reader answers stock %d, want 7", got.Stock)
	}

	// A deletion through the writer.
	before = readerViews.Version()
	expectStatus(t, writer.do(req{method: "DELETE", path: path, token: admin.Token}), 204)
	heard(before)
	expectStatus(t, reader.do(req{method: "GET", path: path}), 404)
}

// publishAsWorker publishes what is pending and, as the worker does, bumps the catalogue's
// version when a round published events that change it.
func publishAsWorker(t *testing.T, e *env, rdb *redis.Client, namespace string) {
	t.Helper()
	pub := projection.NewPublisher(e.pool)
	for {
		round, err := pub.Publish(context.Background(), 1000)
		if err != nil {
			t.Fatal(err)
		}
		if catalog.ChangedBy(round.Types) {
			if err := cache.Bump(context.Background(), rdb, namespace); err != nil {
				t.Fatal(err)
			}
		}
		if round.Published == 0 && round.HeldBack == 0 {
			return
		}
	}
}

// TestCatalogueReadsSurviveRedisOutage kills the API's Redis (a private one) under concurrent
// catalogue reads: not one read fails; once Redis is back the shared tier is used again without
// a restart.
func TestCatalogueReadsSurviveRedisOutage(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	rdb, err := cache.Open(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	m := cache.NewViewMetrics()
	views := cache.NewViews(rdb, cache.ViewsConfig{Namespace: "catalog", LocalTTL: 20 * time.Millisecond}, m)
	e := newEnv(t, func(c *httpapi.Config, d *httpapi.Deps) { d.Views = httpapi.Views{Catalog: views} })
	p := e.newProduct(5, 250)
	paths := []string{"/api/v1/products?page_size=5", "/api/v1/products/" + p.ID.String(), "/api/v1/categories"}

	ctx, cancel := context.WithCancel(context.Background())
	var reads, failures atomic.Int64
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Go(func() {
			for ctx.Err() == nil {
				r := doHTTP(t, e.srv.URL, req{method: "GET", path: paths[i%len(paths)]})
				reads.Add(1)
				if r.Status != 200 {
					failures.Add(1)
				}
			}
		})
	}
	time.Sleep(200 * time.Millisecond)
	srv.Kill()
	time.Sleep(500 * time.Millisecond)
	srv.Restart()
	time.Sleep(200 * time.Millisecond)
	cancel()
	wg.Wait()
	if failures.Load() != 0 || reads.Load() == 0 {
		t.Fatalf("%d of %d reads failed around the Redis outage", failures.Load(), reads.Load())
	}
	hits := func() float64 { return testutil.ToFloat64(m.Lookups("catalog", "redis", "hit")) }
	before := hits()
	deadline := time.Now().Add(10 * time.Second)
	for hits() == before {
		if time.Now().After(deadline) {
			t.Fatal("the shared tier was not used again after Redis came back")
		}
		time.Sleep(30 * time.Millisecond) // the in-process entry expires, the next read finds Redis's
		expectStatus(t, e.do(req{method: "GET", path: paths[0]}), 200)
	}
}
