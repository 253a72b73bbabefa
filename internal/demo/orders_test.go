package demo

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

func TestOrders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                   string
		products               []Product
		customers, perCustomer int
	}{
		{"typical", Products(1, 5000), 1000, 3},
		{"one order each", Products(2, 200), 500, 1},
		{"tiny catalogue", []Product{{Stock: 0}, {Stock: 4}, {Stock: 0}, {Stock: 1}}, 400, 4},
		{"single in-stock product", []Product{{Stock: 0}, {Stock: 9}}, 400, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			plans := Orders(5, tt.products, tt.customers, tt.perCustomer)
			perCust := make([]int, tt.customers)
			for _, o := range plans {
				if o.CustomerIndex < 0 || o.CustomerIndex >= tt.customers {
					t.Fatalf("customer index %d out of range", o.CustomerIndex)
				}
				perCust[o.CustomerIndex]++
				if len(o.Lines) < 1 || len(o.Lines) > 4 {
					t.Errorf("order has %d lines", len(o.Lines))
				}
				seen := map[int]bool{}
				for _, l := range o.Lines {
					switch {
					case l.ProductIndex < 0 || l.ProductIndex >= len(tt.products):
						t.Fatalf("product index %d out of range", l.ProductIndex)
					case tt.products[l.ProductIndex].Stock == 0:
						t.Errorf("ordered out-of-stock product %d", l.ProductIndex)
					case seen[l.ProductIndex]:
						t.Errorf("product %d repeated within an order", l.ProductIndex)
					case l.Quantity < 1 || l.Quantity > 3:
						t.Errorf("quantity %d", l.Quantity)
					}
					seen[l.ProductIndex] = true
				}
			}
			for c, n := range perCust {
				if n > 2*tt.perCustomer {
					t.Errorf("customer %d has %d orders, max %d", c, n, 2*tt.perCustomer)
				}
			}
			mean := float64(len(plans)) / float64(tt.customers)
			if want := float64(tt.perCustomer); mean < 0.8*want || mean > 1.2*want {
				t.Errorf("mean orders per customer %.2f, want about %v", mean, want)
			}
		})
	}
}

// TestOrdersPopularity checks the best sellers: the most ordered product appears
// far more often than the average in-stock product.
func TestOrdersPopularity(t *testing.T) {
	t.Parallel()
	products := Products(9, 2000)
	counts := map[int]int{}
	lines := 0
	for _, o := range Orders(9, products, 2000, 3) {
		for _, l := range o.Lines {
			counts[l.ProductIndex]++
			lines++
		}
	}
	top := 0
	for _, c := range counts {
		top = max(top, c)
	}
	if avg := float64(lines) / float64(len(products)); float64(top) < 10*avg {
		t.Errorf("top product ordered %d times, average %.1f: not skewed enough", top, avg)
	}
}

// customerOrders groups plans by customer, keeping their order.
func customerOrders(plans []OrderPlan) map[int][]OrderPlan {
	out := map[int][]OrderPlan{}
	for _, o := range plans {
		out[o.CustomerIndex] = append(out[o.CustomerIndex], o)
	}
	return out
}

// goTogether reports whether kind b is listed as going with kind a.
func goTogether(a, b string) bool {
	return a != "" && slices.Contains(strings.Split(goesWith[a], "|"), b)
}

// TestOrdersLookLikeShoppers checks the habits the demo orders are meant to show, each
// against what random baskets would give: customers keep to a few categories, baskets hold
// items that go together, and a customer's latest order follows on from the earlier ones.
func TestOrdersLookLikeShoppers(t *testing.T) {
	t.Parallel()
	products := Products(3, 3000)
	plans := Orders(3, products, 400, 4)
	var topLines, allLines, multi, together, followers, following int
	for _, orders := range customerOrders(plans) {
		perCat := map[string]int{}
		for _, o := range orders {
			for _, l := range o.Lines {
				perCat[products[l.ProductIndex].Category]++
				allLines++
			}
			if len(o.Lines) < 2 {
				continue
			}
			multi++
			if slices.ContainsFunc(o.Lines, func(a OrderLine) bool {
				return slices.ContainsFunc(o.Lines, func(b OrderLine) bool {
					return goTogether(products[a.ProductIndex].Kind, products[b.ProductIndex].Kind)
				})
			}) {
				together++
			}
		}
		counts := slices.Sorted(maps.Values(perCat))
		slices.Reverse(counts)
		for _, n := range counts[:min(3, len(counts))] {
			topLines += n
		}
		if len(orders) < 2 {
			continue
		}
		// The last order shares a kind or a category with an earlier one, or holds a kind
		// that goes with something bought before.
		followers++
		seenKind, seenCat := map[string]bool{}, map[string]bool{}
		for _, o := range orders[:len(orders)-1] {
			for _, l := range o.Lines {
				seenKind[products[l.ProductIndex].Kind] = true
				seenCat[products[l.ProductIndex].Category] = true
			}
		}
		if slices.ContainsFunc(orders[len(orders)-1].Lines, func(l OrderLine) bool {
			p := products[l.ProductIndex]
			for k := range seenKind {
				if goTogether(k, p.Kind) {
					return true
				}
			}
			return seenKind[p.Kind] || seenCat[p.Category]
		}) {
			following++
		}
	}
	if share := float64(topLines) / float64(allLines); share < 0.9 {
		t.Errorf("only %.2f of a customer's lines are in their three main categories; want stable interests (>= 0.9)", share)
	}
	if share := float64(together) / float64(multi); share < 0.6 {
		t.Errorf("only %.2f of the baskets with several items hold two that go together (want >= 0.6)", share)
	}
	if share := float64(following) / float64(followers); share < 0.85 {
		t.Errorf("only %.2f of the latest orders follow on from earlier ones (want >= 0.85)", share)
	}
}

// TestOrdersInterleaveCustomers: orders come in rounds, so the first orders of the plan
// belong to different customers and each customer's orders keep their own sequence.
func TestOrdersInterleaveCustomers(t *testing.T) {
	t.Parallel()
	plans := Orders(8, Products(8, 500), 50, 3)
	first := map[int]bool{}
	for _, o := range plans[:10] {
		if first[o.CustomerIndex] {
			t.Fatalf("customer %d has two of the first ten orders: the plan is not in rounds", o.CustomerIndex)
		}
		first[o.CustomerIndex] = true
	}
}

// TestComplementsNameKinds: every kind in the "goes with" data exists in the catalogue, so a
// typo cannot silently drop a pairing.
func TestComplementsNameKinds(t *testing.T) {
	t.Parallel()
	kinds := map[string]bool{}
	for _, c := range catalog {
		for _, kd := range c.kinds {
			kinds[kd.noun] = true
		}
	}
	for k, with := range goesWith {
		if !kinds[k] {
			t.Errorf("goesWith names unknown kind %q", k)
		}
		for _, w := range strings.Split(with, "|") {
			if !kinds[w] || w == k {
				t.Errorf("%q goes with unknown or same kind %q", k, w)
			}
		}
	}
}
