// Package telemetrytest turns tracing on for one test, recording spans in memory.
package telemetrytest

import (
	"context"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/acme/orders/internal/platform/telemetry"
)

// Record installs a tracer provider that keeps every span in the returned recorder, and turns
// tracing back off when the test ends. It sets the process's global provider: a test that calls
// it must not run in parallel with others that trace.
func Record(t testing.TB) *tracetest.SpanRecorder {
	t.Helper()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	telemetry.Install(tp)
	t.Cleanup(func() {
		telemetry.Uninstall()
		_ = tp.Shutdown(context.Background())
	})
	return rec
}
