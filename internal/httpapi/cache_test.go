package httpapi_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/httpapi"
	"github.com/acme/orders/internal/platform/cache"
	"github.com/acme/orders/internal/projection"
	"github.com/acme/orders/internal/readmodel"
)

// project publishes everything pending and applies it to order_history, then runs the hook the
// worker runs after each commit, as the worker would.
func project(t *testing.T, e *env, responses *cache.Responses) {
	t.Helper()
	ctx := context.Background()
	pub := projection.NewPublisher(e.pool)
	runner := projection.NewRunner(e.pool, readmodel.OrderHistory{})
	drop := readmodel.DropChangedHistory(e.pool, responses)
	for {
		round, err := pub.Publish(ctx, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if round.Published == 0 && round.HeldBack == 0 {
			break
		}
	}
	for {
		p, err := runner.ApplyNext(ctx, "order_history", 1000)
		if err != nil {
			t.Fatal(err)
		}
		if p.Applied > 0 {
			if err := drop(ctx, "order_history", p.Checkpoint-p.Applied, p.Checkpoint); err != nil {
				t.Fatal(err)
			}
		}
		if p.Lag() == 0 {
			return
		}
	}
}

func TestOrderHistoryIsCachedUntilItChanges(t *testing.T) {
	t.Parallel()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	defer rdb.Close()
	responses := cache.NewResponses(rdb, time.Minute)
	e := newEnv(t, func(c *httpapi.Config, d *httpapi.Deps) { d.Pipeline = testPipeline(d.Pool, responses) })
	c, other := e.newAccount(auth.RoleCustomer), e.newAccount(auth.RoleCustomer)
	p := e.newProduct(100, 100)
	history := func(token string) (int, string) {
		r := e.do(req{method: "GET", path: "/api/v1/orders?page_size=50", token: token})
		expectStatus(t, r, 200)
		var page struct{ Items []struct{ ID string } }
		r.decode(t, &page)
		return len(page.Items), r.Header.Get("X-Cache")
	}

	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/orders", token: c.Token, body: items(p.ID, 1)}), 201)
	project(t, e, responses)
	if n, hit := history(c.Token); n != 1 || hit != "miss" {
		t.Fatalf("first read: %d orders, X-Cache %q", n, hit)
	}
	if n, hit := history(c.Token); n != 1 || hit != "hit" {
		t.Fatalf("second read: %d orders, X-Cache %q", n, hit)
	}
	// Another customer's order does not drop this customer's entry.
	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/orders", token: other.Token, body: items(p.ID, 1)}), 201)
	project(t, e, responses)
	if n, hit := history(c.Token); n != 1 || hit != "hit" {
		t.Fatalf("after another customer's order: %d orders, X-Cache %q", n, hit)
	}
	// This customer's new order does, once projected.
	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/orders", token: c.Token, body: items(p.ID, 2)}), 201)
	project(t, e, responses)
	if n, hit := history(c.Token); n != 2 || hit != "miss" {
		t.Fatalf("after the customer's second order: %d orders, X-Cache %q", n, hit)
	}
}

func TestOrderHistoryWithoutRedis(t *testing.T) {
	t.Parallel()
	dead := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	defer dead.Close()
	responses := cache.NewResponses(dead, time.Minute)
	e := newEnv(t, func(c *httpapi.Config, d *httpapi.Deps) { d.Pipeline = testPipeline(d.Pool, responses) })
	c := e.newAccount(auth.RoleCustomer)
	p := e.newProduct(10, 100)
	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/orders", token: c.Token, body: items(p.ID, 1)}), 201)
	project(t, e, nil)
	for range 2 {
		r := e.do(req{method: "GET", path: "/api/v1/orders", token: c.Token})
		expectStatus(t, r, 200)
		if r.Header.Get("X-Cache") != "" {
			t.Fatalf("X-Cache %q with Redis down", r.Header.Get("X-Cache"))
		}
	}
}
