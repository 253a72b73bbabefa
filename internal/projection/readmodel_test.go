package projection_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/acme/orders/internal/projection"
)

// TestReplayIsDeterministic: building the read models in batches of 1, of 7 and of 10,000 gives
// identical tables, and emptying them and replaying gives them again.
func TestReplayIsDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("replays the log one event per transaction")
	}
	w := newWorld(t, 12, 6)
	w.activity(t, rand.New(rand.NewPCG(1, 2)), 120)
	drain(t, projection.NewPublisher(testDB.Pool))
	r := newRunner()
	catchUp(t, r, 10000)
	want := checksums(t, r)
	for _, batch := range []int{1, 7, 10000} {
		for _, name := range r.Names() {
			if err := r.Reset(context.Background(), name); err != nil {
				t.Fatal(err)
			}
		}
		if got := checksums(t, r); got["order_history"] == want["order_history"] {
			t.Fatal("reset left the read model as it was")
		}
		catchUp(t, r, batch)
		if got := checksums(t, r); got["order_history"] != want["order_history"] || got["product_sales"] != want["product_sales"] {
			t.Fatalf("batch %d: %v, want %v", batch, got, want)
		}
	}
	// The figures themselves agree with the write model.
	var mismatches int
	err := testDB.Pool.QueryRow(context.Background(), `
		SELECT count(*) FROM orders o FULL JOIN order_history h ON h.order_id = o.id
		WHERE h.order_id IS NULL OR o.id IS NULL OR h.status <> o.status OR h.total_cents <> o.total_cents`).Scan(&mismatches)
	if err != nil || mismatches != 0 {
		t.Fatalf("order_history differs from orders in %d rows (%v)", mismatches, err)
	}
	err = testDB.Pool.QueryRow(context.Background(), `
		WITH truth AS (SELECT i.product_id, sum(i.quantity) AS units, sum(i.quantity * i.unit_price_cents) AS revenue, count(DISTINCT o.user_id) AS buyers
		               FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.status <> 'cancelled' GROUP BY 1)
		SELECT count(*) FROM truth t FULL JOIN product_sales s ON s.product_id = t.product_id
		WHERE COALESCE(t.units, 0) <> COALESCE(s.units_sold, 0) OR COALESCE(t.revenue, 0) <> COALESCE(s.revenue_cents, 0)
		   OR COALESCE(t.buyers, 0) <> COALESCE(s.distinct_buyers, 0)`).Scan(&mismatches)
	if err != nil || mismatches != 0 {
		t.Fatalf("product_sales differs from the orders in %d products (%v)", mismatches, err)
	}
}

// TestDuplicateDeliveryChangesNothing: appliers running the same batches at the same time, and
// running again after they committed (a retried activity), apply each event once.
func TestDuplicateDeliveryChangesNothing(t *testing.T) {
	w := newWorld(t, 8, 4)
	w.activity(t, rand.New(rand.NewPCG(3, 4)), 80)
	drain(t, projection.NewPublisher(testDB.Pool))
	r := newRunner()
	catchUp(t, r, 10000)
	want := checksums(t, r)
	for _, name := range r.Names() {
		if err := r.Reset(context.Background(), name); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, name := range r.Names() {
				for {
					p, err := r.ApplyNext(context.Background(), name, 9)
					if err != nil {
						t.Error(err)
						return
					}
					if p.Lag() == 0 {
						break
					}
				}
			}
		}()
	}
	wg.Wait()
	catchUp(t, r, 9) // a retry after everything committed
	if got := checksums(t, r); got["order_history"] != want["order_history"] || got["product_sales"] != want["product_sales"] {
		t.Fatalf("after duplicate delivery: %v, want %v", got, want)
	}
}

// TestPoisonEventIsParkedAndRedriven: an event the projection cannot apply is retried, then
// parked with its error while the projection goes on; after the cause is fixed a re-drive
// applies it.
func TestPoisonEventIsParkedAndRedriven(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, 3, 2)
	pub := projection.NewPublisher(testDB.Pool)
	r := newRunner()
	w.activity(t, rand.New(rand.NewPCG(5, 6)), 5)
	drain(t, pub)
	catchUp(t, r, 100)

	good := `{"order_id":"0195f0c4-0000-7000-8000-00000000abcd","user_id":"` + w.users[0].String() + `","status":"placed","total_cents":500,"currency":"USD","created_at":"2026-01-02T03:04:05Z","items":[{"product_id":"` + w.products[0].ID.String() + `","sku":"X","name":"Item 0","quantity":5,"unit_price_cents":100}]}`
	bad := `{"order_id":"0195f0c4-0000-7000-8000-00000000abcd","user_id":"` + w.users[0].String() + `","status":"placed","total_cents":"a lot","currency":"USD","created_at":"2026-01-02T03:04:05Z","items":[]}`
	if _, err := testDB.Pool.Exec(ctx, `INSERT INTO outbox (event_id, type, aggregate_type, aggregate_id, payload) VALUES (gen_random_uuid(), 'OrderPlaced', 'order', '0195f0c4-0000-7000-8000-00000000abcd', $1)`, bad); err != nil {
		t.Fatal(err)
	}
	w.activity(t, rand.New(rand.NewPCG(7, 8)), 5) // events after the poison
	last := drain(t, pub)
	var poisonPos int64
	_ = testDB.Pool.QueryRow(ctx, "SELECT position FROM outbox WHERE aggregate_id = '0195f0c4-0000-7000-8000-00000000abcd'").Scan(&poisonPos)

	r.MaxAttempts = 3
	for attempt := 1; attempt <= 2; attempt++ {
		p, err := r.ApplyNext(ctx, "order_history", 1000)
		var poison *projection.PoisonError
		if !errors.As(err, &poison) || poison.Position != poisonPos || poison.Attempts != attempt {
			t.Fatalf("attempt %d: %v", attempt, err)
		}
		if p.Checkpoint != poisonPos-1 {
			t.Fatalf("checkpoint %d, want %d (everything before the poison applied)", p.Checkpoint, poisonPos-1)
		}
	}
	p, err := r.ApplyNext(ctx, "order_history", 1000)
	if err != nil || p.Parked != 1 || p.Checkpoint != last {
		t.Fatalf("third attempt: %+v, %v; want parked and caught up to %d", p, err, last)
	}
	parked, err := r.ListParked(ctx, "order_history", false)
	if err != nil || len(parked) != 1 || parked[0].Position != poisonPos || parked[0].Attempts != 3 || parked[0].Error == "" {
		t.Fatalf("parked = %+v, %v", parked, err)
	}
	// product_sales applies the same event without trouble (it reads only the lines).
	if p, err := r.ApplyNext(ctx, "product_sales", 1000); err != nil || p.Parked != 0 {
		t.Fatalf("product_sales: %+v, %v", p, err)
	}
	if err := r.Redrive(ctx, "order_history", poisonPos); !errors.Is(err, projection.ErrRedriveFailed) {
		t.Fatalf("re-drive before the fix: %v", err)
	}
	if _, err := testDB.Pool.Exec(ctx, "UPDATE outbox SET payload = $1 WHERE position = $2", good, poisonPos); err != nil {
		t.Fatal(err)
	}
	if err := r.Redrive(ctx, "order_history", poisonPos); err != nil {
		t.Fatalf("re-drive after the fix: %v", err)
	}
	var total int64
	if err := testDB.Pool.QueryRow(ctx, "SELECT total_cents FROM order_history WHERE order_id = '0195f0c4-0000-7000-8000-00000000abcd'").Scan(&total); err != nil || total != 500 {
		t.Fatalf("re-driven order: total %d, %v", total, err)
	}
	if open, _ := r.ListParked(ctx, "order_history", false); len(open) != 0 {
		t.Fatalf("still parked: %+v", open)
	}
	if err := r.Redrive(ctx, "order_history", poisonPos); !errors.Is(err, projection.ErrNotParked) {
		t.Fatalf("second re-drive: %v", err)
	}
}
