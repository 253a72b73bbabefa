package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/acme/orders/internal/httpapi"
	"github.com/acme/orders/internal/platform/cache"
)

// BenchmarkCatalogueList is the product list's hot path in process (no network): answered
// from the in-process view cache, and rendered from PostgreSQL on every request. Run with
// -benchmem (and -cpuprofile) to see what a request costs.
func BenchmarkCatalogueList(b *testing.B) {
	for _, bc := range []struct {
		name  string
		views *cache.Views
	}{
		{"cached", cache.NewViews(nil, cache.ViewsConfig{Namespace: "bench"}, nil)},
		{"uncached", nil},
	} {
		b.Run(bc.name, func(b *testing.B) {
			e := newEnv(b, func(c *httpapi.Config, d *httpapi.Deps) { d.Views = httpapi.Views{Catalog: bc.views} })
			for range 20 {
				e.newProduct(5, 250)
			}
			req := httptest.NewRequest(http.MethodGet, "/api/v1/products?page=1&page_size=20&sort=-created_at", nil)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				w := httptest.NewRecorder()
				e.api.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
	}
}
