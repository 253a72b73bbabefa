package httpapi_test

import (
	"context"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/httpapi"
	"github.com/acme/orders/internal/platform/postgres"
)

// switchProxy forwards TCP connections to a target while up; down closes the listener and
// every open connection, as a database that went away would.
type switchProxy struct {
	target string
	addr   string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func (p *switchProxy) up(t *testing.T) {
	t.Helper()
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ { // the port may linger briefly after down
		if ln, err = net.Listen("tcp", p.addr); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(s, c); s.Close() }()
			go func() { _, _ = io.Copy(c, s); c.Close() }()
		}
	}()
}

func (p *switchProxy) down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ln.Close()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// TestDatabaseOutage cuts the API off from PostgreSQL: requests that need the database get
// 503 problem+json (never a 500, never driver text), /readyz says unavailable, and once the
// database is reachable again the API serves normally without a restart.
func TestDatabaseOutage(t *testing.T) {
	t.Parallel()
	u, err := url.Parse(testDB.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := &switchProxy{target: u.Host, addr: "127.0.0.1:0"}
	proxy.up(t)
	defer proxy.down()
	u.Host = proxy.addr
	pool, err := postgres.Open(context.Background(), u.String(), postgres.Options{MaxConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	e := newEnv(t, withPool(pool))
	c := e.newAccount(auth.RoleCustomer)
	p, unread := e.newProduct(10, 100), e.newProduct(10, 100)
	expectStatus(t, e.do(req{method: "GET", path: "/api/v1/products/" + p.ID.String()}), 200)

	proxy.down()
	for _, rq := range []req{
		// A product read before the outage may still be answered from the view cache (for up
		// to its TTL); one nobody has read needs the database.
		{method: "GET", path: "/api/v1/products/" + unread.ID.String()},
		{method: "GET", path: "/api/v1/products?q=x"},
		{method: "POST", path: "/api/v1/orders", token: c.Token, body: items(p.ID, 1)},
		{method: "POST", path: "/api/v1/auth/login", body: map[string]string{"email": c.Email, "password": "correct horse battery"}},
	} {
		r := e.do(rq)
		if r.Status != 503 {
			t.Fatalf("%s %s during outage: status %d, want 503: %s", rq.method, rq.path, r.Status, r.Body)
		}
		pr := r.problem(t)
		if leaks(r.Body) || strings.Contains(pr.Detail, "dial") || strings.Contains(pr.Detail, "127.0.0.1") {
			t.Fatalf("outage answer leaks internals: %s", r.Body)
		}
	}
	ready := e.do(req{method: "GET", path: "/readyz"})
	expectStatus(t, ready, 503)

	proxy.up(t)
	deadline := time.Now().Add(30 * time.Second)
	for {
		r := e.do(req{method: "POST", path: "/api/v1/orders", token: c.Token, body: items(p.ID, 1)})
		if r.Status == 201 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("API did not recover: last status %d %s", r.Status, r.Body)
		}
		time.Sleep(200 * time.Millisecond)
	}
	expectStatus(t, e.do(req{method: "GET", path: "/readyz"}), 200)
}

// TestReadinessReportsDegradedDependencies: a dead Redis or Temporal makes /readyz say
// "degraded" but stay 200, because neither is needed to serve.
func TestReadinessReportsDegradedDependencies(t *testing.T) {
	t.Parallel()
	dead := func(ctx context.Context) error { return context.DeadlineExceeded }
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"}) // nothing listens there
	defer rdb.Close()
	e := newEnv(t, func(c *httpapi.Config, d *httpapi.Deps) {
		d.Checks = []httpapi.Check{{Name: "postgres", Critical: true, Probe: testDB.Pool.Ping},
			{Name: "redis", Probe: func(ctx context.Context) error { return rdb.Ping(ctx).Err() }},
			{Name: "temporal", Probe: dead}}
	})
	r := e.do(req{method: "GET", path: "/readyz"})
	expectStatus(t, r, 200)
	var body struct {
		Status string            `json:"status"`
		Checks map[string]string `json:"checks"`
	}
	r.decode(t, &body)
	if body.Status != "degraded" || body.Checks["postgres"] != "ok" || body.Checks["redis"] != "degraded" || body.Checks["temporal"] != "degraded" {
		t.Fatalf("readyz = %+v", body)
	}
}
