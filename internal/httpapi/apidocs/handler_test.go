package apidocs_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/acme/orders/internal/httpapi/apidocs"
)

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestHandler(t *testing.T) {
	t.Parallel()
	// Mounted as the router mounts it.
	mux := http.NewServeMux()
	mux.Handle("/api/docs", http.StripPrefix("/api/docs", apidocs.Handler()))
	mux.Handle("/api/docs/", http.StripPrefix("/api/docs", apidocs.Handler()))
	html := "text/html; charset=utf-8"
	js := "text/javascript; charset=utf-8"
	for path, want := range map[string]struct {
		contentType string
		file        string
	}{
		"/api/docs":                      {html, "index.html"},
		"/api/docs/":                     {html, "index.html"},
		"/api/docs/init.js":              {js, "init.js"},
		"/api/docs/swagger-ui-bundle.js": {js, "swagger-ui/swagger-ui-bundle.js"},
		"/api/docs/swagger-ui.css":       {"text/css; charset=utf-8", "swagger-ui/swagger-ui.css"},
	} {
		body := readFile(t, want.file)
		for _, gz := range []bool{false, true} {
			r := httptest.NewRequest("GET", path, nil)
			if gz {
				r.Header.Set("Accept-Encoding", "br, gzip;q=0.8")
			}
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, r)
			if w.Code != 200 {
				t.Errorf("%s: status %d", path, w.Code)
				continue
			}
			if got := w.Header().Get("Content-Type"); got != want.contentType {
				t.Errorf("%s: Content-Type %q, want %q", path, got, want.contentType)
			}
			got := w.Body.Bytes()
			if gz {
				if w.Header().Get("Content-Encoding") != "gzip" {
					t.Fatalf("%s: not gzip-encoded for a client that accepts it", path)
				}
				zr, err := gzip.NewReader(w.Body)
				if err != nil {
					t.Fatal(err)
				}
				if got, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
			} else if w.Header().Get("Content-Encoding") != "" {
				t.Errorf("%s: encoded without Accept-Encoding", path)
			}
			if !bytes.Equal(got, body) {
				t.Errorf("%s: the body is not %s", path, want.file)
			}
			if w.Header().Get("Content-Security-Policy") != apidocs.PageCSP || w.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s: security headers missing: %v", path, w.Header())
			}
			// Revalidation with the ETag costs no body.
			r2 := httptest.NewRequest("GET", path, nil)
			r2.Header.Set("Accept-Encoding", r.Header.Get("Accept-Encoding"))
			r2.Header.Set("If-None-Match", w.Header().Get("ETag"))
			w2 := httptest.NewRecorder()
			mux.ServeHTTP(w2, r2)
			if w2.Code != http.StatusNotModified {
				t.Errorf("%s with its ETag: status %d, want 304", path, w2.Code)
			}
		}
	}
	for _, path := range []string{"/api/docs/other.js", "/api/docs/index.html", "/api/docs/openapi.json", "/api/docs/apidocs.go",
		"/api/docs/swagger-ui/swagger-ui.css", "/api/docs/PROVENANCE", "/api/docs/init.js/", "/api/docs//init.js",
		"/api/docs/../init.js", "/api/docsx"} {
		w := httptest.NewRecorder()
		r := httptest.NewRequest("GET", "/", nil)
		r.URL.Path = path
		mux.ServeHTTP(w, r)
		if w.Code == 200 {
			t.Errorf("%s: status %d, want an error", path, w.Code)
		}
	}
	// Unmounted: paths are relative to the mount point.
	w := httptest.NewRecorder()
	apidocs.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/nope", nil))
	if w.Code != 404 {
		t.Errorf("/nope: %d, want 404", w.Code)
	}
	w = httptest.NewRecorder()
	apidocs.Handler().ServeHTTP(w, httptest.NewRequest("POST", "/", nil))
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /: %d, want 405", w.Code)
	}
	w = httptest.NewRecorder()
	apidocs.Handler().ServeHTTP(w, httptest.NewRequest("HEAD", "/swagger-ui.css", nil))
	if w.Code != 200 || w.Body.Len() != 0 {
		t.Errorf("HEAD /swagger-ui.css: %d with %d bytes", w.Code, w.Body.Len())
	}
	// The server's stricter policy is replaced by the one the page needs.
	w = httptest.NewRecorder()
	w.Header().Set("Content-Security-Policy", "default-src 'none'")
	apidocs.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if got := w.Header().Values("Content-Security-Policy"); len(got) != 1 || got[0] != apidocs.PageCSP {
		t.Errorf("CSP = %q, want only the page's", got)
	}
}

// TestPageFitsTheCSP: the page works under PageCSP, so it has no inline script, style or
// event handler, loads only same-origin scripts and style sheets, and the start-up script
// neither evaluates text nor lets Swagger UI call out (no validator badge, no document named
// in the query string). The policy itself allows nothing from another origin.
func TestPageFitsTheCSP(t *testing.T) {
	t.Parallel()
	page := string(readFile(t, "index.html"))
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`(?is)<script\b[^>]*>\s*[^<\s][^<]*</script>`), // an inline script body
		regexp.MustCompile(`(?i)<style\b`),
		regexp.MustCompile(`(?i)\sstyle\s*=`),
		regexp.MustCompile(`(?i)\son[a-z]+\s*=`),
		regexp.MustCompile(`(?i)javascript:`),
		regexp.MustCompile(`(?i)(?:src|href)\s*=\s*["']?(?:https?:)?//`),
	} {
		if m := bad.FindString(page); m != "" {
			t.Errorf("index.html has %q", m)
		}
	}
	scripts := regexp.MustCompile(`(?i)<script\b[^>]*>`).FindAllString(page, -1)
	if len(scripts) != 2 {
		t.Errorf("index.html has %d scripts, want the bundle and init.js", len(scripts))
	}
	for _, tag := range scripts {
		if !strings.Contains(tag, ` src="/api/docs/`) {
			t.Errorf("index.html has a script not served by the handler: %s", tag)
		}
	}
	for _, want := range []string{`<link rel="stylesheet" href="/api/docs/swagger-ui.css">`, `data-openapi-url="/api/v1/openapi.json"`} {
		if !strings.Contains(page, want) {
			t.Errorf("index.html does not have %s", want)
		}
	}
	js := string(readFile(t, "init.js"))
	for _, want := range []string{"validatorUrl: null", "queryConfigEnabled: false"} {
		if !strings.Contains(js, want) {
			t.Errorf("init.js does not set %s", want)
		}
	}
	for _, bad := range []string{"innerHTML", "eval(", "new Function", "http:", "https:"} {
		if strings.Contains(js, bad) {
			t.Errorf("init.js uses %s", bad)
		}
	}
	css := string(readFile(t, "swagger-ui/swagger-ui.css"))
	for _, bad := range []string{"@import", "url(http", "url(//", "@font-face"} {
		if strings.Contains(css, bad) {
			t.Errorf("swagger-ui.css uses %s", bad)
		}
	}
	for _, directive := range strings.Split(apidocs.PageCSP, ";") {
		if strings.Contains(directive, "http") || strings.Contains(directive, "*") || strings.Contains(directive, "unsafe") {
			t.Errorf("PageCSP allows too much: %q", strings.TrimSpace(directive))
		}
	}
	if !strings.HasPrefix(apidocs.PageCSP, "default-src 'none';") || !strings.Contains(apidocs.PageCSP, "frame-ancestors 'none'") {
		t.Errorf("PageCSP = %q", apidocs.PageCSP)
	}
}

// TestVendoredFilesMatchProvenance: the committed Swagger UI files are the ones PROVENANCE
// records, byte for byte, so nobody edits them by hand.
func TestVendoredFilesMatchProvenance(t *testing.T) {
	t.Parallel()
	line := regexp.MustCompile(`^\s+([0-9a-f]{64})\s+(\S+)$`)
	sc := bufio.NewScanner(bytes.NewReader(readFile(t, "swagger-ui/PROVENANCE")))
	files := map[string]bool{}
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		files[m[2]] = true
		sum := sha256.Sum256(readFile(t, "swagger-ui/"+m[2]))
		if hex.EncodeToString(sum[:]) != m[1] {
			t.Errorf("swagger-ui/%s differs from the release recorded in PROVENANCE", m[2])
		}
	}
	for _, want := range []string{"swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "NOTICE"} {
		if !files[want] {
			t.Errorf("PROVENANCE does not record %s", want)
		}
	}
	entries, err := os.ReadDir("swagger-ui")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "PROVENANCE" && !files[e.Name()] {
			t.Errorf("swagger-ui/%s is not recorded in PROVENANCE", e.Name())
		}
	}
}
