package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/acme/orders/internal/httpapi"
	"github.com/acme/orders/internal/webui"
)

func withWeb(t *testing.T) envOption {
	t.Helper()
	web, err := webui.New(fstest.MapFS{
		"index.html":             {Data: []byte(`<!doctype html><title>app</title><div id="root"></div>`)},
		"assets/index-abc123.js": {Data: []byte("console.log(1)")},
	})
	if err != nil {
		t.Fatal(err)
	}
	return func(c *httpapi.Config, d *httpapi.Deps) { d.Web = web }
}

// TestWebAppBesideTheAPI checks that the app answers browser paths while the API and the probes
// keep their own answers, and that every answer carries the strict CSP.
func TestWebAppBesideTheAPI(t *testing.T) {
	e := newEnv(t, withWeb(t))
	// The app's paths are outside the API document, so this test talks to the API directly
	// rather than through the env's server, which checks every answer against the document.
	srv := httptest.NewServer(e.api)
	t.Cleanup(srv.Close)
	do := func(r req) resp { return doHTTP(t, srv.URL, r) }

	for _, path := range []string{"/", "/orders/123", "/admin/pipeline"} {
		r := do(req{method: "GET", path: path})
		if r.Status != http.StatusOK || !strings.Contains(string(r.Body), `<div id="root">`) {
			t.Errorf("GET %s: %d %.60s, want index.html", path, r.Status, r.Body)
		}
		if got := r.Header.Get("Cache-Control"); got != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache", path, got)
		}
		if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("GET %s: CSP %q is not the strict one", path, csp)
		}
	}
	if r := do(req{method: "GET", path: "/assets/index-abc123.js"}); r.Status != http.StatusOK || r.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Errorf("asset: %d, Cache-Control %q", r.Status, r.Header.Get("Cache-Control"))
	}

	// Unknown API paths stay problem+json 404s; the probes and metrics are untouched.
	for _, path := range []string{"/api/v1/nope", "/api/nothing", "/api"} {
		r := do(req{method: "GET", path: path})
		if r.Status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, r.Status)
			continue
		}
		r.problem(t)
	}
	if r := do(req{method: "GET", path: "/healthz"}); r.Status != http.StatusOK || strings.Contains(string(r.Body), "root") {
		t.Errorf("/healthz: %d %s", r.Status, r.Body)
	}
	// Metrics have their own listener: on the API's address they are a 404, not the app.
	if r := do(req{method: "GET", path: "/metrics"}); r.Status != http.StatusNotFound {
		t.Errorf("/metrics: %d, want 404", r.Status)
	} else {
		r.problem(t)
	}
	if r := do(req{method: "GET", path: "/api/v1/products?page_size=1"}); r.Status != http.StatusOK || !strings.Contains(string(r.Body), `"items"`) {
		t.Errorf("/api/v1/products: %d %.80s", r.Status, r.Body)
	}
	// Writes to a browser path are not the app's: the API's 404 problem.
	r := do(req{method: "POST", path: "/orders/123", body: map[string]any{}})
	if r.Status != http.StatusNotFound {
		t.Errorf("POST /orders/123: %d, want 404", r.Status)
	} else {
		r.problem(t)
	}
}

// TestNoWebAppKeepsProblemNotFound checks that without a built app every unknown path is the
// API's problem+json 404, as before.
func TestNoWebAppKeepsProblemNotFound(t *testing.T) {
	e := newEnv(t)
	r := e.do(req{method: "GET", path: "/orders/123"})
	if r.Status != http.StatusNotFound {
		t.Fatalf("GET /orders/123: %d, want 404", r.Status)
	}
	r.problem(t)
}
