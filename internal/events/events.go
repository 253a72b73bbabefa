// Package events defines the domain events that every change writes to the outbox in the
// same transaction as the change itself, and the one function that writes them.
//
// The outbox is also the event log: the publisher gives each committed row a gap-free position
// in commit order, and read models are built by replaying rows in position order.
package events

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/acme/orders/db/sqlc"
)

// Event types. The payload of each is described next to its constructor's caller; adding a
// field is a compatible change, anything else bumps Version.
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

// New builds an event of the given type about one aggregate, with a fresh time-ordered ID.
func New(typ, aggregateType string, aggregateID uuid.UUID, occurredAt time.Time, payload any) (Event, error) {
	body, err := json.Marshal(payload)
	if err != nil {
		return Event{}, fmt.Errorf("encode %s payload: %w", typ, err)
	}
	return Event{
		ID:            uuid.Must(uuid.NewV7()),
		Type:          typ,
		AggregateType: aggregateType,
		AggregateID:   aggregateID,
		OccurredAt:    occurredAt.UTC(),
		Version:       1,
		Payload:       body,
	}, nil
}

// Append writes the event through q, which must be bound to the transaction that makes the
// change the event describes: the row then commits, or rolls back, with it.
func Append(ctx context.Context, q *sqlc.Queries, typ, aggregateType string, aggregateID uuid.UUID, occurredAt time.Time, payload any) error {
	e, err := New(typ, aggregateType, aggregateID, occurredAt, payload)
	if err != nil {
		return err
	}
	return q.AppendEvent(ctx, sqlc.AppendEventParams{
		EventID:       e.ID,
		Type:          e.Type,
		AggregateType: e.AggregateType,
		AggregateID:   e.AggregateID.String(),
		Payload:       e.Payload,
		Version:       e.Version,
		OccurredAt:    e.OccurredAt,
	})
}
