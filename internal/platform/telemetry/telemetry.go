// Package telemetry turns on OpenTelemetry tracing for the API and the worker, from the
// standard OTEL_* environment variables, and holds the small pieces the rest of the code uses
// to take part in a trace: the PostgreSQL tracer, the Temporal interceptor, the log handler
// that stamps trace IDs on log lines, and the outbox's stored trace contexts.
//
// Tracing is off unless an OTLP endpoint is configured. Off means the global tracer provider
// is a no-op and Enabled reports false, so that callers skip their instrumentation entirely:
// no PostgreSQL tracer is installed, no HTTP middleware is added, no Temporal interceptor is
// set, and the request path costs what it cost before tracing existed.
package telemetry

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// Default service names, overridden by OTEL_SERVICE_NAME or service.name in
// OTEL_RESOURCE_ATTRIBUTES.
const (
	ServiceAPI    = "orders-api"
	ServiceWorker = "orders-worker"
)

// ScopeName is the instrumentation scope of the spans this module makes itself.
const ScopeName = "github.com/acme/orders"

// enabled says whether a recording tracer provider is installed (Setup with an endpoint, or
// Install).
var enabled atomic.Bool

// Enabled reports whether tracing is on in this process. Code that would pay for
// instrumentation on a hot path (a tracer on every connection, a middleware on every request)
// checks it once, when it is built.
func Enabled() bool { return enabled.Load() }

// Tracer is the tracer of this module's own spans, from the global provider.
func Tracer() trace.Tracer { return otel.Tracer(ScopeName) }

// Shutdown flushes the spans still buffered and stops the exporter.
type Shutdown func(context.Context) error

// Setup configures tracing for the process named service (ServiceAPI or ServiceWorker) from
// the environment, the way every OpenTelemetry SDK reads it:
//
//   - OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT: where to send spans;
//     with neither set (or OTEL_SDK_DISABLED=true, or OTEL_TRACES_EXPORTER=none) tracing stays
//     off and Setup returns a Shutdown that does nothing.
//   - OTEL_EXPORTER_OTLP_TRACES_PROTOCOL or OTEL_EXPORTER_OTLP_PROTOCOL: http/protobuf (the
//     default, the collector's port 4318) or grpc (port 4317). Headers, timeouts, TLS and
//     compression come from the exporter's own OTEL_EXPORTER_OTLP_* variables.
//   - OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES: the resource (service defaults to the
//     process's name).
//   - OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG: sampling, read by the SDK (default
//     parentbased_always_on); OTEL_BSP_*: the batch span processor, read by the SDK.
//
// Incoming and outgoing trace context is W3C tracecontext (and baggage). The returned Shutdown
// must be called on exit so the last spans are sent.
func Setup(ctx context.Context, service string) (Shutdown, error) {
	if !configured() {
		otel.SetTracerProvider(noop.NewTracerProvider())
		enabled.Store(false)
		return func(context.Context) error { return nil }, nil
	}
	exp, err := newExporter(ctx)
	if err != nil {
		return nil, err
	}
	res, err := resource.New(ctx,
		resource.WithAttributes(attribute.String("service.name", service)),
		resource.WithFromEnv(), // OTEL_RESOURCE_ATTRIBUTES, then OTEL_SERVICE_NAME, over the default
		resource.WithTelemetrySDK(),
		resource.WithHost(),
		resource.WithProcessPID(),
	)
	if err != nil && !errors.Is(err, resource.ErrPartialResource) {
		return nil, fmt.Errorf("tracing resource: %w", err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) {
		slog.Warn("tracing", "error", err.Error())
	}))
	Install(tp)
	slog.Info("tracing on: spans are exported over OTLP", "service", serviceName(res, service), "protocol", protocolOrDefault())
	return tp.Shutdown, nil
}

// Flush calls s within timeout, for a deferred call on exit; a failure is logged.
func (s Shutdown) Flush(timeout time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := s(ctx); err != nil {
		slog.Warn("tracing: spans may be lost", "error", err.Error())
	}
}

// serviceName is the service.name res ended up with.
func serviceName(res *resource.Resource, fallback string) string {
	if v, ok := res.Set().Value("service.name"); ok {
		return v.AsString()
	}
	return fallback
}

// Install makes tp the global tracer provider, sets W3C tracecontext and baggage propagation,
// and turns Enabled on. Setup calls it; tests call it with a provider that records in memory.
func Install(tp trace.TracerProvider) {
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	enabled.Store(true)
}

// Uninstall puts back a no-op provider and turns Enabled off (for tests that Install).
func Uninstall() {
	otel.SetTracerProvider(noop.NewTracerProvider())
	enabled.Store(false)
}

// configured reports whether the environment asks for traces to be exported.
func configured() bool {
	if v, err := strconv.ParseBool(strings.TrimSpace(os.Getenv("OTEL_SDK_DISABLED"))); err == nil && v {
		return false
	}
	if strings.TrimSpace(strings.ToLower(os.Getenv("OTEL_TRACES_EXPORTER"))) == "none" {
		return false
	}
	return strings.TrimSpace(os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")) != "" ||
		strings.TrimSpace(os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT")) != ""
}

// newExporter builds the OTLP exporter for the configured protocol; the exporter reads its
// endpoint, headers, TLS and timeout from the environment itself.
func newExporter(ctx context.Context) (sdktrace.SpanExporter, error) {
	protocol := protocolOrDefault()
	var (
		exp sdktrace.SpanExporter
		err error
	)
	switch protocol {
	case "http/protobuf":
		exp, err = otlptracehttp.New(ctx)
	case "grpc":
		exp, err = otlptracegrpc.New(ctx)
	default:
		return nil, fmt.Errorf("OTEL_EXPORTER_OTLP_PROTOCOL %q is not supported: use http/protobuf or grpc", protocol)
	}
	if err != nil {
		return nil, fmt.Errorf("OTLP trace exporter: %w", err)
	}
	return exp, nil
}

// protocolOrDefault is the configured OTLP protocol for traces, http/protobuf if none.
func protocolOrDefault() string {
	for _, k := range []string{"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"} {
		if v := strings.TrimSpace(os.Getenv(k)); v != "" {
			return v
		}
	}
	return "http/protobuf"
}
