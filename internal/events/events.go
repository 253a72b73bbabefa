// Package events defines the domain events that every change writes to the outbox in the
// same transaction as the change itself, their payloads, and the one function that writes
// them.
//
// The outbox is also the event log: the publisher gives each committed row a gap-free position
// in commit order, and read models are built by replaying rows in position order, reading
// payload fields by their JSON names (db/queries/history.sql and sales.sql). Each event type
// therefore has one payload struct per version (OrderPlacedV1, ...), whose JSON tags are the
// contract with every row already written; a golden example of each, in testdata, is decoded
// and re-encoded by the tests.
//
// # Versions and upcasting
//
// The row's version column says which struct its payload is. Adding an optional field to a
// payload is a compatible change and keeps the version; renaming, removing or retyping a
// field, or changing its meaning, needs a new version. Only the package that owns the
// aggregate (orders for Order*, catalog for Product*, auth for User*) bumps the version of its
// events, and it does so in one change that:
//
//  1. adds the new struct (OrderPlacedV2) next to the old one, which is never edited again;
//  2. registers an upcaster from the previous version (func(OrderPlacedV1) OrderPlacedV2,
//     deterministic, no I/O) and makes the new version current in the registry;
//  3. adds testdata/OrderPlaced.v2.json and keeps the v1 example;
//  4. teaches every SQL applier that reads the type to read both shapes (branching on the
//     outbox row's version) before the first v2 row is written, since read models are
//     rebuilt from rows of every version.
//
// Rows are never rewritten. Decode upgrades an old payload when it is read: it decodes the row
// into the struct of its own version, then applies the upcasters in order (v1 → v2 → v3) and
// returns the current struct, so Go readers only ever handle the current version. Append
// writes only the current version.
package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/acme/orders/db/sqlc"
	"github.com/acme/orders/internal/platform/telemetry"
)

// Event types.
const (
	OrderPlaced        = "OrderPlaced"
	OrderCancelled     = "OrderCancelled"
	OrderStatusChanged = "OrderStatusChanged"
	ProductCreated     = "ProductCreated"
	ProductUpdated     = "ProductUpdated"
	ProductDeleted     = "ProductDeleted"
	UserRegistered     = "UserRegistered"
	UserRoleChanged    = "UserRoleChanged"
)

// Aggregate types.
const (
	AggregateOrder   = "order"
	AggregateProduct = "product"
	AggregateUser    = "user"
)

// Payload is the body of one event type at one version. Only the structs of this package
// implement it, so nothing else can reach the outbox.
type Payload interface {
	// EventType is the event type the struct is the payload of, e.g. OrderPlaced.
	EventType() string
	// Version is the payload version the struct describes.
	Version() int32
	// Aggregate is the type and ID of the aggregate the event is about.
	Aggregate() (string, uuid.UUID)
	payload()
}

// Event is one outbox row as written (its position is assigned later, at publication).
type Event struct {
	ID            uuid.UUID
	Type          string
	AggregateType string
	AggregateID   uuid.UUID
	OccurredAt    time.Time
	Version       int32
	Payload       json.RawMessage
}

// Appender writes one outbox row. A domain store passes its queries bound to the transaction
// of the change the event describes (a *sqlc.Queries from WithTx is one), so the row commits,
// or rolls back, with it; tests may pass a recorder.
type Appender interface {
	AppendEvent(ctx context.Context, arg sqlc.AppendEventParams) error
}

// ErrMismatch is wrapped by the error Append returns when its arguments disagree with the
// payload (another type, another aggregate) or when a payload is not of the current version.
var ErrMismatch = errors.New("event does not match its payload")

// Append writes one event about an aggregate through a, in a's transaction, with a fresh
// time-ordered event ID. payload is the current version's struct of typ (OrderPlacedV1 for
// OrderPlaced, ...), about the aggregate named by aggregateType and aggregateID; anything else
// is refused with an error wrapping ErrMismatch, and nothing is written. The row keeps the
// traceparent of the sampled span in ctx, if any, so that the spans that publish and project
// the event can link to the trace that caused it.
func Append(ctx context.Context, a Appender, typ, aggregateType string, aggregateID uuid.UUID, at time.Time, payload Payload) error {
	e, err := newEvent(typ, aggregateType, aggregateID, at, payload)
	if err != nil {
		return err
	}
	return a.AppendEvent(ctx, sqlc.AppendEventParams{
		EventID:       e.ID,
		Type:          e.Type,
		AggregateType: e.AggregateType,
		AggregateID:   e.AggregateID.String(),
		Payload:       e.Payload,
		Version:       e.Version,
		OccurredAt:    e.OccurredAt,
		TraceContext:  telemetry.TraceParent(ctx),
	})
}

// newEvent checks payload against the registry and encodes it.
func newEvent(typ, aggregateType string, aggregateID uuid.UUID, at time.Time, p Payload) (Event, error) {
	s, ok := registry[typ]
	if !ok {
		return Event{}, fmt.Errorf("%w: unknown event type %q", ErrMismatch, typ)
	}
	if p == nil {
		return Event{}, fmt.Errorf("%w: %s needs its payload struct", ErrMismatch, typ)
	}
	aggType, aggID := p.Aggregate()
	switch {
	case p.EventType() != typ:
		return Event{}, fmt.Errorf("%w: a %s payload written as %s", ErrMismatch, p.EventType(), typ)
	case p.Version() != s.current:
		return Event{}, fmt.Errorf("%w: %s is at version %d, not %d", ErrMismatch, typ, s.current, p.Version())
	case aggType != aggregateType || aggID != aggregateID:
		return Event{}, fmt.Errorf("%w: %s is about %s %s, not %s %s", ErrMismatch, typ, aggType, aggID, aggregateType, aggregateID)
	}
	body, err := json.Marshal(p)
	if err != nil {
		return Event{}, fmt.Errorf("encode %s payload: %w", typ, err)
	}
	return Event{
		ID:            uuid.Must(uuid.NewV7()),
		Type:          typ,
		AggregateType: aggregateType,
		AggregateID:   aggregateID,
		OccurredAt:    at.UTC(),
		Version:       s.current,
		Payload:       body,
	}, nil
}
