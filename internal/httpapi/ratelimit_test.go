package httpapi_test

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/httpapi"
	"github.com/acme/orders/internal/platform/cache"
	"github.com/acme/orders/internal/platform/redistest"
	"github.com/acme/orders/internal/ratelimit"
)

// uniqueIP is a documentation IPv6 address that no other test run uses, so that runs sharing
// one Redis never spend each other's budget.
func uniqueIP() string {
	u := uuid.New()
	return fmt.Sprintf("2001:db8::%x:%x:%x:%x", u[0:2], u[2:4], u[4:6], u[6:8])
}

func trustProxy(c *httpapi.Config, _ *httpapi.Deps) { c.TrustProxyHeaders = true }

// rateHeaders reads the RateLimit-* headers of a response, failing the test if one is missing.
func rateHeaders(t *testing.T, r resp) (limit, remaining, reset int) {
	t.Helper()
	var out [3]int
	for i, name := range []string{"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"} {
		v, err := strconv.Atoi(r.Header.Get(name))
		if err != nil || v < 0 {
			t.Fatalf("%s = %q on %d", name, r.Header.Get(name), r.Status)
		}
		out[i] = v
	}
	return out[0], out[1], out[2]
}

func products(e *env, ip string) resp {
	e.t.Helper()
	return e.do(req{method: "GET", path: "/api/v1/products?page_size=1", header: map[string]string{"X-Forwarded-For": ip}})
}

// The limit-th request in a row passes and the next is refused with Retry-After, per client
// address on sign-in and per user once signed in; every answer says what is left. With Redis
// down the in-process limiter gives the same answers.
func TestRateLimits(t *testing.T) {
	t.Parallel()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	defer rdb.Close()
	if err := rdb.Ping(t.Context()).Err(); err != nil {
		t.Fatalf("redis: %v", err)
	}
	deadRedis := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	defer deadRedis.Close()
	for name, client := range map[string]*redis.Client{"redis": rdb, "redis down: in-process fallback": deadRedis} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, withRateLimits(3, 5, client), trustProxy)
			h := map[string]string{"X-Forwarded-For": uniqueIP()}
			signIn := req{method: "POST", path: "/api/v1/auth/login", body: map[string]string{"email": "x@example.com", "password": "nope-nope"}, header: h}
			for i := range 3 {
				r := e.do(signIn)
				expectStatus(t, r, 401)
				if limit, left, reset := rateHeaders(t, r); limit != 3 || left != 2-i || reset < 1 || reset > 60 {
					t.Fatalf("sign-in %d: RateLimit-Limit %d, -Remaining %d, -Reset %d", i+1, limit, left, reset)
				}
			}
			r := e.do(signIn)
			expectStatus(t, r, 429)
			if p := r.problem(t); p.Type != "urn:problem-type:orders:rate-limited" {
				t.Fatalf("problem type %q", p.Type)
			}
			// 3 a minute: one request is earned back every 20 s, the whole budget in a minute.
			if wait := retryAfter(t, r); wait < 19*time.Second || wait > 20*time.Second {
				t.Fatalf("Retry-After %s, want 20s", wait)
			}
			if _, left, reset := rateHeaders(t, r); left != 0 || reset < 59 || reset > 60 {
				t.Fatalf("refusal: RateLimit-Remaining %d, -Reset %d", left, reset)
			}

			// The rest of the API has its own budget, and a signed-in user is limited on its
			// own key, not on the address's.
			expectStatus(t, products(e, h["X-Forwarded-For"]), 200)
			c := e.newAccount(auth.RoleCustomer)
			for i := range 5 {
				r := e.do(req{method: "GET", path: "/api/v1/me", token: c.Token, header: h})
				expectStatus(t, r, 200)
				if limit, left, _ := rateHeaders(t, r); limit != 5 || left != 4-i {
					t.Fatalf("/me %d: RateLimit-Limit %d, -Remaining %d", i+1, limit, left)
				}
			}
			r = e.do(req{method: "GET", path: "/api/v1/me", token: c.Token, header: h})
			expectStatus(t, r, 429)
			if wait := retryAfter(t, r); wait < 11*time.Second || wait > 12*time.Second {
				t.Fatalf("Retry-After %s, want 12s", wait)
			}
		})
	}
}

// Without TRUST_PROXY_HEADERS a client cannot get a fresh budget by inventing X-Forwarded-For.
func TestRateLimitIgnoresForwardedForUntrusted(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withRateLimits(0, 2, redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})))
	// All requests come from this test's loopback address; the key is shared with other tests
	// on it, so only the refusal is certain after enough of them.
	var last resp
	for range 3 {
		last = products(e, uniqueIP())
	}
	expectStatus(t, last, 429)
}

// Two API replicas over one Redis spend one budget per client.
func TestRateLimitIsSharedByReplicas(t *testing.T) {
	t.Parallel()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	defer rdb.Close()
	// A patient limiter: on a loaded machine a Redis answer slower than the default 50 ms
	// would hand the decision to each replica's own limiter, which is not what is tested here.
	shared := func(c *httpapi.Config, d *httpapi.Deps) {
		c.RateLimitAPI = 4
		d.Limiter = ratelimit.New(rdb).WithTimeout(5 * time.Second)
	}
	one := newEnv(t, shared, trustProxy)
	two := newEnv(t, shared, trustProxy)
	ip := uniqueIP()
	for i := range 4 {
		e := []*env{one, two}[i%2]
		expectStatus(t, products(e, ip), 200)
	}
	expectStatus(t, products(one, ip), 429)
	expectStatus(t, products(two, ip), 429)
}

// Redis killed while requests run: not one request fails, each replica then limits on its
// own, and once Redis is back they share one budget again without a restart.
func TestRateLimitSurvivesRedisOutage(t *testing.T) {
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
	one := newEnv(t, withRateLimits(0, 5, rdb), trustProxy)
	two := newEnv(t, withRateLimits(0, 5, rdb), trustProxy)

	var ok, failed atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := []*env{one, two}[w%2]
			for {
				select {
				case <-stop:
					return
				default:
				}
				hr, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/products?page_size=1", nil)
				hr.Header.Set("X-Forwarded-For", uniqueIP())
				res, err := http.DefaultClient.Do(hr)
				if err != nil || res.StatusCode != 200 {
					failed.Add(1)
				} else {
					ok.Add(1)
				}
				if res != nil {
					res.Body.Close()
				}
			}
		}()
	}
	time.Sleep(300 * time.Millisecond)
	srv.Kill()
	time.Sleep(1500 * time.Millisecond) // past the breaker's second, so Redis is tried again while down
	close(stop)
	wg.Wait()
	t.Logf("%d requests across the outage, %d failed", ok.Load()+failed.Load(), failed.Load())
	if failed.Load() > 0 || ok.Load() == 0 {
		t.Fatalf("%d requests failed, %d passed", failed.Load(), ok.Load())
	}

	// Down: the in-process limit applies on each replica separately.
	ip := uniqueIP()
	for _, e := range []*env{one, two} {
		for range 5 {
			expectStatus(t, products(e, ip), 200)
		}
		expectStatus(t, products(e, ip), 429)
	}

	srv.Restart()
	probe := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	defer probe.Close()
	deadline := time.Now().Add(5 * time.Second)
	for _, e := range []*env{one, two} {
		for {
			ip := uniqueIP()
			products(e, ip)
			if n, _ := probe.Exists(t.Context(), "rate:api:ip:"+ip).Result(); n == 1 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("Redis is back but the limit is not kept there")
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	ip = uniqueIP()
	for i := range 5 {
		expectStatus(t, products([]*env{one, two}[i%2], ip), 200)
	}
	expectStatus(t, products(one, ip), 429)
	expectStatus(t, products(two, ip), 429)
}
