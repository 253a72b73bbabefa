package httpapi

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/acme/orders/internal/platform/telemetry"
)

// serverSpans makes a server span of every request, continuing the caller's trace when the
// request carries a W3C traceparent. The span is named by the route pattern ("POST
// /api/v1/orders"), which chi knows only once it has routed, so the name, the route and the
// status are set when the request ends. observe starts and ends it around the request, with
// the status it records anyway, so that the request's log line carries the span's trace_id.
//
// Liveness and readiness probes, asked every few seconds by load balancers and orchestrators,
// are not traced.
type serverSpans struct {
	tracer     trace.Tracer
	propagator propagation.TextMapPropagator
}

// newServerSpans returns nil when tracing is off: observe then does nothing for traces.
func newServerSpans() *serverSpans {
	if !telemetry.Enabled() {
		return nil
	}
	return &serverSpans{tracer: telemetry.Tracer(), propagator: otel.GetTextMapPropagator()}
}

// start starts r's span and returns r with it in its context; a probe gets no span (nil).
func (s *serverSpans) start(r *http.Request, clientIP string) (*http.Request, trace.Span) {
	if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
		return r, nil
	}
	ctx := s.propagator.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	attrs := []attribute.KeyValue{
		attribute.String("http.request.method", r.Method),
		attribute.String("url.path", r.URL.Path),
		attribute.String("url.scheme", scheme),
		attribute.String("server.address", r.Host),
		attribute.String("client.address", clientIP),
		attribute.String("network.protocol.version", strconv.Itoa(r.ProtoMajor)+"."+strconv.Itoa(r.ProtoMinor)),
	}
	if ua := r.UserAgent(); ua != "" {
		attrs = append(attrs, attribute.String("user_agent.original", ua))
	}
	if id := requestID(r.Context()); id != "" {
		attrs = append(attrs, attribute.StringSlice("http.request.header.x-request-id", []string{id}))
	}
	ctx, span := s.tracer.Start(ctx, r.Method, trace.WithSpanKind(trace.SpanKindServer), trace.WithAttributes(attrs...))
	return r.WithContext(ctx), span
}

// end names span by r's route and records the outcome rec saw.
func (s *serverSpans) end(span trace.Span, r *http.Request, rec *statusRecorder) {
	if route := chi.RouteContext(r.Context()).RoutePattern(); route != "" {
		span.SetName(r.Method + " " + route)
		span.SetAttributes(attribute.String("http.route", route))
	}
	status := rec.status
	if status == 0 {
		status = http.StatusOK // nothing written: net/http answers 200
	}
	span.SetAttributes(attribute.Int("http.response.status_code", status), attribute.Int("http.response.body.size", rec.bytes))
	if status >= 500 {
		span.SetStatus(codes.Error, http.StatusText(status))
	}
	span.End()
}
