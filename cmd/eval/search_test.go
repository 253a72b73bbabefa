package main

import (
	"math"
	"testing"

	"github.com/acme/orders/internal/demo"
)

func TestNDCGAndRecall(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name           string
		ranked, judged []int
		relevant       int
		ndcg, recall   float64
	}{
		{"ideal order", []int{3, 2, 1}, []int{1, 3, 2}, 3, 1, 1},
		{"nothing found", []int{0, 0}, []int{3}, 1, 0, 0},
		// DCG 7/log2(3) against the ideal 7/log2(2).
		{"the exact match second", []int{0, 3}, []int{3}, 1, 1 / math.Log2(3), 1},
		// DCG 1 + 7/log2(3); ideal 7 + 1/log2(3).
		{"grades swapped", []int{1, 3}, []int{3, 1}, 2, (1 + 7/math.Log2(3)) / (7 + 1/math.Log2(3)), 1},
		// Recall is capped: 2 found of 20 relevant counts as 2 of 10.
		{"more relevant than fit on a page", []int{1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1}, []int{1, 2}, 20, -1, 0.2},
		{"nothing relevant at all", []int{0}, nil, 0, 0, 0},
	}
	for _, c := range cases {
		if c.ndcg >= 0 {
			if got := ndcgAt(10, c.ranked, c.judged); math.Abs(got-c.ndcg) > 1e-9 {
				t.Errorf("%s: nDCG@10 = %v, want %v", c.name, got, c.ndcg)
			}
		}
		if got := recallAt(10, c.ranked, c.relevant); math.Abs(got-c.recall) > 1e-9 {
			t.Errorf("%s: recall@10 = %v, want %v", c.name, got, c.recall)
		}
	}
}

func TestContainsPhrase(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		text, phrase string
		want         bool
	}{
		{"kinetiq cork yoga mat, 4 mm", "yoga mat", true},
		{"solenne daily matte lipstick", "mat", false},
		{"sundry nest teal vase", "tea", false},
		{"oakhollow enamelled cast-iron dutch oven", "cast-iron", true},
		{"hearthwell chef's knife", "chef's knife", true},
		{"wall clock, 16-inch", "6", false},
		{"wall clock, 16-inch", "16-inch", true},
	} {
		if got := containsPhrase(c.text, c.phrase); got != c.want {
			t.Errorf("containsPhrase(%q, %q) = %v, want %v", c.text, c.phrase, got, c.want)
		}
	}
}

func TestLoadJudgmentsRefusesMistakes(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"misspelt condition": `{"queries":[{"id":"a","type":"plain","q":"x","rules":[{"grade":3,"nmae":["X"]}]}]}`,
		"unknown type":       `{"queries":[{"id":"a","type":"vague","q":"x","rules":[{"grade":3,"name":["X"]}]}]}`,
		"grade out of range": `{"queries":[{"id":"a","type":"plain","q":"x","rules":[{"grade":4,"name":["X"]}]}]}`,
		"rule for anything":  `{"queries":[{"id":"a","type":"plain","q":"x","rules":[{"grade":1}]}]}`,
		"repeated id": `{"queries":[{"id":"a","type":"plain","q":"x","rules":[{"grade":3,"name":["X"]}]},
			{"id":"a","type":"plain","q":"y","rules":[{"grade":3,"name":["Y"]}]}]}`,
	} {
		if _, err := loadJudgments([]byte(body)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// The judged queries fit the catalogue `ctl seed` makes (seed 42, 3,000 products): enough of
// each type, and every rule grades at least one product that passes its query's filters, so
// that a misspelt phrase or a SKU that is not in the catalogue cannot hide.
func TestJudgmentsFitTheSeededCatalogue(t *testing.T) {
	t.Parallel()
	queries, err := loadJudgments(searchJudgments)
	if err != nil {
		t.Fatal(err)
	}
	if len(queries) < 100 {
		t.Fatalf("%d judged queries, want at least 100", len(queries))
	}
	perType := map[string]int{}
	var products []judgedProduct
	for _, p := range demo.Products(42, 3000) {
		products = append(products, judgedProduct{SKU: p.SKU, Name: p.Name, Category: p.Category, PriceCents: p.PriceCents, Stock: p.Stock})
	}
	for _, q := range queries {
		perType[q.Type]++
		for i, r := range q.Rules {
			matched := 0
			for _, p := range products {
				if q.passes(p) && r.holds(p) {
					matched++
				}
			}
			if matched == 0 {
				t.Errorf("query %q: rule %d (grade %d) matches no product of the catalogue", q.ID, i, r.Grade)
			}
		}
	}
	for _, ty := range queryTypes {
		if perType[ty] < 10 {
			t.Errorf("%d queries of type %s, want at least 10", perType[ty], ty)
		}
	}
}
