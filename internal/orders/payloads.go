package orders

import "github.com/acme/orders/internal/events"

// The event payloads the orders service writes.

func itemsPayload(items []Item) []events.OrderLineV1 {
	out := make([]events.OrderLineV1, len(items))
	for i, it := range items {
		out[i] = events.OrderLineV1{ProductID: it.ProductID, SKU: it.SKU, Name: it.Name, Quantity: it.Quantity, UnitPriceCents: it.UnitPriceCents}
	}
	return out
}

// placedPayload is the OrderPlaced event body: the whole order with its lines.
func placedPayload(o Order) events.OrderPlacedV1 {
	return events.OrderPlacedV1{OrderID: o.ID, UserID: o.UserID, Status: string(o.Status), TotalCents: o.TotalCents,
		Currency: o.Currency, CreatedAt: o.CreatedAt, Items: itemsPayload(o.Items)}
}

// cancelledPayload is the OrderCancelled event body, with the lines whose stock was returned.
func cancelledPayload(o Order, from Status) events.OrderCancelledV1 {
	return events.OrderCancelledV1{OrderID: o.ID, UserID: o.UserID, FromStatus: string(from), TotalCents: o.TotalCents,
		Currency: o.Currency, CancelledAt: o.UpdatedAt, Items: itemsPayload(o.Items)}
}

// statusChangedPayload is the OrderStatusChanged event body: o after the move from `from`.
func statusChangedPayload(o Order, from Status) events.OrderStatusChangedV1 {
	return events.OrderStatusChangedV1{OrderID: o.ID, UserID: o.UserID, FromStatus: string(from), ToStatus: string(o.Status), ChangedAt: o.UpdatedAt}
}
