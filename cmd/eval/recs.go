package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/ai/glove"
	"github.com/acme/orders/internal/events"
	"github.com/acme/orders/internal/readmodel"
	"github.com/acme/orders/internal/recommend"
	"github.com/acme/orders/internal/search"
)

// The recs suite: leave-last-out over the demo orders. For each customer with at least two
// live orders, their latest order is held out and everything else is the training set; the
// recommender (recommend.Service, the very code the API runs) reads counts computed from the
// training orders only, through trainingStore, and suggests 10 products; so does a popularity
// baseline (the most ordered products of the training set that the customer has not bought).
// HR@10 is the share of customers with at least one held-out product among the 10; nDCG@10
// credits a hit at rank r with 1/log2(r+1), relative to the best possible ranking.
func init() { register(suite{name: "recs", run: runRecs}) }

const recsK = 10

// order is a live order of the demo data.
type order struct {
	id       uuid.UUID
	user     uuid.UUID
	at       time.Time
	products []uuid.UUID
}

func runRecs(ctx context.Context, e *env) (string, bool, error) {
	orders, err := liveOrders(ctx, e)
	if err != nil {
		return "", false, err
	}
	words, err := glove.Default()
	if err != nil {
		return "", false, err
	}
	content := search.NewService(search.NewPostgresStore(e.Pool), search.WordVectors{M: words})
	catalogue := recommend.NewPostgresStore(e.Pool)
	byUser := map[uuid.UUID][]order{}
	for _, o := range orders {
		byUser[o.user] = append(byUser[o.user], o)
	}
	users := slices.SortedFunc(maps.Keys(byUser), byID)

	var ours, popular metrics
	for _, u := range users {
		mine := byUser[u]
		if len(mine) < 2 {
			continue
		}
		held := slices.MaxFunc(mine, func(a, b order) int { return cmp.Or(a.at.Compare(b.at), byID(a.id, b.id)) })
		training := slices.DeleteFunc(slices.Clone(orders), func(o order) bool { return o.id == held.id })
		store, err := newTrainingStore(ctx, catalogue, training)
		if err != nil {
			return "", false, err
		}
		items, err := recommend.NewService(store, content).Candidates(ctx, u, recsK)
		if err != nil {
			return "", false, err
		}
		got := make([]uuid.UUID, len(items))
		for i, it := range items {
			got[i] = it.Product.ID
		}
		ours.add(got, held.products)
		popular.add(store.mostOrdered(u, recsK), held.products)
	}
	report := fmt.Sprintf("Recommendations, leave-last-out over the demo orders (%d live orders; the latest order of each customer with two or more is held out):\n\n", len(orders)) +
		"| method | HR@10 | nDCG@10 | customers evaluated |\n|---|---|---|---|\n" +
		ours.row("ours (bought together + content + popular in their categories)") +
		popular.row("popularity (most ordered overall, not yet bought)")
	ok := ours.customers > 0 && ours.hr() > popular.hr() && ours.ndcg() > popular.ndcg()
	return report, ok, nil
}

// liveOrders reads every order that was not cancelled from the order-history read model.
func liveOrders(ctx context.Context, e *env) ([]order, error) {
	reader := readmodel.NewHistoryReader(e.Pool)
	var out []order
	for cursor := ""; ; {
		page, next, _, err := reader.List(ctx, readmodel.HistoryFilter{Cursor: cursor, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, h := range page {
			if h.Status == "cancelled" {
				continue
			}
			var lines []events.OrderLineV1
			if err := json.Unmarshal(h.Items, &lines); err != nil {
				return nil, fmt.Errorf("order %s: %w", h.OrderID, err)
			}
			o := order{id: h.OrderID, user: h.UserID, at: h.CreatedAt}
			for _, l := range lines {
				o.products = append(o.products, l.ProductID)
			}
			out = append(out, o)
		}
		if next == "" {
			return out, nil
		}
		cursor = next
	}
}

// metrics accumulates HR@K and nDCG@K over customers.
type metrics struct {
	customers  int
	hits, gain float64
}

func (m *metrics) add(got, want []uuid.UUID) {
	m.customers++
	var dcg, ideal float64
	for i := range min(len(want), recsK) {
		ideal += 1 / math.Log2(float64(i+2))
	}
	hit := false
	for i, id := range got[:min(len(got), recsK)] {
		if slices.Contains(want, id) {
			hit = true
			dcg += 1 / math.Log2(float64(i+2))
		}
	}
	if hit {
		m.hits++
	}
	if ideal > 0 {
		m.gain += dcg / ideal
	}
}

func (m metrics) hr() float64 { return m.hits / float64(max(1, m.customers)) }

func (m metrics) ndcg() float64 { return m.gain / float64(max(1, m.customers)) }

func (m metrics) row(method string) string {
	return fmt.Sprintf("| %s | %.3f | %.3f | %d |\n", method, m.hr(), m.ndcg(), m.customers)
}
