package readmodel_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	"github.com/acme/orders/db/sqlc"
	"github.com/acme/orders/internal/orders"
	"github.com/acme/orders/internal/platform/cache"
	"github.com/acme/orders/internal/projection"
	"github.com/acme/orders/internal/readmodel"
)

func newResponses(t *testing.T) *cache.Responses {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	t.Cleanup(func() { _ = rdb.Close() })
	return cache.NewResponses(rdb, time.Minute)
}

// lastPublished is the last position the publisher handed out.
func lastPublished(t *testing.T) int64 {
	t.Helper()
	var pos int64
	if err := testDB.Pool.QueryRow(context.Background(), "SELECT last_position FROM outbox_publisher").Scan(&pos); err != nil {
		t.Fatal(err)
	}
	return pos
}

// TestReapplyingAppliedEventsChangesNothing: running each projection's applier again over
// ranges it has already applied (all of them, and a part in the middle), as a duplicate
// delivery or a confused operator would, leaves its tables exactly as they were.
func TestReapplyingAppliedEventsChangesNothing(t *testing.T) {
	ctx := context.Background()
	s := newShop()
	a, b := s.product(t, "Lamp", 4500), s.product(t, "Bulb", 300)
	ada, bob := s.customer(t), s.customer(t)
	for i := range 6 {
		lines := []orders.Line{{ProductID: a.ID, Quantity: 1}, {ProductID: b.ID, Quantity: int32(1 + i)}}
		s.place(t, ada, lines[i%2:]...)
		p := s.place(t, bob, orders.Line{ProductID: b.ID, Quantity: 2})
		var err error
		switch i % 3 {
		case 0:
			_, err = s.orders.Cancel(ctx, staff, p.ID)
		case 1:
			_, err = s.orders.SetStatus(ctx, staff, p.ID, orders.Paid)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	catchUp(t)
	r := runner()
	projections := []projection.Projection{readmodel.OrderHistory{}, readmodel.ProductSales{}}
	for _, p := range projections {
		rows, before, err := r.Checksum(ctx, p.Name())
		if err != nil || rows == 0 {
			t.Fatalf("%s: %d rows (%v)", p.Name(), rows, err)
		}
		var checkpoint int64
		if err := testDB.Pool.QueryRow(ctx, "SELECT position FROM projection_checkpoints WHERE name = $1", p.Name()).Scan(&checkpoint); err != nil {
			t.Fatal(err)
		}
		err = pgx.BeginFunc(ctx, testDB.Pool, func(tx pgx.Tx) error {
			q := sqlc.New(tx)
			if err := p.Apply(ctx, q, 0, checkpoint); err != nil {
				return err
			}
			return p.Apply(ctx, q, checkpoint/2, checkpoint-1)
		})
		if err != nil {
			t.Fatalf("%s: re-applying: %v", p.Name(), err)
		}
		if rows2, after, err := r.Checksum(ctx, p.Name()); err != nil || rows2 != rows || after != before {
			t.Fatalf("%s changed when re-applied: %d rows %s, was %d rows %s (%v)", p.Name(), rows2, after, rows, before, err)
		}
		// And through the runner, a retried delivery finds nothing to do.
		if prog, err := r.ApplyNext(ctx, p.Name(), 1000); err != nil || prog.Applied != 0 || prog.Checkpoint != checkpoint {
			t.Fatalf("%s: applying again: %+v, %v", p.Name(), prog, err)
		}
	}
}
