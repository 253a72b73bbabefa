package telemetry_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/acme/orders/internal/platform/pgtest"
	"github.com/acme/orders/internal/platform/postgres"
	"github.com/acme/orders/internal/platform/telemetry"
)

// TestQueryTracer, against the real server: inside a recording span every statement, a batch
// and each statement of the batch is a client span under it, named by the sqlc query name or
// the first keyword, with the SQLSTATE of a failure and without the bound values; outside any
// span nothing is recorded.
func TestQueryTracer(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	telemetry.Install(tp)
	t.Cleanup(telemetry.Uninstall)
	ctx := context.Background()
	pool, err := postgres.Open(ctx, pgtest.ServerURL(), postgres.Options{MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if err := pool.Ping(ctx); err != nil {
		t.Fatal(err)
	}

	// Outside any span: no span.
	if _, err := pool.Exec(ctx, "SELECT 1"); err != nil {
		t.Fatal(err)
	}
	if n := len(rec.Ended()); n != 0 {
		t.Fatalf("%d spans for statements outside any trace", n)
	}

	ctx, parent := tp.Tracer("test").Start(ctx, "request")
	var n int
	if err := pool.QueryRow(ctx, "-- name: AddSecret :one\nSELECT $1::int + 1", 41).Scan(&n); err != nil || n != 42 {
		t.Fatalf("%d, %v", n, err)
	}
	if _, err := pool.Exec(ctx, "select 1/0"); err == nil {
		t.Fatal("division by zero succeeded")
	}
	b := &pgx.Batch{}
	b.Queue("-- name: First :one\nSELECT $1::text", "batch-secret")
	b.Queue("SELECT 2")
	if err := pool.SendBatch(ctx, b).Close(); err != nil {
		t.Fatal(err)
	}
	parent.End()

	byName := map[string]sdktrace.ReadOnlySpan{}
	for _, s := range rec.Ended() {
		byName[s.Name()] = s
		for _, kv := range s.Attributes() {
			if v := kv.Value.Emit(); v == "41" || v == "batch-secret" {
				t.Errorf("%s carries a bound value in %s", s.Name(), kv.Key)
			}
		}
	}
	batch := byName["batch"]
	for name, want := range map[string]struct {
		parent trace.SpanID
		op     string
	}{
		"AddSecret": {parent.SpanContext().SpanID(), "SELECT"},
		"batch":     {parent.SpanContext().SpanID(), "BATCH"},
		"First":     {spanID(batch), "SELECT"},
		"SELECT":    {spanID(batch), "SELECT"}, // the batch's "SELECT 2", the last span so named
	} {
		s := byName[name]
		if s == nil {
			t.Errorf("no span %s among %v", name, keysOf(byName))
			continue
		}
		if s.Parent().SpanID() != want.parent || s.SpanKind() != trace.SpanKindClient ||
			attrOf(s, "db.system.name") != "postgresql" || attrOf(s, "db.system") != "postgresql" || attrOf(s, "db.operation.name") != want.op {
			t.Errorf("%s: parent %s, kind %s, attributes %v", name, s.Parent().SpanID(), s.SpanKind(), s.Attributes())
		}
	}
	var failed sdktrace.ReadOnlySpan
	for _, s := range rec.Ended() {
		if attrOf(s, "db.query.text") == "select 1/0" {
			failed = s
		}
	}
	if failed == nil || failed.Parent().SpanID() != parent.SpanContext().SpanID() || failed.Name() != "SELECT" ||
		failed.Status().Code != codes.Error || attrOf(failed, "db.response.status_code") != "22012" {
		t.Errorf("the failing statement's span: %+v", failed)
	}
}

func spanID(s sdktrace.ReadOnlySpan) trace.SpanID {
	if s == nil {
		return trace.SpanID{}
	}
	return s.SpanContext().SpanID()
}

func attrOf(s sdktrace.ReadOnlySpan, key string) string {
	for _, kv := range s.Attributes() {
		if string(kv.Key) == key {
			return kv.Value.Emit()
		}
	}
	return ""
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
