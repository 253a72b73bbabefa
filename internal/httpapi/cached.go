package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/platform/cache"
)

// Views are the view caches of the API, one per kind of data that changes on its own events.
type Views struct {
	// Catalog keeps the answers of the product list, product detail, categories, search and
	// similar products. The worker bumps its version when it publishes product events and the
	// orders and cancellations that move stock, and when the search index, the co-purchase read
	// model or the embeddings have moved on; catalogue writes through this API bump it at once.
	Catalog *cache.Views
}

// publicCacheControl lets browsers and shared caches keep an anonymous cached answer for
// one second, the bound the API itself keeps (see README, "Caching"), and serve it for two more
// while they revalidate it in the background; revalidation is a cheap 304.
const publicCacheControl = "public, max-age=1, stale-while-revalidate=2"

// cached serves a GET route through views: the answer is rendered once per key and version
// (the path and the query, in a canonical order) and every later request writes the same
// bytes, with a strong ETag. A matching If-None-Match is answered 304 without a body. Answers
// to anonymous callers may be kept by HTTP caches (publicCacheControl); answers to signed-in
// callers are no-store (set by authenticate). Only 200 answers are kept; errors are rendered
// for each request as usual. views nil: no cache, the same headers but no gzip form.
func cached(views *cache.Views, h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var (
			view cache.View
			err  error
		)
		render := func(ctx context.Context) (cache.View, bool, error) {
			rec := &bufferedResponse{header: http.Header{}, status: http.StatusOK}
			if err := h(rec, r.WithContext(ctx)); err != nil {
				return cache.View{}, false, err
			}
			return cache.NewView(rec.header.Get("Content-Type"), rec.body.Bytes()), rec.status == http.StatusOK, nil
		}
		if views == nil {
			view, _, err = render(r.Context()) // rendered for this request alone: not worth compressing
		} else {
			view, _, err = views.Get(r.Context(), r.URL.Path+"?"+canonicalQuery(r.URL.RawQuery), func(ctx context.Context) (cache.View, bool, error) {
				v, ok, err := render(ctx)
				return v.Compressed(), ok, err
			})
		}
		if err != nil {
			return err
		}
		writeView(w, r, view)
		return nil
	}
}

// writeView writes a rendered view, gzip-encoded when the client accepts it and the view has a
// gzip form, or 304 when the client already holds it.
func writeView(w http.ResponseWriter, r *http.Request, v cache.View) {
	h := w.Header()
	body, etag := v.Body, v.ETag
	if v.Gzip != nil {
		h.Set("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			body, etag = v.Gzip, v.GzipETag()
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("ETag", etag)
	if _, signedIn := auth.PrincipalFrom(r.Context()); !signedIn {
		h.Set("Cache-Control", publicCacheControl)
	}
	if noneMatch := r.Header.Get("If-None-Match"); noneMatch != "" && etagMatches(noneMatch, v) {
		h.Del("Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", v.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// etagMatches applies If-None-Match's weak comparison (RFC 9110, 13.1.2) against both forms of
// the view: either one held by the client is the same content.
func etagMatches(header string, v cache.View) bool {
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == v.ETag || (v.Gzip != nil && tag == v.GzipETag()) {
			return true
		}
	}
	return false
}

// acceptsGzip reports whether an Accept-Encoding header admits gzip (a q of 0 refuses it).
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		for _, p := range strings.Split(params, ";") {
			k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
			if q, err := strconv.ParseFloat(val, 64); ok && strings.EqualFold(k, "q") && err == nil && q == 0 {
				return false
			}
		}
		return true
	}
	return false
}

// canonicalQuery orders a query's parameters by name (values keep their order), so that the
// same question asked in another order shares a cache key.
func canonicalQuery(raw string) string {
	if raw == "" {
		return ""
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return raw // the handler refuses it; nothing is cached
	}
	return q.Encode()
}

// bufferedResponse records a handler's answer for the view cache.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header         { return b.header }
func (b *bufferedResponse) Write(p []byte) (int, error) { return b.body.Write(p) }
func (b *bufferedResponse) WriteHeader(status int)      { b.status = status }

// invalidates bumps views after a write answered 2xx, so that this API's own writes are seen
// by the next read of any process at once; the worker bumps them again when it publishes the
// write's event, which covers a process that stopped between its commit and here.
func invalidates(views *cache.Views, h handlerFunc) handlerFunc {
	if views == nil {
		return h
	}
	return func(w http.ResponseWriter, r *http.Request) error {
		rec := &statusRecorder{ResponseWriter: w}
		err := h(rec, r)
		if err == nil && rec.status >= 200 && rec.status < 300 {
			views.Changed(context.WithoutCancel(r.Context()))
		}
		return err
	}
}
