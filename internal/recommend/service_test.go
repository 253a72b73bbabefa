package recommend_test

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/fault"
	"github.com/acme/orders/internal/recommend"
)

// contentIndex is a ContentIndex with fixed neighbours.
type contentIndex map[uuid.UUID]map[uuid.UUID]float32

func (c contentIndex) Related(_ context.Context, id uuid.UUID, k int) (map[uuid.UUID]float32, error) {
	return c[id], nil
}

func names(items []recommend.Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Product.Name
	}
	return out
}

// Similar products: a product's bought-together partners first, then look-alikes; an unknown
// or deleted product is a 404; a deleted partner disappears.
func TestSimilar(t *testing.T) {
	ctx := context.Background()
	s := newShop()
	oven, spatula, board := s.product(t, "Dutch Oven", "Kitchen", 50), s.product(t, "Spatula Set", "Kitchen", 50), s.product(t, "Cutting Board", "Kitchen", 50)
	twin := s.product(t, "Another Dutch Oven", "Kitchen", 50)
	for range 3 {
		s.buy(t, s.customer(t), oven, spatula)
	}
	s.buy(t, s.customer(t), oven, board)
	s.catchUp(t)
	svc := recommend.NewService(recommend.NewPostgresStore(testDB.Pool), contentIndex{oven.ID: {twin.ID: 0.96, spatula.ID: 0.7}})

	items, err := svc.Similar(ctx, oven.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(items); !slices.Equal(got, []string{"Spatula Set", "Another Dutch Oven", "Cutting Board"}) {
		t.Fatalf("similar to the oven: %q", got)
	}
	if items[0].Reason != "often bought together with Dutch Oven" || items[1].Reason != "similar to Dutch Oven" || items[0].Score <= items[1].Score {
		t.Fatalf("items: %+v", items)
	}
	if items, _ := svc.Similar(ctx, oven.ID, 1); len(items) != 1 {
		t.Fatalf("limit 1 gave %d items", len(items))
	}

	if err := s.cat.Delete(ctx, spatula.ID); err != nil {
		t.Fatal(err)
	}
	items, err = svc.Similar(ctx, oven.ID, 10)
	if err != nil || slices.Contains(names(items), "Spatula Set") {
		t.Fatalf("a deleted partner is still suggested: %q (%v)", names(items), err)
	}
	for _, id := range []uuid.UUID{uuid.New(), spatula.ID} {
		if _, err := svc.Similar(ctx, id, 10); !errors.Is(err, recommend.ErrProductNotFound) || fault.KindOf(err) != fault.NotFound {
			t.Errorf("similar to %v: %v, want not found", id, err)
		}
	}
	for _, limit := range []int{0, 101} {
		if _, err := svc.Similar(ctx, oven.ID, limit); fault.KindOf(err) != fault.BadRequest {
			t.Errorf("limit %d: %v, want a bad query", limit, err)
		}
	}
}

// A customer's recommendations: what goes with their purchases, never what they bought or
// what is out of stock; the caller of a customer with no orders gets what is popular.
func TestFor(t *testing.T) {
	ctx := context.Background()
	s := newShop()
	tent, bag, lamp := s.product(t, "Tent", "Outdoors", 50), s.product(t, "Sleeping Bag", "Outdoors", 50), s.product(t, "Headlamp", "Outdoors", 50)
	stove := s.product(t, "Camping Stove", "Outdoors", 1)
	hit := s.product(t, "Best Seller", "Grocery", 500)
	for range 2 {
		s.buy(t, s.customer(t), tent, bag, lamp)
	}
	for range 15 { // more orders than any other product of this package's tests
		s.buy(t, s.customer(t), hit)
	}
	s.buy(t, s.customer(t), tent, stove) // the last stove
	ada := s.customer(t)
	s.buy(t, ada, tent)
	s.catchUp(t)
	svc := recommend.NewService(recommend.NewPostgresStore(testDB.Pool), nil)

	before := time.Now()
	rec, err := svc.For(ctx, ada, 5)
	if err != nil {
		t.Fatal(err)
	}
	got := names(rec.Items)
	if len(got) < 2 || !slices.Contains(got[:2], "Sleeping Bag") || !slices.Contains(got[:2], "Headlamp") {
		t.Fatalf("for a tent buyer: %q", got)
	}
	if slices.Contains(got, "Tent") || slices.Contains(got, "Camping Stove") {
		t.Fatalf("suggests what was bought or is out of stock: %q", got)
	}
	if rec.Source != "local" || rec.Provider != "local" || rec.GeneratedAt.Before(before.Add(-time.Second)) || !strings.HasPrefix(rec.Items[0].Reason, "often bought together with Tent") {
		t.Fatalf("recommendations %+v", rec)
	}

	newcomer := s.customer(t)
	rec, err = svc.For(ctx, newcomer, 3)
	if err != nil || len(rec.Items) == 0 || rec.Items[0].Product.ID != hit.ID || rec.Items[0].Reason != "popular with other shoppers" {
		t.Fatalf("cold start: %+v (%v)", rec, err)
	}

	cands, err := svc.Candidates(ctx, ada, 50)
	if err != nil || len(cands) < 3 || !slices.IsSortedFunc(cands, func(a, b recommend.Item) int {
		return cmp.Compare(b.Score, a.Score)
	}) {
		t.Fatalf("candidates: %+v (%v)", cands, err)
	}
	pending, err := svc.Pending(ctx, ada, 50, 10)
	bought := pending.Recent
	if err != nil || len(bought) != 1 || bought[0].ProductID != tent.ID || bought[0].Name != "Tent" || bought[0].Category != "Outdoors" {
		t.Fatalf("purchases: %+v (%v)", bought, err)
	}
	if !slices.EqualFunc(pending.Candidates, cands, func(a, b recommend.Item) bool { return a.Product.ID == b.Product.ID }) {
		t.Fatalf("pending candidates %v differ from Candidates %v", names(pending.Candidates), names(cands))
	}
	for _, err := range []error{
		func() error { _, err := svc.For(ctx, ada, 0); return err }(),
		func() error { _, err := svc.Candidates(ctx, ada, recommend.MaxCandidates+1); return err }(),
		func() error { _, err := svc.Pending(ctx, ada, 10, 0); return err }(),
		func() error { _, err := svc.Pending(ctx, ada, 0, 10); return err }(),
	} {
		if fault.KindOf(err) != fault.BadRequest {
			t.Errorf("a bad size gave %v", err)
		}
	}
}
