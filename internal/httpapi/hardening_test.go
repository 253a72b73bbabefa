package httpapi_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/catalog"
	"github.com/acme/orders/internal/httpapi"
	"github.com/acme/orders/internal/platform/postgres"
)

// Stock is bounded far below the column's range, so returning a cancelled order's stock can
// never overflow it.
func TestStockCannotOverflow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	staff, c := e.newAccount(auth.RoleStaff), e.newAccount(auth.RoleCustomer)
	p := e.newProduct(10, 100)
	r := e.do(req{method: "POST", path: "/api/v1/orders", token: c.Token, body: items(p.ID, 5)})
	expectStatus(t, r, 201)
	var o struct{ ID string }
	r.decode(t, &o)

	r = e.do(req{method: "PATCH", path: "/api/v1/products/" + p.ID.String(), token: staff.Token, body: map[string]any{"stock": 2147483647}})
	expectStatus(t, r, 422)
	if f := r.problem(t).Errors; len(f) != 1 || f[0].Field != "stock" {
		t.Fatalf("field errors %+v", f)
	}
	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/products", token: staff.Token, body: map[string]any{
		"sku": "HUGE-" + p.ID.String()[:8], "name": "n", "category": "c", "price_cents": 1, "currency": "USD", "stock": catalog.MaxStock + 1}}), 422)

	expectStatus(t, e.do(req{method: "PATCH", path: "/api/v1/products/" + p.ID.String(), token: staff.Token, body: map[string]any{"stock": catalog.MaxStock}}), 200)
	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/orders/" + o.ID + "/cancel", token: c.Token}), 200)
	if n := e.count(`SELECT stock FROM products WHERE id = $1`, p.ID); n != catalog.MaxStock+5 {
		t.Fatalf("stock %d after the cancel", n)
	}
}

// One row held by another transaction must not stall the API: orders waiting on it give up
// after the lock timeout with a 503 and Retry-After, writing nothing, and reads keep being
// answered while the lock is held, because writes may hold only part of the pool.
func TestLockedRowDoesNotStallTheAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("concurrency drill: 50 orders against a locked row")
	}
	t.Parallel()
	ctx := context.Background()
	pool, err := postgres.Open(ctx, testDB.URL, postgres.Options{MaxConns: 20, WriteConns: 15, LockTimeout: 2 * time.Second, StatementTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	e := newEnv(t, withPool(pool), func(c *httpapi.Config, d *httpapi.Deps) {
		d.Checks = []httpapi.Check{{Name: "postgres", Critical: true, Probe: func(ctx context.Context) error { return postgres.Probe(ctx, pool) }}}
	})
	c := e.newAccount(auth.RoleCustomer)
	hot, other := e.newProduct(1000, 100), e.newProduct(1000, 100)

	side, err := testDB.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = side.Rollback(ctx) }()
	if _, err := side.Exec(ctx, `SELECT 1 FROM products WHERE id = $1 FOR UPDATE`, hot.ID); err != nil {
		t.Fatal(err)
	}

	const orders = 50
	results := make([]resp, orders)
	var wg sync.WaitGroup
	for i := range orders {
		wg.Go(func() {
			results[i] = doHTTP(t, e.srv.URL, req{method: "POST", path: "/api/v1/orders", token: c.Token, body: items(hot.ID, 1)})
		})
	}
	// Wait until the write share of the pool is stuck behind the lock.
	deadline := time.Now().Add(15 * time.Second)
	for e.count(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`) < 15 {
		if time.Now().After(deadline) {
			t.Fatal("the orders never queued on the locked row")
		}
		time.Sleep(10 * time.Millisecond)
	}

	// With the lock still held, everything else is answered.
	var took []time.Duration
	for range 20 {
		for _, rq := range []req{
			{method: "GET", path: "/api/v1/products?page_size=20"},
			{method: "GET", path: "/api/v1/products/" + other.ID.String()},
			{method: "GET", path: "/api/v1/me", token: c.Token},
			{method: "GET", path: "/readyz"},
		} {
			start := time.Now()
			expectStatus(t, e.do(rq), 200)
			took = append(took, time.Since(start))
		}
	}
	if e.count(`SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE a.datname = current_database() AND NOT l.granted`) == 0 {
		t.Fatal("the lock was gone before the reads finished: the test proved nothing")
	}
	slices.Sort(took)
	t.Logf("reads while the row was locked: p50 %v, p99 %v, max %v", took[len(took)/2], took[len(took)*99/100], took[len(took)-1])

	wg.Wait()
	placed := 0
	for _, r := range results {
		switch r.Status {
		case 201:
			placed++
		case 503:
			if p := r.problem(t); p.Type != "urn:problem-type:orders:busy" {
				t.Fatalf("503 of type %q", p.Type)
			}
			retryAfter(t, r)
		default:
			t.Fatalf("order answered %d: %s", r.Status, r.Body)
		}
	}
	if err := side.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT count(*) FROM order_items WHERE product_id = $1`, hot.ID); n != placed {
		t.Fatalf("%d orders answered 201 but %d were written", placed, n)
	}
	if n := e.count(`SELECT stock FROM products WHERE id = $1`, hot.ID); n != 1000-placed {
		t.Fatalf("stock %d after %d orders", n, placed)
	}
	// The row is free again: orders go through.
	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/orders", token: c.Token, body: items(hot.ID, 1)}), 201)
}

func TestBodiesMustBeDeclaredJSONInUTF8(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	body := `{"email":"a@example.com","password":"x"}`
	for _, ct := range []string{"", "text/plain", "application/json; charset=iso-8859-1", "application/json; charset=utf-16"} {
		r := doRaw(t, e, "POST", "/api/v1/auth/login", body, map[string]string{"Content-Type": ct})
		expectStatus(t, r, 415)
		r.problem(t)
	}
	for _, ct := range []string{"application/json", "application/json; charset=UTF-8", "application/problem+json"} {
		expectStatus(t, doRaw(t, e, "POST", "/api/v1/auth/login", body, map[string]string{"Content-Type": ct}), 401)
	}
}

func TestHeadAndAllow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.newProduct(3, 100)
	for _, path := range []string{"/api/v1/products", "/api/v1/products/" + p.ID.String(), "/healthz", "/api/v1/openapi.json"} {
		r := doRaw(t, e, "HEAD", path, "", nil)
		expectStatus(t, r, 200)
		if len(r.Body) != 0 || r.Header.Get("Content-Type") == "" {
			t.Fatalf("HEAD %s: %d bytes, Content-Type %q", path, len(r.Body), r.Header.Get("Content-Type"))
		}
	}
	for path, want := range map[string]string{
		"/api/v1/products/" + p.ID.String(): "GET, HEAD, PATCH, DELETE",
		"/api/v1/orders":                    "GET, HEAD, POST",
		"/api/v1/auth/login":                "POST",
	} {
		r := doRaw(t, e, "PUT", path, "", nil)
		expectStatus(t, r, 405)
		r.problem(t)
		if got := r.Header.Get("Allow"); got != want {
			t.Fatalf("Allow for %s = %q, want %q", path, got, want)
		}
	}
}

// Nothing answered to a signed-in caller may be kept by a shared cache.
func TestAuthenticatedAnswersAreNotStored(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c, staff := e.newAccount(auth.RoleCustomer), e.newAccount(auth.RoleStaff)
	p := e.newProduct(3, 100)
	r := e.do(req{method: "POST", path: "/api/v1/orders", token: c.Token, body: items(p.ID, 1)})
	expectStatus(t, r, 201)
	var o struct{ ID string }
	r.decode(t, &o)
	for _, rq := range []req{
		{method: "GET", path: "/api/v1/me", token: c.Token},
		{method: "GET", path: "/api/v1/orders/" + o.ID, token: c.Token},
		{method: "GET", path: "/api/v1/orders", token: c.Token},
		{method: "GET", path: "/api/v1/products", token: c.Token},
		{method: "GET", path: "/api/v1/admin/events", token: staff.Token},
	} {
		r := e.do(rq)
		expectStatus(t, r, 200)
		if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
			t.Fatalf("%s: Cache-Control %q", rq.path, cc)
		}
	}
}

// Metrics are not served on the API's address; the API gives its metrics handler to a
// listener of its own.
func TestMetricsAreNotOnTheAPIAddress(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.do(req{method: "GET", path: "/metrics"})
	expectStatus(t, r, 404)
	r.problem(t)
	if strings.Contains(string(r.Body), "http_requests_total") {
		t.Fatal("metrics leaked on the API address")
	}
}

// doRaw sends body as it is with the given headers (an empty value leaves one out).
func doRaw(t *testing.T, e *env, method, path, body string, header map[string]string) resp {
	t.Helper()
	r := req{method: method, path: path, header: header}
	if body != "" {
		r.body = body
	}
	return doHTTP(t, e.srv.URL, r)
}
