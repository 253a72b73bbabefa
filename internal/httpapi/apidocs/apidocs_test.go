package apidocs

import (
	"encoding/json"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func TestDocumentIsWellFormed(t *testing.T) {
	t.Parallel()
	var doc map[string]any
	if err := json.Unmarshal(Spec(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi = %v", doc["openapi"])
	}
	// Every $ref resolves.
	var refs []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if r, ok := x["$ref"].(string); ok {
				refs = append(refs, r)
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(doc)
	for _, r := range refs {
		node := any(doc)
		for _, part := range strings.Split(strings.TrimPrefix(r, "#/"), "/") {
			m, _ := node.(map[string]any)
			node = m[part]
		}
		if node == nil {
			t.Errorf("unresolved $ref %s", r)
		}
	}
	ids := map[string]bool{}
	param := regexp.MustCompile(`\{([a-z_]+)\}`)
	for path, item := range doc["paths"].(map[string]any) {
		for method, o := range item.(map[string]any) {
			op := o.(map[string]any)
			id, _ := op["operationId"].(string)
			if id == "" || ids[id] {
				t.Errorf("%s %s: missing or repeated operationId %q", method, path, id)
			}
			ids[id] = true
			if tags, _ := op["tags"].([]any); len(tags) != 1 {
				t.Errorf("%s %s: tags %v", method, path, op["tags"])
			}
			declared := map[string]bool{}
			for _, p := range asList(op["parameters"]) {
				pm := p.(map[string]any)
				if pm["in"] == "path" {
					declared[pm["name"].(string)] = true
				}
			}
			for _, m := range param.FindAllStringSubmatch(path, -1) {
				if !declared[m[1]] {
					t.Errorf("%s %s: path parameter %s not declared", method, path, m[1])
				}
			}
			for code, r := range op["responses"].(map[string]any) {
				if code[0] == '4' || code[0] == '5' {
					if r.(map[string]any)["$ref"] != "#/components/responses/E"+code {
						t.Errorf("%s %s: %s is not the shared problem response", method, path, code)
					}
				}
			}
		}
	}
	for name, r := range doc["components"].(map[string]any)["responses"].(map[string]any) {
		content := r.(map[string]any)["content"].(map[string]any)
		pj, ok := content["application/problem+json"].(map[string]any)
		if !ok || pj["schema"].(map[string]any)["$ref"] != "#/components/schemas/Problem" {
			t.Errorf("response %s is not problem+json with the Problem schema", name)
		}
	}
	if len(Paths()) != len(ids) {
		t.Errorf("Paths() lists %d operations, the document %d", len(Paths()), len(ids))
	}
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func TestHandlerServesThePageAndAssets(t *testing.T) {
	t.Parallel()
	h := Handler()
	for path, want := range map[string]string{"": "text/html", "/": "text/html", "/docs.js": "text/javascript", "/docs.css": "text/css"} {
		w := httptest.NewRecorder()
		r := httptest.NewRequest("GET", "/x", nil)
		r.URL.Path = path
		h.ServeHTTP(w, r)
		if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), want) {
			t.Errorf("%q: %d %s", path, w.Code, w.Header().Get("Content-Type"))
		}
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/other.js", nil))
	if w.Code != 404 {
		t.Errorf("unknown asset: %d", w.Code)
	}
	page, _ := static.ReadFile("static/index.html")
	if regexp.MustCompile(`<script(?:[^>]*)>[^<]+</script>|style=|<style`).Match(page) {
		t.Error("the page has inline script or style, which the CSP forbids")
	}
	js, _ := static.ReadFile("static/docs.js")
	if strings.Contains(string(js), "innerHTML") || strings.Contains(string(js), "eval(") {
		t.Error("the renderer uses innerHTML or eval")
	}
}
