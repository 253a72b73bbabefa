package webui_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/acme/orders/internal/webui"
)

var indexHTML = `<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>`

func build(t *testing.T) *webui.Handler {
	t.Helper()
	h, err := webui.New(fstest.MapFS{
		"index.html":              {Data: []byte(indexHTML)},
		"assets/index-abc123.js":  {Data: []byte(strings.Repeat("console.log('app');\n", 100))},
		"assets/index-def456.css": {Data: []byte("body{margin:0}")},
		"favicon.svg":             {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func get(h http.Handler, path string, header ...string) *http.Response {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestServesFilesWithTheirCaching(t *testing.T) {
	t.Parallel()
	h := build(t)
	tests := []struct {
		path, status, cache, contentType, bodyHas string
	}{
		{"/", "200", "no-cache", "text/html", `<div id="root">`},
		{"/index.html", "200", "no-cache", "text/html", `<div id="root">`},
		{"/assets/index-abc123.js", "200", "public, max-age=31536000, immutable", "javascript", "console.log"},
		{"/assets/index-def456.css", "200", "public, max-age=31536000, immutable", "text/css", "margin"},
		{"/favicon.svg", "200", "no-cache", "image/svg+xml", "<svg"},
		// The app's own routes get index.html, so a reload of a deep link works.
		{"/products/8c6f1d2e", "200", "no-cache", "text/html", `<div id="root">`},
		{"/admin/pipeline?x=1", "200", "no-cache", "text/html", `<div id="root">`},
		// A missing hashed asset is a 404, never HTML served as script.
		{"/assets/index-old999.js", "404", "no-cache", "text/plain", "not found"},
		// Paths cannot climb out of the build.
		{"/../../etc/passwd", "200", "no-cache", "text/html", `<div id="root">`},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			res := get(h, tt.path)
			if got := res.Status[:3]; got != tt.status {
				t.Errorf("status = %s, want %s", res.Status, tt.status)
			}
			if got := res.Header.Get("Cache-Control"); got != tt.cache {
				t.Errorf("Cache-Control = %q, want %q", got, tt.cache)
			}
			if got := res.Header.Get("Content-Type"); !strings.Contains(got, tt.contentType) {
				t.Errorf("Content-Type = %q, want it to contain %q", got, tt.contentType)
			}
			if b := body(t, res); !strings.Contains(b, tt.bodyHas) {
				t.Errorf("body %.80q does not contain %q", b, tt.bodyHas)
			}
		})
	}
}

func TestGzipWhenAccepted(t *testing.T) {
	t.Parallel()
	h := build(t)
	plain := body(t, get(h, "/assets/index-abc123.js"))

	res := get(h, "/assets/index-abc123.js", "Accept-Encoding", "br, gzip")
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding = %q, want gzip", res.Header.Get("Content-Encoding"))
	}
	if !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("Vary = %q, want Accept-Encoding", res.Header.Get("Vary"))
	}
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if string(unzipped) != plain {
		t.Error("the gzip body does not decompress to the file")
	}

	if res := get(h, "/assets/index-abc123.js", "Accept-Encoding", "gzip;q=0"); res.Header.Get("Content-Encoding") != "" {
		t.Errorf("gzip;q=0 still got Content-Encoding %q", res.Header.Get("Content-Encoding"))
	}
}

func TestConditionalRequests(t *testing.T) {
	t.Parallel()
	h := build(t)
	first := get(h, "/")
	etag := first.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag on index.html")
	}
	if res := get(h, "/", "If-None-Match", etag); res.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation status = %d, want 304", res.StatusCode)
	}
}

func TestNewWithoutIndexFails(t *testing.T) {
	t.Parallel()
	_, err := webui.New(fstest.MapFS{"assets/a.js": {Data: []byte("x")}})
	if !errors.Is(err, webui.ErrNoIndex) {
		t.Fatalf("err = %v, want ErrNoIndex", err)
	}
}

func TestOwns(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method, path string
		want         bool
	}{
		{"GET", "/", true},
		{"HEAD", "/orders/1", true},
		{"GET", "/assets/x.js", true},
		{"POST", "/", false},
		{"GET", "/api", false},
		{"GET", "/api/v1/nope", false},
		{"GET", "/api/docs", false},
		{"GET", "/healthz", false},
		{"GET", "/readyz", false},
		{"GET", "/metrics", false},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(tt.method, tt.path, bytes.NewReader(nil))
		if got := webui.Owns(r); got != tt.want {
			t.Errorf("Owns(%s %s) = %v, want %v", tt.method, tt.path, got, tt.want)
		}
	}
}
