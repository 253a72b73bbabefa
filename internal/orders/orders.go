// Package orders places orders and moves them through their life cycle. Placing an order
// reserves stock, writes the order, its lines and its OrderPlaced event in one transaction;
// prices and totals always come from the catalogue rows locked by that transaction, never from
// the client.
package orders

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/events"
	"github.com/acme/orders/internal/fault"
)

// Status is where an order is in its life cycle.
type Status string

// The statuses. An order moves placed → paid → shipped → delivered, and may be cancelled while
// placed or paid; cancelling returns its stock.
const (
	Placed    Status = "placed"
	Paid      Status = "paid"
	Shipped   Status = "shipped"
	Delivered Status = "delivered"
	Cancelled Status = "cancelled"
)

// transitions lists, for each target status, the statuses an order may move to it from.
var transitions = map[Status][]Status{
	Paid:      {Placed},
	Shipped:   {Paid},
	Delivered: {Shipped},
	Cancelled: {Placed, Paid},
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	switch s {
	case Placed, Paid, Shipped, Delivered, Cancelled:
		return true
	}
	return false
}

// Order is an order as the write model holds it.
type Order struct {
	ID         uuid.UUID
	UserID     uuid.UUID
	Status     Status
	TotalCents int64
	Currency   string
	Items      []Item
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Item is one order line, with the SKU, name and unit price at the time of the order.
type Item struct {
	ProductID      uuid.UUID
	SKU            string
	Name           string
	Quantity       int32
	UnitPriceCents int64
}

// Line is one requested line of a new order.
type Line struct {
	ProductID uuid.UUID
	Quantity  int32
}

// Caller is who asks: staff (and admins) may act on any order, customers on their own.
type Caller struct {
	UserID uuid.UUID
	Staff  bool
}

// Limits on a new order.
const (
	MaxLines    = 100
	MaxQuantity = 1000
	MaxKeyLen   = 255
)

// Errors returned by this package.
var (
	ErrNotFound            = fault.New(fault.NotFound, "order-not-found", "no such order")
	ErrOutOfStock          = fault.New(fault.Conflict, "out-of-stock", "not enough stock for some items; nothing was ordered")
	ErrUnknownProduct      = fault.New(fault.Invalid, "unknown-product", "some items name products that do not exist or are no longer sold")
	ErrMixedCurrencies     = fault.New(fault.Invalid, "mixed-currencies", "all items of one order must be priced in the same currency")
	ErrInvalidTransition   = fault.New(fault.Conflict, "invalid-transition", "the order cannot move to that status from its current one")
	ErrIdempotencyMismatch = fault.New(fault.Invalid, "idempotency-key-reused", "this Idempotency-Key was already used with a different request body")
)

// Reserved is a line whose stock was taken, with the catalogue's current price.
type Reserved struct {
	ProductID  uuid.UUID
	SKU        string
	Name       string
	PriceCents int64
	Currency   string
}

// Availability is what the catalogue says about a product that could not be reserved.
type Availability struct {
	Stock   int32
	Deleted bool
}

// Claim is the Idempotency-Key a new order claims; an empty Key claims nothing.
type Claim struct {
	UserID      uuid.UUID
	Key         string
	RequestHash []byte
	OrderID     uuid.UUID
}

// Store is the persistence the orders service needs; the Store passed to InTx's function runs
// every method in that one transaction. Placing an order takes two statements in it: Reserve,
// then Insert.
type Store interface {
	InTx(ctx context.Context, fn func(Store) error) error
	// Reserve claims the order's Idempotency-Key and takes stock for every line it can, in one
	// statement, and returns those lines. claimed is false if the user already used the key,
	// and then no stock is taken (a concurrent claim waits for the first transaction to end).
	Reserve(ctx context.Context, c Claim, lines []Line) (claimed bool, reserved []Reserved, err error)
	// IdempotencyKey returns the request hash and order recorded for a used key.
	IdempotencyKey(ctx context.Context, userID uuid.UUID, key string) ([]byte, uuid.UUID, error)
	Availability(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]Availability, error)
	// Insert writes the new order, its items and its OrderPlaced event, in one statement.
	Insert(ctx context.Context, o Order) error
	// Get returns the order with its items, or ErrNotFound.
	Get(ctx context.Context, id uuid.UUID) (Order, error)
	// Transition moves the order to `to` if its status is one of from; ok is false otherwise.
	Transition(ctx context.Context, id uuid.UUID, from []Status, to Status) (o Order, ok bool, err error)
	// ReleaseStock returns every line's quantity to the catalogue.
	ReleaseStock(ctx context.Context, id uuid.UUID) error
	// AppendEvent writes the event about the order in the store's transaction.
	AppendEvent(ctx context.Context, typ string, orderID uuid.UUID, at time.Time, payload events.Payload) error
	// DeleteIdempotencyKeysBefore forgets keys claimed before t; it returns how many.
	DeleteIdempotencyKeysBefore(ctx context.Context, t time.Time) (int64, error)
}
