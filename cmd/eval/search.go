package main

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/ai/glove"
	"github.com/acme/orders/internal/catalog"
	"github.com/acme/orders/internal/search"
)

func init() { register(suite{name: "search", run: runSearchSuite}) }

// cutoff is the k of nDCG@k and recall@k: the first page a shopper sees.
const cutoff = 10

// methods are the rankings compared: each signal alone, then the fusion the API serves.
var methods = []string{search.SignalFullText, search.SignalTrigram, search.SignalEmbedding, "hybrid"}

// queryScore is one judged query's figures, per method.
type queryScore struct {
	q            judgedQuery
	ndcg, recall map[string]float64
}

// runSearchSuite runs every judged query through each signal alone and through the hybrid
// search, on the real Service and Store, and reports nDCG@10 and recall@10. Its claim: the
// hybrid beats every single signal on both, over all queries.
func runSearchSuite(ctx context.Context, e *env) (string, bool, error) {
	queries, err := loadJudgments(searchJudgments)
	if err != nil {
		return "", false, err
	}
	products, err := allProducts(ctx, catalog.NewService(catalog.NewPostgresStore(e.Pool)))
	if err != nil {
		return "", false, err
	}
	words, err := glove.Default()
	if err != nil {
		return "", false, err
	}
	svc := search.NewService(search.NewPostgresStore(e.Pool), search.WordVectors{M: words})
	var scores []queryScore
	for _, q := range queries {
		s, err := scoreQuery(ctx, svc, q, products)
		if err != nil {
			return "", false, fmt.Errorf("query %q: %w", q.ID, err)
		}
		scores = append(scores, s)
	}
	overall, _ := mean(scores, nil)
	ok := true
	for _, m := range methods[:3] {
		ok = ok && overall.ndcg["hybrid"] > overall.ndcg[m] && overall.recall["hybrid"] > overall.recall[m]
	}
	return searchReport(scores, len(products), ok), ok, nil
}

// allProducts reads the live catalogue through the catalogue service, a page at a time.
func allProducts(ctx context.Context, cat *catalog.Service) (map[uuid.UUID]judgedProduct, error) {
	out := map[uuid.UUID]judgedProduct{}
	for page := 0; ; page++ {
		items, total, err := cat.List(ctx, catalog.Filter{Sort: "name", Limit: 100, Offset: page * 100})
		if err != nil {
			return nil, err
		}
		for _, p := range items {
			out[p.ID] = judgedProduct{SKU: p.SKU, Name: p.Name, Category: p.Category, PriceCents: p.PriceCents, Stock: p.Stock}
		}
		if len(items) == 0 || int64(len(out)) >= total {
			return out, nil
		}
	}
}

// scoreQuery grades the catalogue for q, then ranks it by each method.
func scoreQuery(ctx context.Context, svc *search.Service, q judgedQuery, products map[uuid.UUID]judgedProduct) (queryScore, error) {
	var judged []int
	for _, p := range products {
		if g := q.grade(p); g > 0 {
			judged = append(judged, g)
		}
	}
	if len(judged) == 0 {
		return queryScore{}, fmt.Errorf("no product of the catalogue is relevant: is the database seeded with the demo data?")
	}
	s := queryScore{q: q, ndcg: map[string]float64{}, recall: map[string]float64{}}
	sq := search.Query{Text: q.Q, Category: q.Category, MinPrice: q.MinPrice, MaxPrice: q.MaxPrice, InStock: q.InStock, Limit: cutoff}
	for _, m := range methods {
		var hits []search.Hit
		var err error
		if m == "hybrid" {
			hits, err = svc.Search(ctx, sq)
		} else {
			hits, err = svc.SearchOnly(ctx, sq, m)
		}
		if err != nil {
			return queryScore{}, err
		}
		ranked := make([]int, len(hits))
		for i, h := range hits {
			ranked[i] = q.grade(products[h.Product.ID])
		}
		s.ndcg[m], s.recall[m] = ndcgAt(cutoff, ranked, judged), recallAt(cutoff, ranked, len(judged))
	}
	return s, nil
}

// mean averages the scores of the queries keep accepts (all when keep is nil), and counts them.
func mean(scores []queryScore, keep func(judgedQuery) bool) (queryScore, int) {
	out := queryScore{ndcg: map[string]float64{}, recall: map[string]float64{}}
	n := 0
	for _, s := range scores {
		if keep != nil && !keep(s.q) {
			continue
		}
		n++
		for _, m := range methods {
			out.ndcg[m] += s.ndcg[m]
			out.recall[m] += s.recall[m]
		}
	}
	for _, m := range methods {
		out.ndcg[m] /= float64(max(n, 1))
		out.recall[m] /= float64(max(n, 1))
	}
	return out, n
}

// searchReport prints the tables: nDCG@10 and recall@10 per query type and overall, then the
// queries the hybrid search serves worst.
func searchReport(scores []queryScore, catalogue int, ok bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Search\n\n%d judged queries over %d products; each signal alone, then the hybrid (reciprocal rank fusion of the three).\n", len(scores), catalogue)
	for _, metric := range []string{"nDCG@10", "recall@10"} {
		fmt.Fprintf(&b, "\n| %s | queries | full-text | trigram | embedding | hybrid |\n|---|---:|---:|---:|---:|---:|\n", metric)
		row := func(label string, s queryScore, n int) {
			vals := s.ndcg
			if metric == "recall@10" {
				vals = s.recall
			}
			fmt.Fprintf(&b, "| %s | %d | %.3f | %.3f | %.3f | %.3f |\n", label, n,
				vals[search.SignalFullText], vals[search.SignalTrigram], vals[search.SignalEmbedding], vals["hybrid"])
		}
		for _, t := range queryTypes {
			s, n := mean(scores, func(q judgedQuery) bool { return q.Type == t })
			row(t, s, n)
		}
		s, n := mean(scores, nil)
		row("**all**", s, n)
	}
	worst := slices.Clone(scores)
	slices.SortStableFunc(worst, func(a, b queryScore) int {
		return cmp.Or(cmp.Compare(a.ndcg["hybrid"], b.ndcg["hybrid"]), strings.Compare(a.q.ID, b.q.ID))
	})
	fmt.Fprintf(&b, "\nWeakest queries (hybrid nDCG@10 / recall@10): ")
	for i, s := range worst[:min(10, len(worst))] {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q %.2f / %.2f", s.q.Q, s.ndcg["hybrid"], s.recall["hybrid"])
	}
	verdict := "holds"
	if !ok {
		verdict = "does NOT hold"
	}
	fmt.Fprintf(&b, ".\n\nClaim: the hybrid beats every single signal on nDCG@10 and on recall@10 over all queries: %s.\n", verdict)
	return b.String()
}
