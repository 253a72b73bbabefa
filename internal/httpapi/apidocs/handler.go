package apidocs

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"time"
)

var (
	//go:embed index.html
	indexHTML []byte
	//go:embed init.js
	initJS []byte
	//go:embed swagger-ui/swagger-ui-bundle.js
	swaggerUIJS []byte
	//go:embed swagger-ui/swagger-ui.css
	swaggerUICSS []byte
)

// PageCSP is the Content-Security-Policy of every response of Handler: the page runs only the
// scripts and style sheets it loads from this origin, fetches only from this origin (the
// document, and requests made with "Try it out"), shows images only from this origin or
// data: URLs (the style sheet's icons), and cannot be framed.
const PageCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// asset is one file the docs handler serves, with its gzip-compressed form, made on first use.
type asset struct {
	body        []byte
	gz          func() []byte
	contentType string
	etag        string
}

func newAsset(body []byte, contentType string) asset {
	sum := sha256.Sum256(body)
	gz := sync.OnceValue(func() []byte {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(body) // writes to a bytes.Buffer cannot fail
		_ = zw.Close()
		return buf.Bytes()
	})
	return asset{body: body, gz: gz, contentType: contentType, etag: hex.EncodeToString(sum[:12])}
}

var (
	page   = newAsset(indexHTML, "text/html; charset=utf-8")
	assets = map[string]asset{
		"":                      page,
		"/":                     page,
		"/init.js":              newAsset(initJS, "text/javascript; charset=utf-8"),
		"/swagger-ui-bundle.js": newAsset(swaggerUIJS, "text/javascript; charset=utf-8"),
		"/swagger-ui.css":       newAsset(swaggerUICSS, "text/css; charset=utf-8"),
	}
)

// Handler serves the API reference page relative to where it is mounted, with the mount prefix
// stripped: "" and "/" serve the page, "/init.js" its start-up script, "/swagger-ui-bundle.js"
// and "/swagger-ui.css" the renderer, each with its Content-Type, an ETag, gzip when the client
// accepts it, and PageCSP (which replaces any policy set before). The router mounts it at
// /api/docs, and the page names its assets by their absolute paths under /api/docs/. Any other
// path is 404; methods other than GET and HEAD are 405.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := assets[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
			return
		}
		h := w.Header()
		h.Set("Content-Security-Policy", PageCSP)
		h.Set("Content-Type", a.contentType)
		h.Set("Cache-Control", "no-cache") // revalidate: the ETag changes with each release
		h.Set("X-Content-Type-Options", "nosniff")
		h.Add("Vary", "Accept-Encoding")
		body, etag := a.body, a.etag
		if acceptsGzip(r) {
			body, etag = a.gz(), a.etag+"-gz"
			h.Set("Content-Encoding", "gzip")
		}
		h.Set("ETag", `"`+etag+`"`)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
	})
}

// acceptsGzip reports whether the request's Accept-Encoding lists gzip without q=0.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}
