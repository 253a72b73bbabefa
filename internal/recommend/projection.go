package recommend

import (
	"context"

	"github.com/acme/orders/db/sqlc"
)

// ProjectionName is the co-purchase read model's checkpoint name.
const ProjectionName = "co_purchase"

// CoPurchase is the co_purchase projection, the recommender's inputs from the order events:
// for every two products, how many live orders held both; per product, how many live orders
// held it; and per customer, the products of each of their live orders. OrderPlaced adds,
// OrderCancelled takes back (see db/queries/recommend.sql). Rebuildable by replay like the
// other read models.
type CoPurchase struct{}

// Name implements projection.Projection.
func (CoPurchase) Name() string { return ProjectionName }

// Background implements projection.Background: recommendations may follow orders a moment
// behind; no one waits for them after checking out.
func (CoPurchase) Background() bool { return true }

// Apply implements projection.Projection: the counts and purchases in one statement, then the
// counts that cancellations brought to zero are removed.
func (CoPurchase) Apply(ctx context.Context, q *sqlc.Queries, after, upto int64) error {
	if err := q.CoPurchaseApply(ctx, sqlc.CoPurchaseApplyParams{After: after, Upto: upto}); err != nil {
		return err
	}
	return q.CoPurchasePrune(ctx)
}

// Truncate implements projection.Projection.
func (CoPurchase) Truncate(ctx context.Context, q *sqlc.Queries) error {
	return q.CoPurchaseTruncate(ctx)
}

// Checksum implements projection.Projection.
func (CoPurchase) Checksum(ctx context.Context, q *sqlc.Queries) (int64, string, error) {
	r, err := q.CoPurchaseChecksum(ctx)
	return r.Rows, r.Checksum, err
}
