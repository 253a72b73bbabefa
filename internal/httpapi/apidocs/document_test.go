package apidocs_test

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/acme/orders/internal/httpapi/apidocs"
	"github.com/acme/orders/internal/httpapi/apidocs/apidocstest"
)

// document is the embedded document, loaded and validated by kin-openapi: valid OpenAPI 3.1,
// every $ref resolved, every schema well formed and every example valid against its schema.
func document(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := apidocstest.Document()
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// operation is one operation of the document with where it lives.
type operation struct {
	method, path string
	item         *openapi3.PathItem
	op           *openapi3.Operation
}

func (o operation) String() string { return o.method + " " + o.path }

func operationsOf(t *testing.T, doc *openapi3.T) []operation {
	t.Helper()
	var ops []operation
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			ops = append(ops, operation{method, path, item, op})
		}
	}
	if len(ops) == 0 {
		t.Fatal("the document has no operations")
	}
	slices.SortFunc(ops, func(a, b operation) int { return strings.Compare(a.String(), b.String()) })
	return ops
}

func TestDocumentHeader(t *testing.T) {
	t.Parallel()
	doc := document(t)
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi = %v, want 3.1.0", doc.OpenAPI)
	}
	if doc.Info.Title == "" || doc.Info.Version == "" || doc.Info.Description == "" {
		t.Errorf("info has an empty title, version or description: %+v", doc.Info)
	}
	for _, want := range []string{"1 MiB", "413", "Bearer", "15 minutes", "rotated", "family", "customer", "staff", "admin",
		"application/problem+json", "X-Request-ID", "cents", "RFC 3339", "UUID", "page_size", "Retry-After"} {
		if !strings.Contains(doc.Info.Description, want) {
			t.Errorf("info.description does not mention %q", want)
		}
	}
	scheme := doc.Components.SecuritySchemes["bearerAuth"]
	if scheme == nil || scheme.Value.Type != "http" || scheme.Value.Scheme != "bearer" || scheme.Value.BearerFormat != "JWT" {
		t.Errorf("bearerAuth = %+v", scheme)
	}
}

func TestOperations(t *testing.T) {
	t.Parallel()
	doc := document(t)
	declaredTags := map[string]bool{}
	for _, tg := range doc.Tags {
		declaredTags[tg.Name] = true
	}
	validRoles := map[string]bool{"anyone": true, "signed-in": true, "customer": true, "staff": true, "admin": true, "owner": true, "operators": true}
	templateParam := regexp.MustCompile(`\{([^}]+)\}`)
	ids := map[string]string{}
	for _, o := range operationsOf(t, doc) {
		op := o.op
		if op.OperationID == "" {
			t.Errorf("%s: no operationId", o)
		} else if other, dup := ids[op.OperationID]; dup {
			t.Errorf("%s: operationId %q is also used by %s", o, op.OperationID, other)
		}
		ids[op.OperationID] = o.String()
		if len(op.Tags) == 0 {
			t.Errorf("%s: no tag", o)
		}
		for _, tg := range op.Tags {
			if !declaredTags[tg] {
				t.Errorf("%s: tag %v is not declared in the top-level tags", o, tg)
			}
		}
		if op.Summary == "" {
			t.Errorf("%s: no summary", o)
		}

		// Who may call it: x-roles, said in words too, and bearerAuth exactly when a token is needed.
		roles, _ := op.Extensions["x-roles"].([]any)
		if len(roles) == 0 {
			t.Errorf("%s: no x-roles", o)
		}
		public := false
		for _, r := range roles {
			if s, _ := r.(string); !validRoles[s] {
				t.Errorf("%s: unknown role %v in x-roles", o, r)
			}
			public = public || r == "anyone" || r == "operators"
		}
		if !strings.Contains(op.Description, "Who may call it") {
			t.Errorf("%s: the description does not say who may call it", o)
		}
		secured := false
		if op.Security != nil {
			for _, req := range *op.Security {
				_, ok := req["bearerAuth"]
				secured = secured || ok
			}
		}
		if secured == public {
			t.Errorf("%s: x-roles %v but bearerAuth required = %v", o, roles, secured)
		}

		// Path parameters: each {name} of the template declared, required, and nothing extra.
		declared := map[string]bool{}
		for _, p := range append(slices.Clone(o.item.Parameters), op.Parameters...) {
			if p.Value.In == openapi3.ParameterInPath {
				declared[p.Value.Name] = true
				if !p.Value.Required {
					t.Errorf("%s: path parameter %s is not required", o, p.Value.Name)
				}
			}
			if p.Value.Schema == nil {
				t.Errorf("%s: parameter %v has no schema", o, p.Value.Name)
			}
		}
		inTemplate := map[string]bool{}
		for _, m := range templateParam.FindAllStringSubmatch(o.path, -1) {
			inTemplate[m[1]] = true
			if !declared[m[1]] {
				t.Errorf("%s: path parameter {%s} is not declared", o, m[1])
			}
		}
		for name := range declared {
			if !inTemplate[name] {
				t.Errorf("%s: declares path parameter %s that the path does not have", o, name)
			}
		}

		if op.RequestBody != nil {
			media := op.RequestBody.Value.Content.Get("application/json")
			if media == nil || media.Schema == nil || media.Example == nil {
				t.Errorf("%s: the request body needs an application/json schema and example", o)
			}
			if op.Responses.Status(413) == nil {
				t.Errorf("%s: takes a body but does not document 413", o)
			}
		}

		if op.Responses.Len() == 0 {
			t.Errorf("%s: no responses", o)
		}
		success := false
		for code, r := range op.Responses.Map() {
			if _, err := strconv.Atoi(code); err != nil || len(code) != 3 {
				t.Errorf("%s: response key %q is not a status code", o, code)
				continue
			}
			if r.Value.Description == nil || *r.Value.Description == "" {
				t.Errorf("%s %s: no description", o, code)
			}
			if h := r.Value.Headers["X-Request-ID"]; h == nil || !h.Value.Required {
				t.Errorf("%s %s: no required X-Request-ID header", o, code)
			}
			success = success || code[0] == '2'
		}
		if !success {
			t.Errorf("%s: no 2xx response", o)
		}
	}
	if len(apidocs.Paths()) != len(ids) {
		t.Errorf("Paths() has %d entries, the document %d operations", len(apidocs.Paths()), len(ids))
	}
}

// TestErrorResponsesAreProblems: every 4xx and 5xx answer is a shared response from
// components.responses, sent as application/problem+json with the Problem schema.
func TestErrorResponsesAreProblems(t *testing.T) {
	t.Parallel()
	doc := document(t)
	checkProblem := func(where string, res *openapi3.Response) {
		media := res.Content.Get("application/problem+json")
		if media == nil || len(res.Content) != 1 {
			t.Errorf("%s: content types %v, want only application/problem+json", where, slices.Sorted(mapsKeys(res.Content)))
			return
		}
		if media.Schema == nil || media.Schema.Ref != "#/components/schemas/Problem" {
			t.Errorf("%s: schema %+v, want the Problem schema", where, media.Schema)
		}
	}
	for _, o := range operationsOf(t, doc) {
		for code, r := range o.op.Responses.Map() {
			if code[0] != '4' && code[0] != '5' || o.path == "/readyz" {
				continue // /readyz answers 503 with its own report, by design
			}
			if !strings.HasPrefix(r.Ref, "#/components/responses/") {
				t.Errorf("%s %s: not a shared response from components.responses", o, code)
			}
			checkProblem(fmt.Sprintf("%s %s", o, code), r.Value)
			if code == "429" {
				if h := r.Value.Headers["Retry-After"]; h == nil || !h.Value.Required {
					t.Errorf("%s 429: no required Retry-After header", o)
				}
			}
		}
	}
	for name, r := range doc.Components.Responses {
		if name == "NotModified" {
			continue // a 304 has no body
		}
		checkProblem("components.responses."+name, r.Value)
	}
	problem := doc.Components.Schemas["Problem"].Value
	for _, f := range []string{"type", "title", "status", "detail", "instance", "request_id", "errors"} {
		if problem.Properties[f] == nil {
			t.Errorf("Problem has no %s", f)
		}
	}
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func TestPaths(t *testing.T) {
	t.Parallel()
	p := apidocs.Paths()
	if !slices.IsSorted(p) {
		t.Error("Paths() is not sorted")
	}
	for _, want := range []string{"GET /api/v1/products/{id}", "POST /api/v1/orders", "PATCH /api/v1/orders/{id}/status",
		"GET /healthz", "GET /readyz", "GET /metrics", "GET /api/v1/openapi.json", "GET /api/docs", "DELETE /api/v1/products/{id}"} {
		if !slices.Contains(p, want) {
			t.Errorf("Paths() lacks %q", want)
		}
	}
	seen := map[string]bool{}
	for _, e := range p {
		if seen[e] {
			t.Errorf("Paths() repeats %q", e)
		}
		seen[e] = true
		method, path, ok := strings.Cut(e, " ")
		if !ok || method != strings.ToUpper(method) || !strings.HasPrefix(path, "/") {
			t.Errorf("malformed entry %q", e)
		}
	}
	if len(p) != len(operationsOf(t, document(t))) {
		t.Errorf("Paths() has %d entries, kin-openapi finds %d operations", len(p), len(operationsOf(t, document(t))))
	}
	p[0] = "mutated"
	if apidocs.Paths()[0] == "mutated" {
		t.Error("Paths() shares its slice with callers")
	}
}
