package httpapi_test

import (
	"net/http"
	"sync"
	"testing"

	"github.com/acme/orders/internal/httpapi"
	"github.com/acme/orders/internal/httpapi/apidocs/apidocstest"
)

// conform wraps the API so that every response a test receives through the env's server is
// checked against openapi.json: its status must be documented for the operation, the headers
// the document requires present, and its body valid against the documented schema. A response
// that differs fails the test that caused it, once the test's server has shut down, so the
// document cannot drift from what the handlers send.
func conform(t testing.TB, api *httpapi.API) http.Handler {
	t.Helper()
	checker, err := apidocstest.NewChecker(api.Router())
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu   sync.Mutex
		errs []error
	)
	// Registered before the server's Close, so it runs after it: every request has finished.
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, err := range errs {
			t.Errorf("response differs from openapi.json: %v", err)
		}
	})
	return checker.Middleware(func(err error) {
		mu.Lock()
		defer mu.Unlock()
		errs = append(errs, err)
	})(api)
}
