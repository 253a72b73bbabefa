package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/platform/postgres"
	"github.com/acme/orders/internal/platform/telemetry"
	"github.com/acme/orders/internal/platform/telemetry/telemetrytest"
	"github.com/acme/orders/internal/projection"
	"github.com/acme/orders/internal/readmodel"
)

// TestTraceOfPlacedOrder is what an operator sees in the trace of one POST /api/v1/orders:
// the HTTP server span, continuing the caller's traceparent and named by its route; the SQL
// statements of the order transaction as its children, without the values bound to them; the
// traceparent kept with the OrderPlaced outbox row; the publishing round that published the
// event, and the order_history batch that applied it, each a trace of its own linked to the
// request's. The request's log line carries its trace_id.
//
// Not parallel: it installs a global tracer provider that records in memory for its duration.
func TestTraceOfPlacedOrder(t *testing.T) {
	ctx := context.Background()
	rec := telemetrytest.Record(t)
	var logs bytes.Buffer
	prevLog := slog.Default()
	slog.SetDefault(slog.New(telemetry.LogHandler(slog.NewJSONHandler(&logs, nil))))
	t.Cleanup(func() { slog.SetDefault(prevLog) })

	// A pool opened with tracing on gets the query tracer, and an API built then the middleware.
	pool, err := postgres.Open(ctx, testDB.URL, postgres.Options{MaxConns: 8})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	e := newEnv(t, withPool(pool))
	c := e.newAccount(auth.RoleCustomer)
	p := e.newProduct(10, 1250)

	// Probes are not traced.
	expectStatus(t, e.do(req{method: "GET", path: "/readyz"}), 200)
	expectStatus(t, e.do(req{method: "GET", path: "/healthz"}), 200)
	if spans := rec.Ended(); len(spans) != 0 {
		t.Fatalf("probes made spans: %v", names(spans))
	}

	// The caller's trace: the server span must continue it.
	callerTrace, _ := trace.TraceIDFromHex("4bf92f3577b34da6a3ce929d0e0e4736")
	callerSpan, _ := trace.SpanIDFromHex("00f067aa0ba902b7")
	r := e.do(req{method: "POST", path: "/api/v1/orders", token: c.Token, body: items(p.ID, 2),
		header: map[string]string{"traceparent": fmt.Sprintf("00-%s-%s-01", callerTrace, callerSpan)}})
	expectStatus(t, r, 201)
	var o orderBody
	r.decode(t, &o)

	// The HTTP server span.
	var server sdktrace.ReadOnlySpan
	for _, s := range rec.Ended() {
		if s.SpanKind() == trace.SpanKindServer && s.Name() == "POST /api/v1/orders" {
			server = s
		}
	}
	if server == nil {
		t.Fatalf("no server span named by the route; spans: %v", names(rec.Ended()))
	}
	if server.SpanContext().TraceID() != callerTrace || server.Parent().SpanID() != callerSpan || !server.Parent().IsRemote() {
		t.Fatalf("the server span does not continue the caller's trace: trace %s, parent %+v", server.SpanContext().TraceID(), server.Parent())
	}
	if got := attr(server, "http.route"); got != "/api/v1/orders" {
		t.Errorf("http.route = %q", got)
	}
	if got := attr(server, "http.response.status_code"); got != "201" {
		t.Errorf("http.response.status_code = %q", got)
	}

	// Its SQL: the order transaction's statements are children of the server span, name the
	// sqlc queries, and carry no parameter value (the product, user and order IDs are ones).
	sql := map[string]sdktrace.ReadOnlySpan{}
	for _, s := range rec.Ended() {
		if s.SpanKind() == trace.SpanKindClient && attr(s, "db.system") == "postgresql" && s.SpanContext().TraceID() == callerTrace {
			if s.Parent().SpanID() != server.SpanContext().SpanID() {
				t.Errorf("SQL span %s is not a child of the server span", s.Name())
			}
			sql[s.Name()] = s
			for _, kv := range s.Attributes() {
				if v := kv.Value.Emit(); strings.Contains(v, p.ID.String()) || strings.Contains(v, c.ID.String()) || strings.Contains(v, o.ID) {
					t.Errorf("SQL span %s carries a parameter value in %s", s.Name(), kv.Key)
				}
			}
		}
	}
	for _, want := range []string{"BEGIN", "ReserveOrder", "InsertPlacedOrder", "COMMIT"} {
		if sql[want] == nil {
			t.Errorf("no SQL span %s under the request; SQL spans: %v", want, keys(sql))
		}
	}
	if s := sql["InsertPlacedOrder"]; s != nil && (attr(s, "db.operation.name") != "WITH" || !strings.Contains(attr(s, "db.query.text"), "INSERT INTO outbox")) {
		t.Errorf("InsertPlacedOrder: operation %q, text %q", attr(s, "db.operation.name"), attr(s, "db.query.text"))
	}

	// The OrderPlaced row keeps the request's trace context.
	var stored *string
	if err := pool.QueryRow(ctx, "SELECT trace_context FROM outbox WHERE type = 'OrderPlaced' AND aggregate_id = $1", o.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("00-%s-%s-01", callerTrace, server.SpanContext().SpanID()); stored == nil || *stored != want {
		t.Fatalf("trace_context = %v, want %s", stored, want)
	}

	// The request's log line.
	if !loggedWithTrace(t, logs.Bytes(), "request", callerTrace) {
		t.Errorf("the request log line does not carry trace_id %s:\n%s", callerTrace, logs.Bytes())
	}

	// The publisher's round: its own trace, linked to the request's.
	rec.Reset()
	if err := projection.NewPublisher(pool).PublishAll(ctx, 1000); err != nil {
		t.Fatal(err)
	}
	round := linkedSpan(rec.Ended(), "publish outbox", callerTrace)
	if round == nil {
		t.Fatalf("no publishing round linked to the request's trace; spans: %v", names(rec.Ended()))
	}
	if round.SpanContext().TraceID() == callerTrace || round.Parent().IsValid() || attr(round, "outbox.events") == "0" {
		t.Errorf("publishing round: trace %s, parent %+v, events %s", round.SpanContext().TraceID(), round.Parent(), attr(round, "outbox.events"))
	}

	// The projection's batch: its own trace, linked to the request's, with its SQL under it.
	rec.Reset()
	if err := projection.NewRunner(pool, readmodel.OrderHistory{}).ApplyAll(ctx, "order_history", 1000); err != nil {
		t.Fatal(err)
	}
	batch := linkedSpan(rec.Ended(), "project order_history", callerTrace)
	if batch == nil {
		t.Fatalf("no order_history batch linked to the request's trace; spans: %v", names(rec.Ended()))
	}
	if batch.SpanContext().TraceID() == callerTrace || attr(batch, "projection") != "order_history" {
		t.Errorf("batch: trace %s, projection %q", batch.SpanContext().TraceID(), attr(batch, "projection"))
	}
	children := 0
	for _, s := range rec.Ended() {
		if s.Parent().SpanID() == batch.SpanContext().SpanID() && attr(s, "db.system") == "postgresql" {
			children++
		}
	}
	if children == 0 {
		t.Errorf("the batch span has no SQL spans under it; spans: %v", names(rec.Ended()))
	}
	if got := e.count("SELECT count(*) FROM order_history WHERE order_id = $1", o.ID); got != 1 {
		t.Errorf("order_history rows for the order = %d", got)
	}
}

// linkedSpan returns the span named name that links to a span of trace id.
func linkedSpan(spans []sdktrace.ReadOnlySpan, name string, id trace.TraceID) sdktrace.ReadOnlySpan {
	for _, s := range spans {
		if s.Name() != name {
			continue
		}
		for _, l := range s.Links() {
			if l.SpanContext.TraceID() == id {
				return s
			}
		}
	}
	return nil
}

// loggedWithTrace reports whether a JSON log line with message msg carries trace_id id.
func loggedWithTrace(t *testing.T, logs []byte, msg string, id trace.TraceID) bool {
	t.Helper()
	for _, line := range bytes.Split(bytes.TrimSpace(logs), []byte("\n")) {
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		if m["msg"] == msg && m["trace_id"] == id.String() && m["span_id"] != nil {
			return true
		}
	}
	return false
}

func attr(s sdktrace.ReadOnlySpan, key string) string {
	for _, kv := range s.Attributes() {
		if string(kv.Key) == key {
			return kv.Value.Emit()
		}
	}
	return ""
}

func names(spans []sdktrace.ReadOnlySpan) []string {
	out := make([]string, len(spans))
	for i, s := range spans {
		out[i] = s.Name()
	}
	return out
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
