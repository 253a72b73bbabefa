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
	pub := projection.NewPublisher(pool)
	for {
		round, err := pub.Publish(ctx, 20000)
		if err != nil {
			return err
		}
		if round.Published == 0 && round.HeldBack == 0 {
			break
		}
	}
	runner := projection.NewRunner(pool, readmodel.OrderHistory{}, readmodel.ProductSales{}, search.Index{Embedder: search.WordVectors{M: words}},
		recommend.CoPurchase{})
	for _, name := range runner.Names() {
		for {
			p, err := runner.ApplyNext(ctx, name, 20000)
			if err != nil {
				return err
			}
			if p.Lag() == 0 {
				break
			}
		}
	}
	return nil
}
