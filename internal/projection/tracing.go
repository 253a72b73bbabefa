package projection

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/acme/orders/db/sqlc"
	"github.com/acme/orders/internal/platform/telemetry"
)

// Tracing, when it is on (telemetry.Enabled): a publishing round that published events, and
// each batch a projection applies, is a span of its own trace (a new root: one round serves
// many requests, and a long-running activity would otherwise collect thousands of them). The
// span links to the trace of every event it handled that stored one (outbox.trace_context),
// up to telemetry.MaxLinks; the rest are counted in outbox.events.unlinked. The stored
// contexts are read only for a span that is sampled, with one indexed query over the positions
// handled.

// linkEvents links span to the traces stored with the published events in (after, upto]; an
// unsampled span reads nothing. A failure to read them is recorded on the span and is not the
// caller's failure.
func linkEvents(ctx context.Context, span trace.Span, q *sqlc.Queries, after, upto int64) {
	if !span.IsRecording() {
		return
	}
	rows, err := q.TraceContexts(telemetry.Detach(ctx), sqlc.TraceContextsParams{After: after, Upto: upto, MaxLinks: telemetry.MaxLinks})
	if err != nil {
		span.RecordError(err)
		return
	}
	for _, r := range rows {
		if sc, ok := telemetry.ParseTraceParent(r.TraceContext); ok {
			span.AddLink(trace.Link{SpanContext: sc, Attributes: []attribute.KeyValue{attribute.Int64("outbox.position", r.Position)}})
		}
	}
	if len(rows) > 0 {
		span.SetAttributes(attribute.Int64("outbox.events.unlinked", rows[0].Total-int64(len(rows))))
	}
}

// traceRound records a publishing round that published events, or failed, after the fact:
// from start until now, linked to the traces of the events it published in (prev, last].
func (p *Publisher) traceRound(ctx context.Context, start time.Time, prev int64, round Round, roundErr error) {
	_, span := telemetry.Tracer().Start(ctx, "publish outbox", trace.WithNewRoot(), trace.WithSpanKind(trace.SpanKindProducer),
		trace.WithTimestamp(start),
		trace.WithAttributes(
			attribute.Int64("outbox.events", round.Published),
			attribute.Int64("outbox.position.after", prev),
			attribute.Int64("outbox.position.last", round.LastPosition),
			attribute.Int64("outbox.held_back", round.HeldBack),
		))
	if roundErr != nil {
		telemetry.Fail(span, roundErr)
	} else {
		linkEvents(ctx, span, sqlc.New(p.pool), prev, round.LastPosition)
	}
	span.End()
}

// startBatch starts the span of a projection batch over (after, upto], linked to the traces
// of its events; the statements that apply the batch run under the returned context.
func startBatch(ctx context.Context, q *sqlc.Queries, name string, start time.Time, after, upto int64) (context.Context, trace.Span) {
	ctx, span := telemetry.Tracer().Start(ctx, "project "+name, trace.WithNewRoot(), trace.WithSpanKind(trace.SpanKindConsumer),
		trace.WithTimestamp(start),
		trace.WithAttributes(
			attribute.String("projection", name),
			attribute.Int64("outbox.events", upto-after),
			attribute.Int64("outbox.position.after", after),
			attribute.Int64("outbox.position.last", upto),
		))
	linkEvents(ctx, span, q, after, upto)
	return ctx, span
}

// endBatch ends a projection batch's span with its outcome.
func endBatch(span trace.Span, err error) {
	if err != nil {
		telemetry.Fail(span, err)
	}
	span.End()
}
