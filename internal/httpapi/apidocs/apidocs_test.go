package apidocs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// document parses the embedded document, numbers as json.Number so that integers stay exact.
func document(t *testing.T) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(Spec()))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Fatal("openapi.json has data after the document")
	}
	return doc
}

// resolve follows a local JSON pointer such as "#/components/schemas/User".
func resolve(doc map[string]any, ref string) (any, bool) {
	if !strings.HasPrefix(ref, "#/") {
		return nil, false
	}
	var node any = doc
	for _, part := range strings.Split(ref[2:], "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		m, ok := node.(map[string]any)
		if !ok {
			return nil, false
		}
		if node, ok = m[part]; !ok {
			return nil, false
		}
	}
	return node, true
}

// deref follows $refs until it reaches an object that is not a reference.
func deref(t *testing.T, doc map[string]any, v any) map[string]any {
	t.Helper()
	for range 32 {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%v is not an object", v)
		}
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		if v, ok = resolve(doc, ref); !ok {
			t.Fatalf("unresolved $ref %s", ref)
		}
	}
	t.Fatal("$ref chain too long")
	return nil
}

var httpMethodKeys = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

type operation struct {
	method, path string
	item, op     map[string]any
}

func (o operation) String() string { return strings.ToUpper(o.method) + " " + o.path }

func operationsOf(t *testing.T, doc map[string]any) []operation {
	t.Helper()
	paths, ok := doc["paths"].(map[string]any)
	if !ok || len(paths) == 0 {
		t.Fatal("the document has no paths")
	}
	var ops []operation
	for path, it := range paths {
		item := it.(map[string]any)
		for _, m := range httpMethodKeys {
			if op, ok := item[m].(map[string]any); ok {
				ops = append(ops, operation{m, path, item, op})
			}
		}
	}
	slices.SortFunc(ops, func(a, b operation) int { return strings.Compare(a.String(), b.String()) })
	return ops
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func TestDocumentHeader(t *testing.T) {
	t.Parallel()
	doc := document(t)
	if doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi = %v, want 3.1.0", doc["openapi"])
	}
	info, _ := doc["info"].(map[string]any)
	for _, k := range []string{"title", "version", "description"} {
		if s, _ := info[k].(string); s == "" {
			t.Errorf("info.%s is empty", k)
		}
	}
	desc, _ := info["description"].(string)
	for _, want := range []string{"1 MiB", "413", "Bearer", "15 minutes", "rotated", "family", "customer", "staff", "admin",
		"application/problem+json", "X-Request-ID", "cents", "RFC 3339", "UUID", "page_size", "Retry-After"} {
		if !strings.Contains(desc, want) {
			t.Errorf("info.description does not mention %q", want)
		}
	}
	scheme := deref(t, doc, doc["components"].(map[string]any)["securitySchemes"].(map[string]any)["bearerAuth"])
	if scheme["type"] != "http" || scheme["scheme"] != "bearer" || scheme["bearerFormat"] != "JWT" {
		t.Errorf("bearerAuth = %v", scheme)
	}
}

func TestEveryRefResolves(t *testing.T) {
	t.Parallel()
	doc := document(t)
	n := 0
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"]; ok {
				n++
				s, _ := ref.(string)
				if _, ok := resolve(doc, s); !ok {
					t.Errorf("%s: $ref %v does not resolve", at, ref)
				}
			}
			for k, c := range x {
				walk(at+"/"+k, c)
			}
		case []any:
			for i, c := range x {
				walk(fmt.Sprintf("%s/%d", at, i), c)
			}
		}
	}
	walk("#", doc)
	if n == 0 {
		t.Fatal("no $ref found; the walk is broken")
	}
}

func TestOperations(t *testing.T) {
	t.Parallel()
	doc := document(t)
	declaredTags := map[string]bool{}
	for _, tg := range list(doc["tags"]) {
		declaredTags[tg.(map[string]any)["name"].(string)] = true
	}
	validRoles := map[string]bool{"anyone": true, "signed-in": true, "customer": true, "staff": true, "admin": true, "owner": true, "operators": true}
	templateParam := regexp.MustCompile(`\{([^}]+)\}`)
	ids := map[string]string{}
	for _, o := range operationsOf(t, doc) {
		op := o.op
		id, _ := op["operationId"].(string)
		if id == "" {
			t.Errorf("%s: no operationId", o)
		} else if other, dup := ids[id]; dup {
			t.Errorf("%s: operationId %q is also used by %s", o, id, other)
		}
		ids[id] = o.String()

		tags := list(op["tags"])
		if len(tags) == 0 {
			t.Errorf("%s: no tag", o)
		}
		for _, tg := range tags {
			if !declaredTags[tg.(string)] {
				t.Errorf("%s: tag %v is not declared in the top-level tags", o, tg)
			}
		}
		if s, _ := op["summary"].(string); s == "" {
			t.Errorf("%s: no summary", o)
		}

		// Who may call it: x-roles, said in words too, and bearerAuth exactly when a token is needed.
		roles := list(op["x-roles"])
		if len(roles) == 0 {
			t.Errorf("%s: no x-roles", o)
		}
		public := false
		for _, r := range roles {
			if !validRoles[r.(string)] {
				t.Errorf("%s: unknown role %v in x-roles", o, r)
			}
			public = public || r == "anyone" || r == "operators"
		}
		if desc, _ := op["description"].(string); !strings.Contains(desc, "Who may call it") {
			t.Errorf("%s: the description does not say who may call it", o)
		}
		secured := false
		for _, req := range list(op["security"]) {
			if _, ok := req.(map[string]any)["bearerAuth"]; ok {
				secured = true
			}
		}
		if secured == public {
			t.Errorf("%s: x-roles %v but bearerAuth required = %v", o, roles, secured)
		}

		// Path parameters: each {name} of the template declared, required, and nothing extra.
		declared := map[string]bool{}
		for _, p := range append(list(o.item["parameters"]), list(op["parameters"])...) {
			pm := deref(t, doc, p)
			if pm["in"] == "path" {
				name := pm["name"].(string)
				declared[name] = true
				if pm["required"] != true {
					t.Errorf("%s: path parameter %s is not required", o, name)
				}
			}
			if pm["schema"] == nil {
				t.Errorf("%s: parameter %v has no schema", o, pm["name"])
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

		if rb, ok := op["requestBody"]; ok {
			body := deref(t, doc, rb)
			media, ok := body["content"].(map[string]any)["application/json"].(map[string]any)
			if !ok || media["schema"] == nil || media["example"] == nil {
				t.Errorf("%s: the request body needs an application/json schema and example", o)
			}
			if code := "413"; op["responses"].(map[string]any)[code] == nil {
				t.Errorf("%s: takes a body but does not document %s", o, code)
			}
		}

		responses, _ := op["responses"].(map[string]any)
		if len(responses) == 0 {
			t.Errorf("%s: no responses", o)
		}
		success := false
		for code, r := range responses {
			res := deref(t, doc, r)
			if _, err := strconv.Atoi(code); err != nil || len(code) != 3 {
				t.Errorf("%s: response key %q is not a status code", o, code)
				continue
			}
			if s, _ := res["description"].(string); s == "" {
				t.Errorf("%s %s: no description", o, code)
			}
			if hs, _ := res["headers"].(map[string]any); hs["X-Request-ID"] == nil {
				t.Errorf("%s %s: no X-Request-ID header", o, code)
			}
			if code[0] == '2' {
				success = true
			}
		}
		if !success {
			t.Errorf("%s: no 2xx response", o)
		}
	}
	if len(Paths()) != len(ids) {
		t.Errorf("Paths() has %d entries, the document %d operations", len(Paths()), len(ids))
	}
}

// TestErrorResponsesAreProblems: every 4xx and 5xx answer (with its $ref followed) is
// application/problem+json with the Problem schema, and the reusable ones live in
// components.responses.
func TestErrorResponsesAreProblems(t *testing.T) {
	t.Parallel()
	doc := document(t)
	checkProblem := func(where string, res map[string]any) {
		content, _ := res["content"].(map[string]any)
		media, ok := content["application/problem+json"].(map[string]any)
		if !ok || len(content) != 1 {
			t.Errorf("%s: content types %v, want only application/problem+json", where, keys(content))
			return
		}
		schema, _ := media["schema"].(map[string]any)
		if schema["$ref"] != "#/components/schemas/Problem" {
			t.Errorf("%s: schema %v, want the Problem schema", where, schema)
		}
	}
	for _, o := range operationsOf(t, doc) {
		for code, r := range o.op["responses"].(map[string]any) {
			if code[0] != '4' && code[0] != '5' || strings.HasPrefix(o.path, "/readyz") {
				continue // /readyz answers 503 with its own report, by design
			}
			ref, _ := r.(map[string]any)["$ref"].(string)
			if !strings.HasPrefix(ref, "#/components/responses/") {
				t.Errorf("%s %s: not a shared response from components.responses", o, code)
			}
			res := deref(t, doc, r)
			checkProblem(fmt.Sprintf("%s %s", o, code), res)
			if code == "429" {
				if hs, _ := res["headers"].(map[string]any); hs["Retry-After"] == nil {
					t.Errorf("%s 429: no Retry-After header", o)
				}
			}
		}
	}
	for name, r := range doc["components"].(map[string]any)["responses"].(map[string]any) {
		checkProblem("components.responses."+name, deref(t, doc, r))
	}
	problem := deref(t, doc, map[string]any{"$ref": "#/components/schemas/Problem"})
	props := problem["properties"].(map[string]any)
	for _, f := range []string{"type", "title", "status", "detail", "instance", "request_id", "errors"} {
		if props[f] == nil {
			t.Errorf("Problem has no %s", f)
		}
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestExamplesMatchSchemas validates every example of a media type or a parameter against its
// schema, so that examples cannot drift from the schemas they illustrate.
func TestExamplesMatchSchemas(t *testing.T) {
	t.Parallel()
	doc := document(t)
	v := validator{doc: doc}
	n := 0
	checkContent := func(where string, content any) {
		m, _ := content.(map[string]any)
		for mt, md := range m {
			media := md.(map[string]any)
			schema, ok := media["schema"]
			if !ok {
				continue
			}
			if ex, ok := media["example"]; ok {
				n++
				for _, e := range v.validate(schema, ex, "") {
					t.Errorf("%s %s: example: %s", where, mt, e)
				}
			}
			exs, _ := media["examples"].(map[string]any)
			for name, e := range exs {
				n++
				for _, msg := range v.validate(schema, deref(t, doc, e)["value"], "") {
					t.Errorf("%s %s: example %s: %s", where, mt, name, msg)
				}
			}
		}
	}
	for _, o := range operationsOf(t, doc) {
		if rb, ok := o.op["requestBody"]; ok {
			checkContent(o.String()+" request", deref(t, doc, rb)["content"])
		}
		for code, r := range o.op["responses"].(map[string]any) {
			checkContent(o.String()+" "+code, deref(t, doc, r)["content"])
		}
		for _, p := range list(o.op["parameters"]) {
			pm := deref(t, doc, p)
			if ex, ok := pm["example"]; ok {
				n++
				for _, e := range v.validate(pm["schema"], ex, "") {
					t.Errorf("%s parameter %v: example: %s", o, pm["name"], e)
				}
			}
		}
	}
	for name, s := range doc["components"].(map[string]any)["schemas"].(map[string]any) {
		if ex, ok := s.(map[string]any)["example"]; ok {
			n++
			for _, e := range v.validate(s, ex, "") {
				t.Errorf("schema %s: example: %s", name, e)
			}
		}
	}
	if n < 30 {
		t.Errorf("only %d examples checked; the document should illustrate more", n)
	}
}

// validator checks a value against the subset of JSON Schema 2020-12 the document uses.
type validator struct{ doc map[string]any }

var (
	uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	mailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

func (v validator) validate(schema, value any, at string) []string {
	if at == "" {
		at = "(root)"
	}
	s, ok := schema.(map[string]any)
	if !ok {
		return nil // true: anything goes
	}
	if ref, ok := s["$ref"].(string); ok {
		target, ok := resolve(v.doc, ref)
		if !ok {
			return []string{at + ": unresolved " + ref}
		}
		return v.validate(target, value, at)
	}
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, at+": "+fmt.Sprintf(format, args...)) }

	if one := list(s["oneOf"]); len(one) > 0 {
		matches := 0
		for _, alt := range one {
			if len(v.validate(alt, value, at)) == 0 {
				matches++
			}
		}
		if matches != 1 {
			fail("matches %d of the oneOf alternatives, want exactly 1", matches)
		}
	}
	for _, part := range list(s["allOf"]) {
		errs = append(errs, v.validate(part, value, at)...)
	}
	if t, ok := s["type"]; ok {
		var types []string
		switch x := t.(type) {
		case string:
			types = []string{x}
		case []any:
			for _, e := range x {
				types = append(types, e.(string))
			}
		}
		if !slices.ContainsFunc(types, func(t string) bool { return isType(value, t) }) {
			fail("%s is not of type %v", short(value), types)
			return errs
		}
	}
	if e, ok := s["enum"]; ok && !slices.ContainsFunc(list(e), func(x any) bool { return equal(x, value) }) {
		fail("%s is not one of %v", short(value), e)
	}
	if c, ok := s["const"]; ok && !equal(c, value) {
		fail("%s is not %v", short(value), c)
	}
	switch x := value.(type) {
	case string:
		n := float64(utf8.RuneCountInString(x))
		if m, ok := num(s["minLength"]); ok && n < m {
			fail("%q is shorter than %v", x, m)
		}
		if m, ok := num(s["maxLength"]); ok && n > m {
			fail("%q is longer than %v", x, m)
		}
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(x) {
			fail("%q does not match %s", x, p)
		}
		switch s["format"] {
		case "uuid":
			if !uuidRE.MatchString(x) {
				fail("%q is not a UUID", x)
			}
		case "date-time":
			if _, err := time.Parse(time.RFC3339, x); err != nil || !strings.HasSuffix(x, "Z") {
				fail("%q is not an RFC 3339 UTC time", x)
			}
		case "email":
			if !mailRE.MatchString(x) {
				fail("%q is not an email address", x)
			}
		}
	case json.Number:
		f, _ := x.Float64()
		if s["type"] == "integer" || slices.Contains(list(s["type"]), any("integer")) {
			if _, err := x.Int64(); err != nil {
				fail("%s is not an integer", x)
			}
		}
		if m, ok := num(s["minimum"]); ok && f < m {
			fail("%s is below %v", x, m)
		}
		if m, ok := num(s["maximum"]); ok && f > m {
			fail("%s is above %v", x, m)
		}
	case []any:
		if m, ok := num(s["minItems"]); ok && float64(len(x)) < m {
			fail("has %d items, fewer than %v", len(x), m)
		}
		if m, ok := num(s["maxItems"]); ok && float64(len(x)) > m {
			fail("has %d items, more than %v", len(x), m)
		}
		for i, e := range x {
			errs = append(errs, v.validate(s["items"], e, fmt.Sprintf("%s[%d]", at, i))...)
		}
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		for _, r := range list(s["required"]) {
			if _, ok := x[r.(string)]; !ok {
				fail("required field %v is missing", r)
			}
		}
		if m, ok := num(s["minProperties"]); ok && float64(len(x)) < m {
			fail("has %d fields, fewer than %v", len(x), m)
		}
		for k, e := range x {
			if ps, ok := props[k]; ok {
				errs = append(errs, v.validate(ps, e, at+"."+k)...)
				continue
			}
			switch ap := s["additionalProperties"].(type) {
			case bool:
				if !ap {
					fail("field %q is not in the schema", k)
				}
			case map[string]any:
				errs = append(errs, v.validate(ap, e, at+"."+k)...)
			}
		}
	}
	return errs
}

func isType(v any, t string) bool {
	switch x := v.(type) {
	case nil:
		return t == "null"
	case bool:
		return t == "boolean"
	case string:
		return t == "string"
	case json.Number:
		if t == "number" {
			return true
		}
		f, err := x.Float64()
		return t == "integer" && err == nil && f == math.Trunc(f)
	case []any:
		return t == "array"
	case map[string]any:
		return t == "object"
	}
	return false
}

func num(v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	f, err := n.Float64()
	return f, err == nil
}

func equal(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

func short(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 60 {
		return string(b[:57]) + "..."
	}
	return string(b)
}

func TestValidatorCatchesBadExamples(t *testing.T) {
	t.Parallel()
	doc := document(t)
	v := validator{doc: doc}
	user := map[string]any{"$ref": "#/components/schemas/User"}
	good := map[string]any{"id": "0192f0c1-7a3e-7c11-9b4e-2f6d8a1c3e57", "email": "a@example.com", "name": "A", "role": "staff",
		"created_at": "2025-11-20T09:14:03Z"}
	if errs := v.validate(user, good, ""); len(errs) != 0 {
		t.Fatalf("a good user fails: %v", errs)
	}
	for name, change := range map[string]func(map[string]any){
		"bad role":      func(m map[string]any) { m["role"] = "root" },
		"missing email": func(m map[string]any) { delete(m, "email") },
		"extra field":   func(m map[string]any) { m["password"] = "x" },
		"bad uuid":      func(m map[string]any) { m["id"] = "42" },
		"local time":    func(m map[string]any) { m["created_at"] = "2025-11-20 09:14" },
	} {
		m := map[string]any{}
		for k, x := range good {
			m[k] = x
		}
		change(m)
		if errs := v.validate(user, m, ""); len(errs) == 0 {
			t.Errorf("%s: not caught", name)
		}
	}
}

func TestPaths(t *testing.T) {
	t.Parallel()
	p := Paths()
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
	p[0] = "mutated"
	if Paths()[0] == "mutated" {
		t.Error("Paths() shares its slice with callers")
	}
}

func TestHandler(t *testing.T) {
	t.Parallel()
	// Mounted as the router mounts it.
	mux := http.NewServeMux()
	mux.Handle("/api/docs", http.StripPrefix("/api/docs", Handler()))
	mux.Handle("/api/docs/", http.StripPrefix("/api/docs", Handler()))
	for path, want := range map[string]struct {
		contentType string
		body        []byte
	}{
		"/api/docs":          {"text/html; charset=utf-8", docsHTML},
		"/api/docs/":         {"text/html; charset=utf-8", docsHTML},
		"/api/docs/docs.js":  {"text/javascript; charset=utf-8", docsJS},
		"/api/docs/docs.css": {"text/css; charset=utf-8", docsCSS},
	} {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		if w.Code != 200 {
			t.Errorf("%s: status %d", path, w.Code)
			continue
		}
		if got := w.Header().Get("Content-Type"); got != want.contentType {
			t.Errorf("%s: Content-Type %q, want %q", path, got, want.contentType)
		}
		if !bytes.Equal(w.Body.Bytes(), want.body) {
			t.Errorf("%s: wrong body", path)
		}
		if w.Header().Get("X-Content-Type-Options") != "nosniff" || w.Header().Get("Content-Security-Policy") == "" {
			t.Errorf("%s: security headers missing: %v", path, w.Header())
		}
		// Revalidation with the ETag costs no body.
		r := httptest.NewRequest("GET", path, nil)
		r.Header.Set("If-None-Match", w.Header().Get("ETag"))
		w2 := httptest.NewRecorder()
		mux.ServeHTTP(w2, r)
		if w2.Code != http.StatusNotModified {
			t.Errorf("%s with its ETag: status %d, want 304", path, w2.Code)
		}
	}
	for _, path := range []string{"/api/docs/other.js", "/api/docs/docs.html", "/api/docs/openapi.json", "/api/docs/apidocs.go",
		"/api/docs/docs.js/", "/api/docs//docs.js", "/api/docs/../docs.js", "/api/docsx"} {
		w := httptest.NewRecorder()
		r := httptest.NewRequest("GET", "/", nil)
		r.URL.Path = path
		mux.ServeHTTP(w, r)
		if w.Code == 200 {
			t.Errorf("%s: status %d, want an error", path, w.Code)
		}
	}
	// Unmounted, as the brief describes it: "/" relative to the mount point.
	w := httptest.NewRecorder()
	Handler().ServeHTTP(w, httptest.NewRequest("GET", "/nope", nil))
	if w.Code != 404 {
		t.Errorf("/nope: %d, want 404", w.Code)
	}
	w = httptest.NewRecorder()
	Handler().ServeHTTP(w, httptest.NewRequest("POST", "/", nil))
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /: %d, want 405", w.Code)
	}
	w = httptest.NewRecorder()
	Handler().ServeHTTP(w, httptest.NewRequest("HEAD", "/docs.css", nil))
	if w.Code != 200 || w.Body.Len() != 0 {
		t.Errorf("HEAD /docs.css: %d with %d bytes", w.Code, w.Body.Len())
	}
	// A server-wide policy is left alone.
	w = httptest.NewRecorder()
	w.Header().Set("Content-Security-Policy", "default-src 'none'")
	Handler().ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if got := w.Header().Get("Content-Security-Policy"); got != "default-src 'none'" {
		t.Errorf("the handler replaced the server's CSP with %q", got)
	}
}

// TestPageFitsTheCSP: the page works under script-src 'self' and style-src 'self', so it has
// no inline script, no style element or attribute, no inline event handler, no javascript:
// URL, and loads nothing from another origin; the script never parses text as HTML or code.
func TestPageFitsTheCSP(t *testing.T) {
	t.Parallel()
	page := string(docsHTML)
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`(?is)<script\b[^>]*>\s*[^<\s][^<]*</script>`), // an inline script body
		regexp.MustCompile(`(?i)<style\b`),
		regexp.MustCompile(`(?i)\sstyle\s*=`),
		regexp.MustCompile(`(?i)\son[a-z]+\s*=`),
		regexp.MustCompile(`(?i)javascript:`),
		regexp.MustCompile(`(?i)(?:src|href)\s*=\s*["']?(?:https?:)?//`),
	} {
		if m := bad.FindString(page); m != "" {
			t.Errorf("docs.html has %q", m)
		}
	}
	for _, tag := range regexp.MustCompile(`(?i)<script\b[^>]*>`).FindAllString(page, -1) {
		if !strings.Contains(tag, ` src="/`) {
			t.Errorf("docs.html has a script without a same-origin src: %s", tag)
		}
	}
	for _, want := range []string{`<script src="/api/docs/docs.js"`, `<link rel="stylesheet" href="/api/docs/docs.css">`} {
		if !strings.Contains(page, want) {
			t.Errorf("docs.html does not have %s", want)
		}
	}
	js := string(docsJS)
	for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
		"setTimeout(\"", "setAttribute(\"style\"", ".cssText", "http://", "@import"} {
		if strings.Contains(js, bad) {
			t.Errorf("docs.js uses %s", bad)
		}
	}
	css := string(docsCSS)
	for _, bad := range []string{"@import", "url(http", "url(//", "@font-face"} {
		if strings.Contains(css, bad) {
			t.Errorf("docs.css uses %s", bad)
		}
	}
}
