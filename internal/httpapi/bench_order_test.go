package httpapi_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/catalog"
)

// BenchmarkPlaceOrder is the write path in process (no network): POST /api/v1/orders through
// every middleware, the order transaction (two statements) and its commit. Its allocations
// are the figure to watch when instrumentation is added to the request path.
func BenchmarkPlaceOrder(b *testing.B) {
	e := newEnv(b)
	c := e.newAccount(auth.RoleCustomer)
	p := e.newProduct(catalog.MaxStock, 250)
	body := fmt.Sprintf(`{"items":[{"product_id":%q,"quantity":1}]}`, p.ID)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/orders", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+c.Token)
		w := httptest.NewRecorder()
		e.api.ServeHTTP(w, req)
		if w.Code != http.StatusCreated {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
