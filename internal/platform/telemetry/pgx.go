package telemetry

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// QueryTracer makes a client span for every statement, and for every batch and each of its
// statements, that runs inside a recording span: the statements of a traced request, of a
// publishing round or of a projection's batch. Statements outside any trace (the worker's
// polls and waits, health checks) make no span at all, so that a busy worker does not send a
// stream of one-span traces.
//
// A span is named by the sqlc query name (the "-- name: ReserveOrder :many" line sqlc puts at
// the start of the statement) or, for other statements, by their first keyword (BEGIN,
// COMMIT, LISTEN). It carries the statement text with its placeholders, never the values
// bound to them.
type QueryTracer struct {
	tracer trace.Tracer
	attrs  []attribute.KeyValue // the database and server, the same for every statement
}

var (
	_ pgx.QueryTracer = (*QueryTracer)(nil)
	_ pgx.BatchTracer = (*QueryTracer)(nil)
)

// NewQueryTracer returns a tracer for connections made from cfg, using the global tracer
// provider as it is now (call it after Setup).
func NewQueryTracer(cfg *pgx.ConnConfig) *QueryTracer {
	attrs := []attribute.KeyValue{
		attribute.String("db.system.name", "postgresql"),
		attribute.String("db.system", "postgresql"),
		attribute.String("db.namespace", cfg.Database),
		attribute.String("server.address", cfg.Host),
		attribute.Int("server.port", int(cfg.Port)),
	}
	return &QueryTracer{tracer: Tracer(), attrs: attrs}
}

// TraceQueryStart implements pgx.QueryTracer.
func (t *QueryTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	if !trace.SpanFromContext(ctx).IsRecording() {
		return ctx
	}
	name, op, text := describe(data.SQL)
	ctx, _ = t.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(t.attrs...),
		trace.WithAttributes(attribute.String("db.operation.name", op), attribute.String("db.query.text", text)))
	return ctx
}

// TraceQueryEnd implements pgx.QueryTracer.
func (t *QueryTracer) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryEndData) {
	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		return
	}
	end(span, data.CommandTag, data.Err)
}

// batchKey holds the start of the batch item that is being read next.
type batchKey struct{}

// TraceBatchStart implements pgx.BatchTracer: one span for the batch, with a child per
// statement.
func (t *QueryTracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceBatchStartData) context.Context {
	if !trace.SpanFromContext(ctx).IsRecording() {
		return ctx
	}
	ctx, _ = t.tracer.Start(ctx, "batch", trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(t.attrs...),
		trace.WithAttributes(attribute.Int("db.operation.batch.size", data.Batch.Len()), attribute.String("db.operation.name", "BATCH")))
	return ctx
}

// TraceBatchQuery implements pgx.BatchTracer. pgx calls it once a statement of the batch has
// been read, so the statement's span is made after the fact, from the time pgx began reading
// it.
func (t *QueryTracer) TraceBatchQuery(ctx context.Context, _ *pgx.Conn, data pgx.TraceBatchQueryData) {
	if !trace.SpanFromContext(ctx).IsRecording() {
		return
	}
	start := data.ReadStartTime
	if start.IsZero() {
		start = time.Now()
	}
	name, op, text := describe(data.SQL)
	_, span := t.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindClient), trace.WithTimestamp(start),
		trace.WithAttributes(t.attrs...),
		trace.WithAttributes(attribute.String("db.operation.name", op), attribute.String("db.query.text", text)))
	end(span, data.CommandTag, data.Err)
}

// TraceBatchEnd implements pgx.BatchTracer.
func (t *QueryTracer) TraceBatchEnd(ctx context.Context, _ *pgx.Conn, data pgx.TraceBatchEndData) {
	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		return
	}
	end(span, pgconn.CommandTag{}, data.Err)
}

// end records the outcome of a statement and ends its span.
func end(span trace.Span, tag pgconn.CommandTag, err error) {
	if err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) {
			span.SetAttributes(attribute.String("db.response.status_code", pgErr.Code))
		}
		Fail(span, err)
	} else if tag.Select() {
		span.SetAttributes(attribute.Int64("db.response.returned_rows", tag.RowsAffected()))
	}
	span.End()
}

// describe returns the span name, the operation (first keyword) and the statement text
// without the leading comments of sql.
func describe(sql string) (name, op, text string) {
	rest := sql
	for {
		rest = strings.TrimLeft(rest, " \t\r\n")
		switch {
		case strings.HasPrefix(rest, "--"):
			line, after, _ := strings.Cut(rest, "\n")
			if n, ok := strings.CutPrefix(line, "-- name: "); ok && name == "" {
				name, _, _ = strings.Cut(strings.TrimSpace(n), " ")
			}
			rest = after
			continue
		case strings.HasPrefix(rest, "/*"):
			if _, after, ok := strings.Cut(rest[2:], "*/"); ok {
				rest = after
				continue
			}
		}
		break
	}
	i := 0
	for i < len(rest) && (rest[i] >= 'a' && rest[i] <= 'z' || rest[i] >= 'A' && rest[i] <= 'Z') {
		i++
	}
	op = strings.ToUpper(rest[:i])
	if op == "" {
		op = "SQL"
	}
	if name == "" {
		name = op
	}
	return name, op, rest
}
