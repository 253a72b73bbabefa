package main

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/acme/orders/internal/platform/postgres"
	"github.com/acme/orders/internal/projection"
	"github.com/acme/orders/internal/readmodel"
)

// backlogEvents appends n OrderPlaced events (one to three lines each, over the benchmark
// catalogue) straight into the outbox, unpublished, as a backlog left by an outage would be.
func backlogEvents(ctx context.Context, pool *pgxpool.Pool, n, products, users int) error {
	_, err := pool.Exec(ctx, `
		INSERT INTO outbox (event_id, type, aggregate_type, aggregate_id, payload, occurred_at)
		SELECT gen_random_uuid(), 'OrderPlaced', 'order', oid::text,
		       jsonb_build_object('order_id', oid, 'user_id', ('00000000-0000-7000-9000-' || lpad(to_hex(1 + g % $3), 12, '0'))::uuid,
		         'status', 'placed', 'total_cents', 1999 * (1 + g % 3), 'currency', 'USD', 'created_at', now(),
		         'items', (SELECT jsonb_agg(jsonb_build_object('product_id', ('00000000-0000-7000-8000-' || lpad(to_hex(1 + (g * 7 + k * 13) % $2), 12, '0'))::uuid,
		                     'sku', 'BENCH-' || k, 'name', 'Bench product ' || k, 'quantity', 1, 'unit_price_cents', 1999))
		                   FROM generate_series(1, 1 + g % 3) AS k)),
		       now()
		FROM (SELECT g, gen_random_uuid() AS oid FROM generate_series(1, $1::int) AS g) AS s`, n, products, users)
	return err
}

// drainBacklog publishes and projects everything pending the way the worker does it: the
// publisher and each projection in their own loop, at the same time. It returns the events per
// second from the start until the last projection has caught up with the last position.
func drainBacklog(ctx context.Context, pool *pgxpool.Pool, n, batch int) (float64, error) {
	pub := projection.NewPublisher(pool)
	runner := projection.NewRunner(pool, readmodel.OrderHistory{}, readmodel.ProductSales{})
	start := time.Now()
	var published atomic.Bool
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer published.Store(true)
		for {
			round, err := pub.Publish(gctx, batch)
			if err != nil {
				return err
			}
			if round.Published == 0 && round.HeldBack == 0 {
				return nil
			}
		}
	})
	for _, name := range runner.Names() {
		g.Go(func() error {
			for {
				done := published.Load() // read before applying: a lag of 0 after it means all is in
				p, err := runner.ApplyNext(gctx, name, batch)
				if err != nil {
					return err
				}
				if done && p.Lag() == 0 {
					return nil
				}
				if p.Applied == 0 {
					time.Sleep(time.Millisecond)
				}
			}
		})
	}
	if err := g.Wait(); err != nil {
		return 0, err
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// rebuild empties one read model and replays the log into it; it returns events per second.
func rebuild(ctx context.Context, pool *pgxpool.Pool, name string, batch int) (float64, int64, error) {
	runner := projection.NewRunner(pool, readmodel.OrderHistory{}, readmodel.ProductSales{})
	if err := runner.Reset(ctx, name); err != nil {
		return 0, 0, err
	}
	stats, err := projection.NewPublisher(pool).Stats(ctx)
	if err != nil {
		return 0, 0, err
	}
	start := time.Now()
	if err := runner.ApplyAll(ctx, name, batch); err != nil {
		return 0, 0, err
	}
	return float64(stats.LastPosition) / time.Since(start).Seconds(), stats.LastPosition, nil
}

// pipelinePhases runs the drain and rebuild measurements on the benchmark database.
func pipelinePhases(ctx context.Context, o options, dbURL string) error {
	pool, err := postgres.Open(ctx, dbURL, postgres.Options{MaxConns: 4})
	if err != nil {
		return err
	}
	defer pool.Close()
	// Whatever earlier phases left is published and projected first, so the drain measures the backlog alone.
	if _, err := drainBacklog(ctx, pool, 0, 10000); err != nil {
		return err
	}
	if err := backlogEvents(ctx, pool, o.backlog, o.products, o.users); err != nil {
		return fmt.Errorf("backlog: %w", err)
	}
	if _, err := pool.Exec(ctx, "VACUUM ANALYZE outbox"); err != nil {
		return err
	}
	rate, err := drainBacklog(ctx, pool, o.backlog, o.batch)
	if err != nil {
		return fmt.Errorf("drain: %w", err)
	}
	fmt.Printf("%-22s %8.0f events/s  (publisher and both projections concurrently, as in the worker; %d-event backlog, batches of %d; goal ≥ 20,000)\n", "drain backlog", rate, o.backlog, o.batch)
	for _, name := range []string{"order_history", "product_sales"} {
		rate, events, err := rebuild(ctx, pool, name, 20000)
		if err != nil {
			return fmt.Errorf("rebuild %s: %w", name, err)
		}
		fmt.Printf("%-22s %8.0f events/s  (truncate + replay of %d events, batches of 20,000; goal ≥ 50,000)\n", "rebuild "+name, rate, events)
	}
	return nil
}
