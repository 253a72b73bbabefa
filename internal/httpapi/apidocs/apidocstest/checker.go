package apidocstest

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/go-chi/chi/v5"
)

func init() {
	// The docs page is HTML; its schema is a string, like text/plain's.
	openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder)
}

// Checker validates responses against the document, matching each request to its operation
// the way the API's router does.
type Checker struct {
	doc     *openapi3.T
	routes  chi.Routes
	problem *openapi3.SchemaRef
}

// NewChecker returns a Checker for the API served by routes. It returns an error if the
// document does not load or has no Problem schema.
func NewChecker(routes chi.Routes) (*Checker, error) {
	doc, err := Document()
	if err != nil {
		return nil, err
	}
	problem := doc.Components.Schemas["Problem"]
	if problem == nil {
		return nil, fmt.Errorf("openapi.json has no Problem schema")
	}
	return &Checker{doc: doc, routes: routes, problem: problem}, nil
}

// Check validates the response (status, header, body) the API sent to r, and returns nil if it
// conforms. A request the router serves must match a documented operation, and the response
// must have a status documented for it, every header the document marks required, and a body
// of a documented media type that is valid against that media type's schema. A request the
// router does not serve must get a 404 or 405 problem. The docs page's own assets (the
// router's "/*" routes), HEAD requests and CORS preflights are outside the document and pass.
func (c *Checker) Check(r *http.Request, status int, header http.Header, body []byte) error {
	if r.Method == http.MethodHead || (r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "") {
		return nil
	}
	if strings.EqualFold(header.Get("Content-Encoding"), "gzip") {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err == nil {
			body, err = io.ReadAll(zr)
		}
		if err != nil {
			return fmt.Errorf("%s %s: the gzip body does not decompress: %v", r.Method, r.URL.Path, err)
		}
	}
	path := r.URL.RawPath
	if path == "" {
		path = r.URL.Path
	}
	rctx := chi.NewRouteContext()
	pattern := c.routes.Find(rctx, r.Method, path)
	if pattern == "" {
		return c.checkUnrouted(r, status, header, body)
	}
	var op *openapi3.Operation
	item := c.doc.Paths.Value(pattern)
	if item != nil {
		op = item.GetOperation(r.Method)
	}
	if op == nil {
		if strings.HasSuffix(pattern, "/*") {
			return nil
		}
		return fmt.Errorf("%s %s: the router serves %s %s, which the document does not describe", r.Method, r.URL.Path, r.Method, pattern)
	}
	params := map[string]string{}
	for i, k := range rctx.URLParams.Keys {
		params[k] = rctx.URLParams.Values[i]
	}
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request:    r,
			PathParams: params,
			Route:      &routers.Route{Spec: c.doc, Path: pattern, PathItem: item, Method: r.Method, Operation: op},
		},
		Status: status,
		Header: header,
		Body:   io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true,
			SchemaValidationOptions: SchemaOptions()},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), input); err != nil {
		return fmt.Errorf("%s %s (%s) answered %d: %w; body %s", r.Method, r.URL.Path, op.OperationID, status, err, clip(body))
	}
	return nil
}

// checkUnrouted checks the answer to a path or method the router does not serve.
func (c *Checker) checkUnrouted(r *http.Request, status int, header http.Header, body []byte) error {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%s %s (no route) answered %d: %s; body %s", r.Method, r.URL.Path, status, fmt.Sprintf(format, args...), clip(body))
	}
	if status != http.StatusNotFound && status != http.StatusMethodNotAllowed {
		return fail("want 404 or 405")
	}
	if mt, _, _ := mime.ParseMediaType(header.Get("Content-Type")); mt != "application/problem+json" {
		return fail("Content-Type %q, want application/problem+json", header.Get("Content-Type"))
	}
	var v any
	if err := decodeJSON(body, &v); err != nil {
		return fail("%v", err)
	}
	if err := c.problem.Value.VisitJSON(v, append(SchemaOptions(), openapi3.VisitAsResponse())...); err != nil {
		return fail("not a Problem: %v", err)
	}
	return nil
}

// Middleware returns middleware that buffers each response, checks it, hands any error to
// report, and then sends the response on unchanged. Buffering means the client sees the
// response only after the check, so report runs while the request's test still waits for it.
func (c *Checker) Middleware(report func(error)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			res := rec.Result()
			if err := c.Check(r, res.StatusCode, res.Header, rec.Body.Bytes()); err != nil {
				report(err)
			}
			for k, v := range res.Header {
				w.Header()[k] = v
			}
			w.WriteHeader(res.StatusCode)
			_, _ = w.Write(rec.Body.Bytes())
		})
	}
}

func clip(body []byte) string {
	if len(body) > 300 {
		return string(body[:300]) + "..."
	}
	return string(body)
}
