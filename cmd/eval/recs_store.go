package main

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/recommend"
)

// trainingStore is recommend.Store over a training set of orders: the counts, purchases and
// popularity the co_purchase read model would hold had only those orders been placed,
// computed in memory, sorted as its queries sort them. Product details come from the
// catalogue. Stock at training time is not known, so every product counts as in stock.
type trainingStore struct {
	catalogue *recommend.PostgresStore
	details   map[uuid.UUID]recommend.Product // every ordered product
	orders    map[uuid.UUID]int64             // orders that held each product
	pairs     map[uuid.UUID]map[uuid.UUID]int64
	byUser    map[uuid.UUID][]order
}

func newTrainingStore(ctx context.Context, catalogue *recommend.PostgresStore, training []order) (*trainingStore, error) {
	s := &trainingStore{catalogue: catalogue, orders: map[uuid.UUID]int64{}, pairs: map[uuid.UUID]map[uuid.UUID]int64{},
		byUser: map[uuid.UUID][]order{}}
	for _, o := range training {
		s.byUser[o.user] = append(s.byUser[o.user], o)
		for _, p := range o.products {
			s.orders[p]++
			for _, q := range o.products {
				if q != p {
					if s.pairs[p] == nil {
						s.pairs[p] = map[uuid.UUID]int64{}
					}
					s.pairs[p][q]++
				}
			}
		}
	}
	ids := make([]uuid.UUID, 0, len(s.orders))
	for id := range s.orders {
		ids = append(ids, id)
	}
	var err error
	s.details, err = catalogue.Products(ctx, ids, recommend.Filter{})
	return s, err
}

func byID(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) }

// ranked lists ids by their order counts, most first, then by ID, as the read model's queries do.
func (s *trainingStore) ranked(ids []uuid.UUID) []uuid.UUID {
	return slices.SortedFunc(slices.Values(ids), func(a, b uuid.UUID) int { return cmp.Or(cmp.Compare(s.orders[b], s.orders[a]), byID(a, b)) })
}

// boughtBy is every product in user's training orders.
func (s *trainingStore) boughtBy(user uuid.UUID) map[uuid.UUID]bool {
	out := map[uuid.UUID]bool{}
	for _, o := range s.byUser[user] {
		for _, p := range o.products {
			out[p] = true
		}
	}
	return out
}

// mostOrdered is the popularity baseline: the k most ordered products the user has not bought.
func (s *trainingStore) mostOrdered(user uuid.UUID, k int) []uuid.UUID {
	bought := s.boughtBy(user)
	var out []uuid.UUID
	for _, id := range s.ranked(keys(s.orders)) {
		if !bought[id] && len(out) < k {
			out = append(out, id)
		}
	}
	return out
}

// Product implements recommend.Store.
func (s *trainingStore) Product(ctx context.Context, id uuid.UUID) (recommend.Product, error) {
	return s.catalogue.Product(ctx, id)
}

// Products implements recommend.Store; what a customer bought is what their training orders hold.
func (s *trainingStore) Products(ctx context.Context, ids []uuid.UUID, f recommend.Filter) (map[uuid.UUID]recommend.Product, error) {
	out, err := s.catalogue.Products(ctx, ids, recommend.Filter{})
	if err != nil || f.NotBoughtBy == nil {
		return out, err
	}
	for id := range s.boughtBy(*f.NotBoughtBy) {
		delete(out, id)
	}
	return out, nil
}

// Partners implements recommend.Store.
func (s *trainingStore) Partners(_ context.Context, ids []uuid.UUID, per int) (map[uuid.UUID][]recommend.Partner, map[uuid.UUID]int64, error) {
	partners, orders := map[uuid.UUID][]recommend.Partner{}, map[uuid.UUID]int64{}
	for _, id := range ids {
		if s.orders[id] == 0 {
			continue
		}
		orders[id] = s.orders[id]
		with := s.pairs[id]
		others := slices.SortedFunc(slices.Values(keys(with)), func(a, b uuid.UUID) int { return cmp.Or(cmp.Compare(with[b], with[a]), byID(a, b)) })
		for _, o := range others[:min(per, len(others))] {
			partners[id] = append(partners[id], recommend.Partner{ID: o, Together: with[o], Orders: s.orders[o]})
		}
	}
	return partners, orders, nil
}

// Purchases implements recommend.Store.
func (s *trainingStore) Purchases(_ context.Context, user uuid.UUID, max int) ([]recommend.Purchase, error) {
	byProduct := map[uuid.UUID]*recommend.Purchase{}
	for _, o := range s.byUser[user] {
		for _, p := range o.products {
			b := byProduct[p]
			if b == nil {
				d := s.details[p]
				b = &recommend.Purchase{ProductID: p, Name: d.Name, Category: d.Category}
				byProduct[p] = b
			}
			b.Orders++
			if o.at.After(b.LastAt) {
				b.LastAt = o.at
			}
		}
	}
	out := make([]recommend.Purchase, 0, len(byProduct))
	for _, b := range byProduct {
		out = append(out, *b)
	}
	slices.SortFunc(out, func(a, b recommend.Purchase) int {
		return cmp.Or(b.LastAt.Compare(a.LastAt), byID(a.ProductID, b.ProductID))
	})
	return out[:min(max, len(out))], nil
}

// Popular implements recommend.Store.
func (s *trainingStore) Popular(_ context.Context, categories []string, per int) ([]recommend.Popular, error) {
	taken := map[string]int{}
	var out []recommend.Popular
	for _, id := range s.ranked(keys(s.orders)) {
		cat := s.details[id].Category
		group := ""
		if len(categories) > 0 {
			if !slices.Contains(categories, cat) {
				continue
			}
			group = cat
		}
		if taken[group] < per {
			taken[group]++
			out = append(out, recommend.Popular{ID: id, Category: cat, Orders: s.orders[id]})
		}
	}
	return out, nil
}

func keys[V any](m map[uuid.UUID]V) []uuid.UUID {
	out := make([]uuid.UUID, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

var _ recommend.Store = (*trainingStore)(nil)
