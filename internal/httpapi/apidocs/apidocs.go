// Package apidocs holds the API's hand-written OpenAPI 3.1.0 document (openapi.json) and the
// API reference page that renders it: Swagger UI, taken unmodified from the pinned npm release
// recorded in swagger-ui/PROVENANCE (`make apidocs-assets` fetches it again), with a page and a
// start-up script of our own. Everything is embedded in the binary, so the page works offline:
// no CDN, no web font, no third-party request.
//
// The router serves the document at /api/v1/openapi.json (from Spec) and mounts Handler at
// /api/docs. Paths lists the document's operations so that a test of the router can check that
// every route it serves is documented, and every documented route is served.
package apidocs

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

//go:embed openapi.json
var spec []byte

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
