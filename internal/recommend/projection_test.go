package recommend_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/acme/orders/db/sqlc"
	"github.com/acme/orders/internal/recommend"
)

// TestCoPurchaseCountsLiveOrders: every order adds one to each pair of its products and to
// each product, and records what its customer bought; a cancellation takes all of it back,
// leaving no zero rows behind.
func TestCoPurchaseCountsLiveOrders(t *testing.T) {
	s := newShop()
	a, b := s.product(t, "Lamp", "Home Decor", 100), s.product(t, "Bulb", "Home Decor", 100)
	c, d := s.product(t, "Shade", "Home Decor", 100), s.product(t, "Hook", "Home Decor", 100)
	ada, bob, cy := s.customer(t), s.customer(t), s.customer(t)
	s.buy(t, ada, a, b, c)
	s.buy(t, bob, a, b)
	s.cancel(t, s.buy(t, cy, a, d))
	s.catchUp(t)
	pair := func(x, y interface{ String() string }) int64 {
		return count(t, "SELECT COALESCE(sum(orders), 0) FROM co_purchase WHERE product_id = $1::uuid AND other_id = $2::uuid", x.String(), y.String())
	}
	for _, want := range []struct {
		got, want int64
		what      string
	}{
		{pair(a.ID, b.ID), 2, "lamp with bulb"},
		{pair(b.ID, a.ID), 2, "bulb with lamp (both directions)"},
		{pair(a.ID, c.ID), 1, "lamp with shade"},
		{pair(b.ID, c.ID), 1, "bulb with shade"},
		{pair(a.ID, d.ID) + pair(d.ID, a.ID), 0, "lamp with hook (cancelled)"},
		{count(t, "SELECT orders FROM co_purchase_products WHERE product_id = $1", a.ID), 2, "orders with the lamp"},
		{count(t, "SELECT count(*) FROM co_purchase_products WHERE product_id = $1", d.ID), 0, "hook rows (cancelled)"},
		{count(t, "SELECT count(*) FROM co_purchase_user_items WHERE user_id = $1", ada), 3, "what ada bought"},
		{count(t, "SELECT count(*) FROM co_purchase_user_items WHERE user_id = $1", cy), 0, "what cy bought (cancelled)"},
		{count(t, "SELECT count(*) FROM co_purchase WHERE orders <= 0") + count(t, "SELECT count(*) FROM co_purchase_products WHERE orders <= 0"), 0, "zero rows"},
	} {
		if want.got != want.want {
			t.Errorf("%s: %d, want %d", want.what, want.got, want.want)
		}
	}
}

// TestCoPurchaseReplaysToTheSameRows: applying events already applied changes nothing, and a
// rebuild by replay gives the same rows whatever the batch size, cancellations included.
func TestCoPurchaseReplaysToTheSameRows(t *testing.T) {
	ctx := context.Background()
	s := newShop()
	a, b, c := s.product(t, "Pen", "Office", 100), s.product(t, "Ink", "Office", 100), s.product(t, "Pad", "Office", 100)
	ada, bob := s.customer(t), s.customer(t)
	for i := range 6 {
		if i%2 == 0 {
			s.buy(t, ada, a, b)
		} else {
			s.buy(t, ada, b, c)
		}
		o := s.buy(t, bob, a, b, c)
		if i%3 == 0 {
			s.cancel(t, o)
		}
	}
	s.catchUp(t)
	rows, want, err := s.runner.Checksum(ctx, recommend.ProjectionName)
	if err != nil || rows == 0 {
		t.Fatalf("%d rows (%v)", rows, err)
	}
	checkpoint := count(t, "SELECT position FROM projection_checkpoints WHERE name = 'co_purchase'")
	err = pgx.BeginFunc(ctx, testDB.Pool, func(tx pgx.Tx) error {
		q := sqlc.New(tx)
		if err := (recommend.CoPurchase{}).Apply(ctx, q, 0, checkpoint); err != nil {
			return err
		}
		return (recommend.CoPurchase{}).Apply(ctx, q, checkpoint/2, checkpoint-1)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, again, _ := s.runner.Checksum(ctx, recommend.ProjectionName); again != want {
		t.Fatalf("re-applying applied events changed the read model: %s, was %s", again, want)
	}
	for _, batch := range []int{1, 3, 1000} {
		if err := s.runner.Reset(ctx, recommend.ProjectionName); err != nil {
			t.Fatal(err)
		}
		for {
			p, err := s.runner.ApplyNext(ctx, recommend.ProjectionName, batch)
			if err != nil {
				t.Fatal(err)
			}
			if p.Lag() == 0 {
				break
			}
		}
		if rows2, got, _ := s.runner.Checksum(ctx, recommend.ProjectionName); got != want || rows2 != rows {
			t.Fatalf("replayed in batches of %d: %d rows %s, want %d rows %s", batch, rows2, got, rows, want)
		}
	}
}
