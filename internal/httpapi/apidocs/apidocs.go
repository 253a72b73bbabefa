// Package apidocs holds the API's hand-written OpenAPI 3.1.0 document (openapi.json) and an API
// reference page (docs.html, docs.js, docs.css) that renders it in the browser without any
// outside asset: no CDN, no web font, no third-party script. All four files are embedded in the
// binary.
//
// The router serves the document at /api/v1/openapi.json (from Spec) and mounts Handler at
// /api/docs. Paths lists the document's operations so that a test of the router can check that
// every route it serves is documented, and every documented route is served.
package apidocs

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

var (
	//go:embed openapi.json
	spec []byte
	//go:embed docs.html
	docsHTML []byte
	//go:embed docs.js
	docsJS []byte
	//go:embed docs.css
	docsCSS []byte
)

// Spec returns the raw OpenAPI document bytes. The caller must not modify them.
func Spec() []byte { return spec }

// httpMethods are the operation keys of an OpenAPI path item.
var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// operations is "METHOD /path" for every operation of the document, sorted; parsed once.
var operations = mustOperations(spec)

func mustOperations(doc []byte) []string {
	ops, err := listOperations(doc)
	if err != nil {
		panic("apidocs: openapi.json: " + err.Error())
	}
	return ops
}

func listOperations(doc []byte) ([]string, error) {
	var d struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, err
	}
	var out []string
	for path, item := range d.Paths {
		for key := range item {
			if slices.Contains(httpMethods, key) {
				out = append(out, strings.ToUpper(key)+" "+path)
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no operations")
	}
	slices.Sort(out)
	return out, nil
}

// Paths returns, for every operation in the document, "METHOD /path" with chi-style path
// parameters (OpenAPI's {name} is also chi's syntax), e.g. "GET /api/v1/products/{id}",
// sorted. Each call returns a new slice.
func Paths() []string { return slices.Clone(operations) }

// asset is one file the docs handler serves.
type asset struct {
	body        []byte
	contentType string
	etag        string
}

func newAsset(body []byte, contentType string) asset {
	sum := sha256.Sum256(body)
	return asset{body: body, contentType: contentType, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
}

var (
	page   = newAsset(docsHTML, "text/html; charset=utf-8")
	assets = map[string]asset{
		"":          page,
		"/":         page,
		"/docs.js":  newAsset(docsJS, "text/javascript; charset=utf-8"),
		"/docs.css": newAsset(docsCSS, "text/css; charset=utf-8"),
	}
)

// pageCSP is the policy the page is written for; it is set only when the server has not set
// one of its own already.
const pageCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'"

// Handler serves the API reference page relative to where it is mounted, with the mount prefix
// stripped: "" and "/" serve docs.html, "/docs.js" and "/docs.css" its script and style sheet,
// each with its Content-Type and an ETag. The router mounts it at /api/docs, so the page is
// /api/docs or /api/docs/ and its assets /api/docs/docs.js and /api/docs/docs.css (the page
// names them by those absolute paths). Any other path is 404; methods other than GET and HEAD
// are 405.
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
		h.Set("Content-Type", a.contentType)
		h.Set("Cache-Control", "no-cache") // revalidate: the ETag changes with each release
		h.Set("ETag", a.etag)
		h.Set("X-Content-Type-Options", "nosniff")
		if h.Get("Content-Security-Policy") == "" {
			h.Set("Content-Security-Policy", pageCSP)
		}
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.body))
	})
}
