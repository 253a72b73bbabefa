package search_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/catalog"
)

// Related finds the products alike in content: for a product, others of its kind first and
// never itself, at most k; nothing for a product the index does not hold.
func TestRelatedFindsProductsOfTheSameKind(t *testing.T) {
	w := setup(t)
	ctx := context.Background()
	byID := map[uuid.UUID]catalog.Product{}
	for _, p := range w.products {
		byID[p.ID] = p
	}
	for _, kind := range []string{"Tea Kettle", "Yoga Mat", "Headphones"} {
		var p catalog.Product
		for _, q := range w.products[20:] { // clear of the products other tests rename or delete
			if strings.Contains(q.Name, kind) {
				p = q
				break
			}
		}
		related, err := w.svc.Related(ctx, p.ID, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(related) != 5 {
			t.Fatalf("%s: %d related products, want 5", p.Name, len(related))
		}
		var best float32
		var bestID uuid.UUID
		for id, sim := range related {
			if id == p.ID || sim <= 0 || sim > 1.0001 {
				t.Fatalf("%s: related %v with similarity %v", p.Name, byID[id].Name, sim)
			}
			if sim > best {
				best, bestID = sim, id
			}
		}
		if !strings.Contains(byID[bestID].Name, kind) {
			t.Errorf("%s: the most alike is %q (%.2f), not another %s", p.Name, byID[bestID].Name, best, kind)
		}
	}
	if related, err := w.svc.Related(ctx, uuid.New(), 5); err != nil || len(related) != 0 {
		t.Fatalf("an unknown product has related %v (%v)", related, err)
	}
}
