package telemetry

import (
	"context"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// MaxLinks caps the links of one span to the traces of the events it handled: a publishing
// round or a projection batch may serve thousands of requests. Spans count the events they
// could not link in an attribute instead.
const MaxLinks = 128

// TraceParent returns the W3C traceparent of the sampled span in ctx, to be stored with an
// outbox row so that whoever handles the event later can link back to the trace that wrote it;
// nil (NULL) when ctx holds no sampled span, which is always the case with tracing off.
func TraceParent(ctx context.Context) *string {
	sc := trace.SpanContextFromContext(ctx)
	if !sc.IsValid() || !sc.IsSampled() {
		return nil
	}
	s := "00-" + sc.TraceID().String() + "-" + sc.SpanID().String() + "-" + sc.TraceFlags().String()
	return &s
}

// ParseTraceParent reads a traceparent stored by TraceParent; ok is false for anything that is
// not a valid one.
func ParseTraceParent(s string) (sc trace.SpanContext, ok bool) {
	ctx := propagation.TraceContext{}.Extract(context.Background(), propagation.MapCarrier{"traceparent": s})
	sc = trace.SpanContextFromContext(ctx)
	return sc, sc.IsValid()
}

// Fail records err on span and marks the span failed.
func Fail(span trace.Span, err error) {
	span.RecordError(err)
	span.SetStatus(codes.Error, err.Error())
}

// Detach returns ctx without its span, keeping every other value: the statements and spans
// made under it start no child of that span. Long-running loops use it so that their polls
// do not pile up under the span of the activity that runs them.
func Detach(ctx context.Context) context.Context {
	return trace.ContextWithSpan(ctx, trace.SpanFromContext(context.Background()))
}
