// Package readmodel holds the read models built from the event log: each customer's order
// history and the sales figures per product. Their appliers are set-based SQL over a range of
// positions (see db/queries/history.sql and sales.sql), deterministic, and safe to run again
// over events already applied; the readers serve the API. Nothing authoritative is ever read
// from here.
package readmodel

import (
	"context"

	"github.com/acme/orders/db/sqlc"
)

// OrderHistory is the order_history projection.
type OrderHistory struct{}

// Name implements projection.Projection.
func (OrderHistory) Name() string { return "order_history" }

// Apply implements projection.Projection: new orders first, then each order's latest status.
func (OrderHistory) Apply(ctx context.Context, q *sqlc.Queries, after, upto int64) error {
	if err := q.HistoryApplyPlaced(ctx, sqlc.HistoryApplyPlacedParams{After: after, Upto: upto}); err != nil {
		return err
	}
	return q.HistoryApplyStatus(ctx, sqlc.HistoryApplyStatusParams{After: after, Upto: upto})
}

// Truncate implements projection.Projection.
func (OrderHistory) Truncate(ctx context.Context, q *sqlc.Queries) error {
	return q.HistoryTruncate(ctx)
}

// Checksum implements projection.Projection.
func (OrderHistory) Checksum(ctx context.Context, q *sqlc.Queries) (int64, string, error) {
	r, err := q.HistoryChecksum(ctx)
	return r.Rows, r.Checksum, err
}

// ProductSales is the product_sales projection: units, revenue, orders and distinct buyers per
// product, net of cancellations.
type ProductSales struct{}

// Name implements projection.Projection.
func (ProductSales) Name() string { return "product_sales" }

// Background implements projection.Background: sales figures feed popularity and
// recommendations, which no customer waits for after placing an order.
func (ProductSales) Background() bool { return true }

// Apply implements projection.Projection, in one statement.
func (ProductSales) Apply(ctx context.Context, q *sqlc.Queries, after, upto int64) error {
	return q.SalesApply(ctx, sqlc.SalesApplyParams{After: after, Upto: upto})
}

// Truncate implements projection.Projection.
func (ProductSales) Truncate(ctx context.Context, q *sqlc.Queries) error { return q.SalesTruncate(ctx) }

// Checksum implements projection.Projection.
func (ProductSales) Checksum(ctx context.Context, q *sqlc.Queries) (int64, string, error) {
	r, err := q.SalesChecksum(ctx)
	return r.Rows, r.Checksum, err
}
