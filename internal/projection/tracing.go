package projection

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/acme/orders/db/sqlc"
	"github.com/acme/orders/internal/platform/telemetry"
)

// Tracing, when it is on (telemetry.Enabled): a publishing round that published events, and
// each batch a projection applies, is a span of its own trace (a new root: one round serves
// many requests, and a long-running activity would otherwise collect thousands of them). The
// span links to the trace of every event it handled that stored one (outbox.trace_context),
// up to telemetry.MaxLinks; the rest are counted in outbox.events.unlinked. The stored
// contexts are read only then, with one indexed query over the positions handled.

// eventLinks reads the trace contexts stored with the published events in (after, upto] and
// returns them as links, with the number of events that had one but were left out.
func eventLinks(ctx context.Context, q *sqlc.Queries, after, upto int64) ([]trace.Link, int64, error) {
	rows, err := q.TraceContexts(ctx, sqlc.TraceContextsParams{After: after, Upto: upto, MaxLinks: telemetry.MaxLinks})
	if err != nil || len(rows) == 0 {
		return nil, 0, err
	}
	links := make([]trace.Link, 0, len(rows))
	for _, r := range rows {
		if sc, ok := telemetry.ParseTraceParent(r.TraceContext); ok {
			links = append(links, trace.Link{SpanContext: sc, Attributes: []attribute.KeyValue{attribute.Int64("outbox.position", r.Position)}})
		}
	}
	return links, rows[0].Total - int64(len(rows)), nil
}

// traceRound records a publishing round that published events, or failed, after the fact:
// from start until now, linked to the traces of the events it published in (prev, last].
func (p *Publisher) traceRound(ctx context.Context, start time.Time, prev int64, round Round, roundErr error) {
	var (
		links    []trace.Link
		unlinked int64
		linkErr  error
	)
	if roundErr == nil {
		links, unlinked, linkErr = eventLinks(telemetry.Detach(ctx), sqlc.New(p.pool), prev, round.LastPosition)
	}
	_, span := telemetry.Tracer().Start(ctx, "publish outbox", trace.WithNewRoot(), trace.WithSpanKind(trace.SpanKindProducer),
		trace.WithTimestamp(start), trace.WithLinks(links...),
		trace.WithAttributes(
			attribute.Int64("outbox.events", round.Published),
			attribute.Int64("outbox.position.after", prev),
			attribute.Int64("outbox.position.last", round.LastPosition),
			attribute.Int64("outbox.held_back", round.HeldBack),
			attribute.Int64("outbox.events.unlinked", unlinked),
		))
	switch {
	case roundErr != nil:
		span.RecordError(roundErr)
		span.SetStatus(codes.Error, roundErr.Error())
	case linkErr != nil:
		span.RecordError(linkErr) // the round itself succeeded
	}
	span.End()
}

// startBatch starts the span of a projection batch over (after, upto], linked to the traces
// of its events; the statements that apply the batch run under the returned context.
func startBatch(ctx context.Context, q *sqlc.Queries, name string, start time.Time, after, upto int64) (context.Context, trace.Span) {
	links, unlinked, linkErr := eventLinks(telemetry.Detach(ctx), q, after, upto)
	ctx, span := telemetry.Tracer().Start(ctx, "project "+name, trace.WithNewRoot(), trace.WithSpanKind(trace.SpanKindConsumer),
		trace.WithTimestamp(start), trace.WithLinks(links...),
		trace.WithAttributes(
			attribute.String("projection", name),
			attribute.Int64("outbox.events", upto-after),
			attribute.Int64("outbox.position.after", after),
			attribute.Int64("outbox.position.last", upto),
			attribute.Int64("outbox.events.unlinked", unlinked),
		))
	if linkErr != nil {
		span.RecordError(linkErr)
	}
	return ctx, span
}

// endBatch ends a projection batch's span with its outcome.
func endBatch(span trace.Span, err error) {
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
	}
	span.End()
}
