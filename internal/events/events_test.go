package events_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/acme/orders/db/sqlc"
	"github.com/acme/orders/internal/events"
)

func golden(t *testing.T, typ string, version int32) []byte {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", fmt.Sprintf("%s.v%d.json", typ, version)))
	if err != nil {
		t.Fatalf("every version of every event type needs a golden example: %v", err)
	}
	return body
}

// sameJSON reports whether a and b hold the same JSON value, whatever the key order and spacing.
func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal(a, &va); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &vb); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(va, vb)
}

// TestGoldenPayloadsRoundTrip: the golden example of each type and version decodes into its
// struct and encodes back to the same JSON, so no tag can be renamed, dropped or added without
// this test (and the rows already in the log) noticing.
func TestGoldenPayloadsRoundTrip(t *testing.T) {
	t.Parallel()
	if len(events.Types()) != 8 {
		t.Fatalf("types = %v", events.Types())
	}
	for _, typ := range events.Types() {
		versions := events.Versions(typ)
		for _, v := range versions {
			t.Run(fmt.Sprintf("%s.v%d", typ, v), func(t *testing.T) {
				t.Parallel()
				body := golden(t, typ, v)
				p, err := events.Decode(typ, v, body)
				if err != nil {
					t.Fatal(err)
				}
				if p.EventType() != typ || p.Version() != versions[len(versions)-1] {
					t.Fatalf("decoded into %T (%s v%d)", p, p.EventType(), p.Version())
				}
				again, err := json.Marshal(p)
				if err != nil {
					t.Fatal(err)
				}
				if v == p.Version() && !sameJSON(t, body, again) {
					t.Fatalf("round trip changed the payload:\n got %s\nwant %s", again, body)
				}
				if reflect.ValueOf(p).IsZero() {
					t.Fatal("decoded to a zero payload")
				}
			})
		}
	}
}

// TestDecodeRefusesUnknownFields: a payload with a field its struct does not have (a renamed
// or misspelt one) is refused rather than silently read as zero.
func TestDecodeRefusesUnknownFields(t *testing.T) {
	t.Parallel()
	for _, typ := range events.Types() {
		for _, v := range events.Versions(typ) {
			body := golden(t, typ, v)
			extra := []byte(`{"surprise": 1, ` + strings.TrimPrefix(strings.TrimSpace(string(body)), "{"))
			if _, err := events.Decode(typ, v, extra); err == nil {
				t.Errorf("%s v%d: an unknown field was accepted", typ, v)
			}
			if _, err := events.Decode(typ, v, append(body, []byte(`{}`)...)); err == nil {
				t.Errorf("%s v%d: trailing data was accepted", typ, v)
			}
		}
	}
	if _, err := events.Decode("OrderShipped", 1, []byte(`{}`)); !errors.Is(err, events.ErrUnknownEvent) {
		t.Errorf("unknown type: %v", err)
	}
	if _, err := events.Decode(events.OrderPlaced, 99, golden(t, events.OrderPlaced, 1)); !errors.Is(err, events.ErrUnknownEvent) {
		t.Errorf("unknown version: %v", err)
	}
}

// TestEveryGoldenFileIsRegistered: no example outlives its type or version.
func TestEveryGoldenFileIsRegistered(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	known := map[string]bool{}
	for _, typ := range events.Types() {
		for _, v := range events.Versions(typ) {
			known[fmt.Sprintf("%s.v%d.json", typ, v)] = true
		}
	}
	for _, f := range files {
		if !known[filepath.Base(f)] {
			t.Errorf("%s names no registered event type and version", f)
		}
	}
}

// recorder is an Appender that keeps what it is given.
type recorder struct{ rows []sqlc.AppendEventParams }

func (r *recorder) AppendEvent(_ context.Context, arg sqlc.AppendEventParams) error {
	r.rows = append(r.rows, arg)
	return nil
}

func TestAppendWritesOnlyMatchingTypedPayloads(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	order, user := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
	at := time.Date(2026, 11, 30, 6, 0, 0, 0, time.FixedZone("CET", 3600))
	placed := events.OrderPlacedV1{OrderID: order, UserID: user, Status: "placed", TotalCents: 100, Currency: "USD", CreatedAt: at,
		Items: []events.OrderLineV1{{ProductID: uuid.Must(uuid.NewV7()), SKU: "A-1", Name: "A", Quantity: 1, UnitPriceCents: 100}}}

	var r recorder
	if err := events.Append(ctx, &r, events.OrderPlaced, events.AggregateOrder, order, at, placed); err != nil {
		t.Fatal(err)
	}
	row := r.rows[0]
	want, _ := json.Marshal(placed)
	if row.Type != events.OrderPlaced || row.AggregateType != "order" || row.AggregateID != order.String() || row.Version != 1 ||
		!row.OccurredAt.Equal(at) || row.OccurredAt.Location() != time.UTC || row.EventID.Version() != 7 || !sameJSON(t, row.Payload, want) {
		t.Fatalf("row = %+v", row)
	}

	refused := []struct {
		name          string
		typ, aggType  string
		aggID         uuid.UUID
		payload       events.Payload
		wantErrSubstr string
	}{
		{"another type", events.OrderCancelled, events.AggregateOrder, order, placed, "written as"},
		{"another aggregate", events.OrderPlaced, events.AggregateOrder, user, placed, "is about"},
		{"another aggregate type", events.OrderPlaced, events.AggregateProduct, order, placed, "is about"},
		{"unknown type", "OrderShipped", events.AggregateOrder, order, placed, "unknown event type"},
		{"nil", events.UserRoleChanged, events.AggregateUser, user, nil, "needs its payload struct"},
	}
	for _, c := range refused {
		err := events.Append(ctx, &r, c.typ, c.aggType, c.aggID, at, c.payload)
		if !errors.Is(err, events.ErrMismatch) || !strings.Contains(err.Error(), c.wantErrSubstr) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if len(r.rows) != 1 {
		t.Fatalf("refused events were written: %d rows", len(r.rows))
	}
}
