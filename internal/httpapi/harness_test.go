package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/catalog"
	"github.com/acme/orders/internal/httpapi"
	"github.com/acme/orders/internal/orders"
	"github.com/acme/orders/internal/platform/cache"
	"github.com/acme/orders/internal/platform/pgtest"
	"github.com/acme/orders/internal/projection"
	"github.com/acme/orders/internal/ratelimit"
	"github.com/acme/orders/internal/readmodel"
)

var testDB *pgtest.DB

func TestMain(m *testing.M) {
	// Request logs would drown the test output; errors (500s) still show.
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})))
	os.Exit(pgtest.Main(m, "httpapi", &testDB))
}

var testSecret = []byte("test-secret-test-secret-test-secret-0123456789")

const (
	testIssuer   = "orders-api"
	testAudience = "orders"
)

// env is the real API over the test database, served on a loopback port.
type env struct {
	t    testing.TB
	api  *httpapi.API
	srv  *httptest.Server
	keys *auth.Keys
	auth *auth.Service
	cat  *catalog.Service
	pool *pgxpool.Pool
}

type envOption func(*httpapi.Config, *httpapi.Deps)

func withRateLimits(authPerMin, apiPerMin int, rdb *redis.Client) envOption {
	return func(c *httpapi.Config, d *httpapi.Deps) {
		c.RateLimitAuth, c.RateLimitAPI = authPerMin, apiPerMin
		d.Limiter = ratelimit.New(rdb)
	}
}

func withPool(p *pgxpool.Pool) envOption {
	return func(c *httpapi.Config, d *httpapi.Deps) { d.Pool = p }
}

func newEnv(t testing.TB, opts ...envOption) *env {
	t.Helper()
	keys, err := auth.NewKeys(auth.KeysConfig{Secret: testSecret, Issuer: testIssuer, Audience: testAudience, TTL: 15 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	cfg := httpapi.Config{CORSOrigins: []string{"http://app.example.test"}, RequestTimeout: 10 * time.Second}
	// Catalogue reads go through an in-process view cache, as in production without Redis.
	deps := httpapi.Deps{Pool: testDB.Pool, Views: httpapi.Views{Catalog: cache.NewViews(nil, cache.ViewsConfig{Namespace: "catalog"}, nil)}}
	for _, o := range opts {
		o(&cfg, &deps)
	}
	pool := deps.Pool
	e := &env{t: t, keys: keys, pool: pool}
	e.auth = auth.NewService(auth.NewPostgresStore(pool), keys, time.Hour)
	e.cat = catalog.NewService(catalog.NewPostgresStore(pool))
	deps.Auth, deps.Catalog, deps.Orders = e.auth, e.cat, orders.NewService(orders.NewPostgresStore(pool))
	if deps.Pipeline == nil {
		deps.Pipeline = testPipeline(pool, nil)
	}
	if deps.Checks == nil {
		deps.Checks = []httpapi.Check{{Name: "postgres", Critical: true, Probe: pool.Ping}}
	}
	e.api = httpapi.New(cfg, deps)
	e.srv = httptest.NewServer(conform(t, e.api)) // every response checked against openapi.json
	t.Cleanup(e.srv.Close)
	return e
}

// testPipeline is the history and pipeline administration of the API on pool, caching history
// in responses (nil: no cache), without a workflow engine.
func testPipeline(pool *pgxpool.Pool, responses *cache.Responses) *httpapi.Pipeline {
	return &httpapi.Pipeline{
		History: readmodel.NewHistoryService(readmodel.NewHistoryReader(pool), responses),
		Admin:   projection.NewAdmin(projection.NewPublisher(pool), projection.NewRunner(pool, readmodel.OrderHistory{}, readmodel.ProductSales{}), nil),
	}
}

// resp is a finished response with its body read.
type resp struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r resp) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// problem decodes a problem-details answer and checks its media type and status field.
func (r resp) problem(t testing.TB) httpapi.Problem {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type = %q, want application/problem+json; body %s", ct, r.Body)
	}
	var p httpapi.Problem
	r.decode(t, &p)
	if p.Status != r.Status || p.RequestID == "" || p.Type == "" || p.Title == "" {
		t.Fatalf("incomplete problem %+v for status %d", p, r.Status)
	}
	return p
}

type req struct {
	method, path string
	body         any // string or []byte sent as is; anything else as JSON
	token        string
	header       map[string]string
}

func (e *env) do(r req) resp {
	e.t.Helper()
	return doHTTP(e.t, e.srv.URL, r)
}

func doHTTP(t testing.TB, base string, r req) resp {
	t.Helper()
	var body io.Reader
	switch b := r.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		body = bytes.NewReader(data)
	}
	hr, err := http.NewRequest(r.method, base+r.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	if r.token != "" {
		hr.Header.Set("Authorization", "Bearer "+r.token)
	}
	for k, v := range r.header {
		if v == "" {
			hr.Header.Del(k) // an empty value leaves the header out
			continue
		}
		hr.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp{Status: res.StatusCode, Header: res.Header, Body: data}
}

// account is a signed-in user of the test API.
type account struct {
	ID      uuid.UUID
	Email   string
	Token   string
	Refresh string
}

// newAccount creates a user with the role and signs it in.
func (e *env) newAccount(role auth.Role) account {
	e.t.Helper()
	ctx := context.Background()
	email := strings.ToLower(string(role)) + "-" + uuid.NewString()[:8] + "@example.com"
	u, err := e.auth.CreateUser(ctx, auth.Registration{Email: email, Password: "correct horse battery", Name: "Test " + string(role)}, role)
	if err != nil {
		e.t.Fatal(err)
	}
	pair, err := e.auth.Login(ctx, email, "correct horse battery")
	if err != nil {
		e.t.Fatal(err)
	}
	return account{ID: u.ID, Email: email, Token: pair.AccessToken, Refresh: pair.RefreshToken}
}

// newProduct creates a live product with the given stock and price.
func (e *env) newProduct(stock int32, priceCents int64) catalog.Product {
	e.t.Helper()
	p, err := e.cat.Create(context.Background(), catalog.Product{
		SKU: "T-" + strings.ToUpper(uuid.NewString()[:13]), Name: "Test product " + uuid.NewString()[:8],
		Description: "A product made by a test.", Category: "Testing", PriceCents: priceCents, Currency: "USD", Stock: stock,
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

// count runs a COUNT(*) style query and returns the number.
func (e *env) count(sql string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func expectStatus(t testing.TB, r resp, want int) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("status = %d, want %d; body %s", r.Status, want, r.Body)
	}
}

func patchCurrency(c string) catalog.Patch { return catalog.Patch{Currency: &c} }

var jsonUnmarshal = json.Unmarshal

// chiWalk lists every method and route pattern the API's router serves.
func chiWalk(a *httpapi.API, fn func(method, route string)) error {
	return chi.Walk(a.Router(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		fn(method, route)
		return nil
	})
}
