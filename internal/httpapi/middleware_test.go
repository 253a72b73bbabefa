package httpapi_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/httpapi/apidocs"
)

func TestEveryResponseCarriesRequestIDAndSecurityHeaders(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, rq := range []req{
		{method: "GET", path: "/healthz"},
		{method: "GET", path: "/api/v1/products"},
		{method: "GET", path: "/api/v1/nowhere"},
		{method: "GET", path: "/api/v1/me"},
		{method: "PUT", path: "/api/v1/products"},
		{method: "GET", path: "/api/docs"},
	} {
		r := e.do(rq)
		if r.Header.Get("X-Request-ID") == "" {
			t.Errorf("%s %s: no X-Request-ID", rq.method, rq.path)
		}
		for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"} {
			if got := r.Header.Get(h); got != want {
				t.Errorf("%s %s: %s = %q", rq.method, rq.path, h, got)
			}
		}
		if !strings.Contains(r.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("%s %s: CSP = %q", rq.method, rq.path, r.Header.Get("Content-Security-Policy"))
		}
		if r.Header.Get("Strict-Transport-Security") != "" {
			t.Errorf("HSTS sent over plain HTTP")
		}
	}
	expectStatus(t, e.do(req{method: "GET", path: "/api/v1/nowhere"}), 404)
	expectStatus(t, e.do(req{method: "PUT", path: "/api/v1/products"}), 405)

	r := e.do(req{method: "GET", path: "/healthz", header: map[string]string{"X-Request-ID": "client-id.42"}})
	if r.Header.Get("X-Request-ID") != "client-id.42" {
		t.Errorf("sane request ID not echoed: %q", r.Header.Get("X-Request-ID"))
	}
	r = e.do(req{method: "GET", path: "/api/v1/me", header: map[string]string{"X-Request-ID": "bad id\u00e9<script>"}})
	if id := r.Header.Get("X-Request-ID"); id == "" || strings.ContainsAny(id, " <") {
		t.Errorf("insane request ID echoed: %q", id)
	}
	if p := r.problem(t); p.RequestID != r.Header.Get("X-Request-ID") {
		t.Errorf("problem request_id %q != header %q", p.RequestID, r.Header.Get("X-Request-ID"))
	}
}

func TestBodyLimitsAndMediaType(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.newAccount(auth.RoleCustomer)
	big := `{"items":[` + strings.Repeat(`{"product_id":"0195f0c4-0000-7000-8000-000000000000","quantity":1},`, 20000) + `{}]}`
	r := e.do(req{method: "POST", path: "/api/v1/orders", token: c.Token, body: big})
	expectStatus(t, r, 413)
	r.problem(t)
	r = e.do(req{method: "POST", path: "/api/v1/auth/login", body: `email=a&password=b`, header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}})
	expectStatus(t, r, 415)
	r = e.do(req{method: "POST", path: "/api/v1/auth/login", body: `{"email":"a@b.c","password":"x"} {"again":1}`})
	expectStatus(t, r, 400)
}

func TestCORSAllowlist(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pre := e.do(req{method: "OPTIONS", path: "/api/v1/orders", header: map[string]string{
		"Origin": "http://app.example.test", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type"}})
	expectStatus(t, pre, 204)
	if pre.Header.Get("Access-Control-Allow-Origin") != "http://app.example.test" || !strings.Contains(pre.Header.Get("Access-Control-Allow-Headers"), "Idempotency-Key") {
		t.Fatalf("preflight headers: %v", pre.Header)
	}
	evil := e.do(req{method: "GET", path: "/api/v1/products", header: map[string]string{"Origin": "http://evil.example"}})
	if evil.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatal("CORS allowed an origin outside the allowlist")
	}
}

// TestOpenAPICoversEveryRoute compares the routes the router serves with the operations the
// OpenAPI document describes, both ways.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	served := map[string]bool{}
	err := chiWalk(e.api, func(method, route string) {
		if strings.HasSuffix(route, "/*") { // the docs page's assets
			return
		}
		served[method+" "+route] = true
	})
	if err != nil {
		t.Fatal(err)
	}
	// /metrics is documented with a server of its own: the metrics listener, not the API's router.
	m := httptest.NewRecorder()
	e.api.MetricsHandler().ServeHTTP(m, httptest.NewRequest("GET", "/metrics", nil))
	served["GET /metrics"] = m.Code == 200
	documented := map[string]bool{}
	for _, p := range apidocs.Paths() {
		documented[p] = true
	}
	for r := range served {
		if !documented[r] {
			t.Errorf("served but not documented: %s", r)
		}
	}
	for d := range documented {
		if !served[d] {
			t.Errorf("documented but not served: %s", d)
		}
	}
	r := e.do(req{method: "GET", path: "/api/v1/openapi.json"})
	expectStatus(t, r, 200)
	var doc struct {
		OpenAPI string `json:"openapi"`
	}
	r.decode(t, &doc)
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi = %q", doc.OpenAPI)
	}
	page := e.do(req{method: "GET", path: "/api/docs"})
	expectStatus(t, page, 200)
	if !strings.Contains(page.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("docs content type %q", page.Header.Get("Content-Type"))
	}
}
