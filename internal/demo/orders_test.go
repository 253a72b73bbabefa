package demo

import "testing"

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

// TestOrdersPopularity checks the Zipf-like skew: the most ordered product
// appears far more often than the average in-stock product.
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
