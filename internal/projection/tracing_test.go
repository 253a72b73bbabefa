package projection_test

import (
	"context"
	"fmt"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/acme/orders/internal/platform/telemetry"
	"github.com/acme/orders/internal/platform/telemetry/telemetrytest"
	"github.com/acme/orders/internal/projection"
	"github.com/acme/orders/internal/readmodel"
)

// TestSpansLinkToStoredTraces: with tracing on, the publishing round and the projection batch
// that handle 131 events, 130 of them written in a trace and one without, are spans linked to
// the first 128 of those traces in position order, and count the other two as unlinked; a
// round or a batch with nothing to do makes no span.
//
// Not parallel: it installs a global tracer provider that records in memory.
func TestSpansLinkToStoredTraces(t *testing.T) {
	ctx := context.Background()
	pub := projection.NewPublisher(testDB.Pool)
	runner := projection.NewRunner(testDB.Pool, readmodel.OrderHistory{})
	before := drain(t, pub)
	if err := runner.ApplyAll(ctx, "order_history", 10000); err != nil {
		t.Fatal(err)
	}
	rec := telemetrytest.Record(t)

	if _, err := testDB.Pool.Exec(ctx, `INSERT INTO outbox (event_id, type, aggregate_type, aggregate_id, payload, trace_context)
		SELECT gen_random_uuid(), 'TestEvent', 'test', g::text, '{}',
		       CASE WHEN g <= 130 THEN '00-' || lpad(to_hex(g), 32, '0') || '-' || lpad(to_hex(g), 16, '0') || '-01' END
		FROM generate_series(1, 131) AS g ORDER BY g`); err != nil {
		t.Fatal(err)
	}
	if last := drain(t, pub); last-before != 131 {
		t.Fatalf("published %d, want 131", last-before)
	}
	if err := runner.ApplyAll(ctx, "order_history", 10000); err != nil {
		t.Fatal(err)
	}
	// Rounds and batches that found nothing made no span.
	if err := runner.ApplyAll(ctx, "order_history", 10000); err != nil {
		t.Fatal(err)
	}
	drain(t, pub)

	spans := map[string]sdktrace.ReadOnlySpan{}
	for _, s := range rec.Ended() {
		if _, dup := spans[s.Name()]; dup {
			t.Fatalf("more than one %q span: %v", s.Name(), len(rec.Ended()))
		}
		spans[s.Name()] = s
	}
	for _, name := range []string{"publish outbox", "project order_history"} {
		s := spans[name]
		if s == nil {
			t.Fatalf("no %q span among %d", name, len(rec.Ended()))
		}
		if len(s.Links()) != telemetry.MaxLinks || s.DroppedLinks() != 0 {
			t.Fatalf("%s: %d links (%d dropped), want %d", name, len(s.Links()), s.DroppedLinks(), telemetry.MaxLinks)
		}
		if got := fmt.Sprintf("%032x", 1); s.Links()[0].SpanContext.TraceID().String() != got {
			t.Errorf("%s: first link to %s, want %s", name, s.Links()[0].SpanContext.TraceID(), got)
		}
		attrs := map[string]int64{}
		for _, kv := range s.Attributes() {
			attrs[string(kv.Key)] = kv.Value.AsInt64()
		}
		if attrs["outbox.events"] != 131 || attrs["outbox.events.unlinked"] != 2 {
			t.Errorf("%s: attributes %v", name, attrs)
		}
		if s.Parent().IsValid() {
			t.Errorf("%s: not a root span", name)
		}
	}
}
