package main

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/acme/orders/internal/ai/glove"
	"github.com/acme/orders/internal/projection"
	"github.com/acme/orders/internal/readmodel"
	"github.com/acme/orders/internal/recommend"
	"github.com/acme/orders/internal/search"
)

// catchUp publishes every pending outbox row and applies every read model up to the last
// position, the way the worker does, so the suites see the whole seeded catalogue.
func catchUp(ctx context.Context, pool *pgxpool.Pool) error {
	words, err := glove.Default()
	if err != nil {
		return err
	}
	if err := projection.NewPublisher(pool).PublishAll(ctx, 20000); err != nil {
		return err
	}
	runner := projection.NewRunner(pool, readmodel.OrderHistory{}, readmodel.ProductSales{}, search.Index{Embedder: search.WordVectors{M: words}},
		recommend.CoPurchase{})
	return runner.ApplyAll(ctx, "", 20000)
}
