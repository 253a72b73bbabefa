package apidocstest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/acme/orders/internal/httpapi/apidocs/apidocstest"
)

// TestCheckerCatchesDrift serves documented routes from a small router whose handlers answer
// in ways the document does and does not allow, and expects the checker to tell them apart.
func TestCheckerCatchesDrift(t *testing.T) {
	t.Parallel()
	doc, err := apidocstest.Document()
	if err != nil {
		t.Fatal(err)
	}
	product := doc.Paths.Value("/api/v1/products/{id}").Get.Responses.Status(200).Value.Content.Get("application/json").Example
	productJSON, _ := json.Marshal(product)
	renamed := strings.Replace(string(productJSON), `"price_cents"`, `"price"`, 1)
	problem := `{"type":"urn:problem-type:orders:not-found","title":"Not Found","status":404,"detail":"no such product",` +
		`"instance":"/api/v1/products/x","request_id":"r-1"}`

	var answer func(w http.ResponseWriter)
	r := chi.NewRouter()
	r.Get("/api/v1/products/{id}", func(w http.ResponseWriter, _ *http.Request) { answer(w) })
	r.Get("/api/docs/*", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("any asset")) })
	r.NotFound(func(w http.ResponseWriter, _ *http.Request) { answer(w) })
	checker, err := apidocstest.NewChecker(r)
	if err != nil {
		t.Fatal(err)
	}
	send := func(status int, contentType, body string, header ...string) func(w http.ResponseWriter) {
		return func(w http.ResponseWriter) {
			for i := 0; i+1 < len(header); i += 2 {
				w.Header().Set(header[i], header[i+1])
			}
			w.Header().Set("Content-Type", contentType)
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}
	}
	const id = "/api/v1/products/0192f0b8-1c4d-7e2f-8a9b-0c1d2e3f4a5b"
	for _, tc := range []struct {
		name, path string
		answer     func(w http.ResponseWriter)
		wantErr    string // "" when the response conforms
	}{
		{"conforming product", id, send(200, "application/json", string(productJSON), "X-Request-ID", "r-1", "ETag", `"e-1"`), ""},
		{"renamed field", id, send(200, "application/json", renamed, "X-Request-ID", "r-1", "ETag", `"e-1"`), "price"},
		{"missing ETag", id, send(200, "application/json", string(productJSON), "X-Request-ID", "r-1"), "ETag"},
		{"missing request ID", id, send(200, "application/json", string(productJSON), "ETag", `"e-1"`), "X-Request-ID"},
		{"bad request ID", id, send(200, "application/json", string(productJSON), "X-Request-ID", "a b", "ETag", `"e-1"`), "X-Request-ID"},
		{"undocumented status", id, send(418, "application/json", "{}", "X-Request-ID", "r-1"), "status"},
		{"wrong media type", id, send(200, "text/plain", "hello", "X-Request-ID", "r-1", "ETag", `"e-1"`), "text/plain"},
		{"documented problem", id, send(404, "application/problem+json", problem, "X-Request-ID", "r-1"), ""},
		{"error as JSON", id, send(404, "application/json", problem, "X-Request-ID", "r-1"), "application/json"},
		{"incomplete problem", id, send(404, "application/problem+json", `{"title":"Not Found"}`, "X-Request-ID", "r-1"), "type"},
		{"unrouted problem", "/nowhere", send(404, "application/problem+json", problem), ""},
		{"unrouted plain text", "/nowhere", send(404, "text/plain", "404 page not found"), "application/problem+json"},
		{"unrouted 200", "/nowhere", send(200, "application/problem+json", problem), "want 404 or 405"},
		{"docs asset", "/api/docs/any.js", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			answer = tc.answer
			reports := make(chan error, 1)
			srv := httptest.NewServer(checker.Middleware(func(err error) { reports <- err })(r))
			res, err := http.Get(srv.URL + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			srv.Close() // waits for the handler
			close(reports)
			got := <-reports
			switch {
			case tc.wantErr == "" && got != nil:
				t.Errorf("a conforming response was reported: %v", got)
			case tc.wantErr != "" && got == nil:
				t.Errorf("not caught")
			case tc.wantErr != "" && !strings.Contains(got.Error(), tc.wantErr):
				t.Errorf("error %q does not mention %q", got, tc.wantErr)
			}
		})
	}
}
