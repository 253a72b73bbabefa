package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/catalog"
	"github.com/acme/orders/internal/platform/postgres"
	"github.com/acme/orders/internal/platform/telemetry"
)

// BenchmarkPlaceOrder is the write path in process (no network): POST /api/v1/orders through
// every middleware, the order transaction (two statements) and its commit. Its allocations
// are the figure to watch when instrumentation is added to the request path: with tracing off
// (the default) nothing may be added; "traced" is the same request with every span sampled
// and handed to a batch processor whose exporter discards them.
func BenchmarkPlaceOrder(b *testing.B) {
	b.Run("untraced", func(b *testing.B) { benchPlaceOrder(b, newEnv(b)) })
	b.Run("traced", func(b *testing.B) {
		tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(tracetest.NewNoopExporter()))
		telemetry.Install(tp)
		defer func() {
			telemetry.Uninstall()
			_ = tp.Shutdown(context.Background())
		}()
		pool, err := postgres.Open(context.Background(), testDB.URL, postgres.Options{MaxConns: 8})
		if err != nil {
			b.Fatal(err)
		}
		defer pool.Close()
		benchPlaceOrder(b, newEnv(b, withPool(pool)))
	})
}

func benchPlaceOrder(b *testing.B, e *env) {
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
