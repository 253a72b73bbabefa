package events

import (
	"time"

	"github.com/google/uuid"
)

// The payload structs. Their JSON tags are what rows already in the outbox hold and what the
// SQL appliers read: never change a tag of an existing version (see the package doc).

// OrderLineV1 is one line of an order in OrderPlaced and OrderCancelled, with the SKU, name
// and unit price at the time of the order.
type OrderLineV1 struct {
	ProductID      uuid.UUID `json:"product_id"`
	SKU            string    `json:"sku"`
	Name           string    `json:"name"`
	Quantity       int32     `json:"quantity"`
	UnitPriceCents int64     `json:"unit_price_cents"`
}

// OrderPlacedV1 is the OrderPlaced payload: the whole order with its lines, as placed.
type OrderPlacedV1 struct {
	OrderID    uuid.UUID     `json:"order_id"`
	UserID     uuid.UUID     `json:"user_id"`
	Status     string        `json:"status"`
	TotalCents int64         `json:"total_cents"`
	Currency   string        `json:"currency"`
	CreatedAt  time.Time     `json:"created_at"`
	Items      []OrderLineV1 `json:"items"`
}

// OrderCancelledV1 is the OrderCancelled payload, with the lines whose stock was returned.
type OrderCancelledV1 struct {
	OrderID     uuid.UUID     `json:"order_id"`
	UserID      uuid.UUID     `json:"user_id"`
	FromStatus  string        `json:"from_status"`
	TotalCents  int64         `json:"total_cents"`
	Currency    string        `json:"currency"`
	CancelledAt time.Time     `json:"cancelled_at"`
	Items       []OrderLineV1 `json:"items"`
}

// OrderStatusChangedV1 is the OrderStatusChanged payload: a move along the life cycle other
// than a cancellation.
type OrderStatusChangedV1 struct {
	OrderID    uuid.UUID `json:"order_id"`
	UserID     uuid.UUID `json:"user_id"`
	FromStatus string    `json:"from_status"`
	ToStatus   string    `json:"to_status"`
	ChangedAt  time.Time `json:"changed_at"`
}

// ProductV1 is the whole product as ProductCreated and ProductUpdated carry it.
type ProductV1 struct {
	ProductID   uuid.UUID `json:"product_id"`
	SKU         string    `json:"sku"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Category    string    `json:"category"`
	PriceCents  int64     `json:"price_cents"`
	Currency    string    `json:"currency"`
	Stock       int32     `json:"stock"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// ProductCreatedV1 is the ProductCreated payload: the new product.
type ProductCreatedV1 ProductV1

// ProductUpdatedV1 is the ProductUpdated payload: the product after the change.
type ProductUpdatedV1 ProductV1

// ProductDeletedV1 is the ProductDeleted payload.
type ProductDeletedV1 struct {
	ProductID uuid.UUID `json:"product_id"`
	SKU       string    `json:"sku"`
}

// UserRegisteredV1 is the UserRegistered payload. It never holds the password hash.
type UserRegisteredV1 struct {
	UserID uuid.UUID `json:"user_id"`
	Email  string    `json:"email"`
	Name   string    `json:"name"`
	Role   string    `json:"role"`
}

// UserRoleChangedV1 is the UserRoleChanged payload: the user's new role.
type UserRoleChangedV1 struct {
	UserID uuid.UUID `json:"user_id"`
	Role   string    `json:"role"`
}

// EventType implements Payload.
func (OrderPlacedV1) EventType() string { return OrderPlaced }

// Version implements Payload.
func (OrderPlacedV1) Version() int32 { return 1 }

// Aggregate implements Payload.
func (p OrderPlacedV1) Aggregate() (string, uuid.UUID) { return AggregateOrder, p.OrderID }
func (OrderPlacedV1) payload()                         {}

// EventType implements Payload.
func (OrderCancelledV1) EventType() string { return OrderCancelled }

// Version implements Payload.
func (OrderCancelledV1) Version() int32 { return 1 }

// Aggregate implements Payload.
func (p OrderCancelledV1) Aggregate() (string, uuid.UUID) { return AggregateOrder, p.OrderID }
func (OrderCancelledV1) payload()                         {}

// EventType implements Payload.
func (OrderStatusChangedV1) EventType() string { return OrderStatusChanged }

// Version implements Payload.
func (OrderStatusChangedV1) Version() int32 { return 1 }

// Aggregate implements Payload.
func (p OrderStatusChangedV1) Aggregate() (string, uuid.UUID) { return AggregateOrder, p.OrderID }
func (OrderStatusChangedV1) payload()                         {}

// EventType implements Payload.
func (ProductCreatedV1) EventType() string { return ProductCreated }

// Version implements Payload.
func (ProductCreatedV1) Version() int32 { return 1 }

// Aggregate implements Payload.
func (p ProductCreatedV1) Aggregate() (string, uuid.UUID) { return AggregateProduct, p.ProductID }
func (ProductCreatedV1) payload()                         {}

// EventType implements Payload.
func (ProductUpdatedV1) EventType() string { return ProductUpdated }

// Version implements Payload.
func (ProductUpdatedV1) Version() int32 { return 1 }

// Aggregate implements Payload.
func (p ProductUpdatedV1) Aggregate() (string, uuid.UUID) { return AggregateProduct, p.ProductID }
func (ProductUpdatedV1) payload()                         {}

// EventType implements Payload.
func (ProductDeletedV1) EventType() string { return ProductDeleted }

// Version implements Payload.
func (ProductDeletedV1) Version() int32 { return 1 }

// Aggregate implements Payload.
func (p ProductDeletedV1) Aggregate() (string, uuid.UUID) { return AggregateProduct, p.ProductID }
func (ProductDeletedV1) payload()                         {}

// EventType implements Payload.
func (UserRegisteredV1) EventType() string { return UserRegistered }

// Version implements Payload.
func (UserRegisteredV1) Version() int32 { return 1 }

// Aggregate implements Payload.
func (p UserRegisteredV1) Aggregate() (string, uuid.UUID) { return AggregateUser, p.UserID }
func (UserRegisteredV1) payload()                         {}

// EventType implements Payload.
func (UserRoleChangedV1) EventType() string { return UserRoleChanged }

// Version implements Payload.
func (UserRoleChangedV1) Version() int32 { return 1 }

// Aggregate implements Payload.
func (p UserRoleChangedV1) Aggregate() (string, uuid.UUID) { return AggregateUser, p.UserID }
func (UserRoleChangedV1) payload()                         {}
