package telemetry

import (
	"log/slog"

	"go.temporal.io/sdk/contrib/opentelemetry"
	"go.temporal.io/sdk/interceptor"
)

// TemporalInterceptors returns the Temporal SDK's tracing interceptor when tracing is on, and
// nothing otherwise. Set on a client's options, it puts the caller's trace context in the
// headers of the workflows it starts (and signals, queries, updates), and workers created from
// that client make spans for the workflows and activities they run, in the caller's trace.
func TemporalInterceptors() []interceptor.ClientInterceptor {
	if !Enabled() {
		return nil
	}
	i, err := opentelemetry.NewTracingInterceptor(opentelemetry.TracerOptions{})
	if err != nil {
		slog.Warn("tracing: no Temporal interceptor", "error", err.Error())
		return nil
	}
	return []interceptor.ClientInterceptor{i}
}
