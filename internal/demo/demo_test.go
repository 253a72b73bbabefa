package demo

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestDeterminism(t *testing.T) {
	t.Parallel()
	products := Products(7, 2000)
	tests := []struct {
		name string
		gen  func(seed uint64) any
	}{
		{"Products", func(seed uint64) any { return Products(seed, 3000) }},
		{"Customers", func(seed uint64) any { return Customers(seed, 3000) }},
		{"Orders", func(seed uint64) any { return Orders(seed, products, 300, 3) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, b := tt.gen(42), tt.gen(42)
			if !reflect.DeepEqual(a, b) {
				t.Errorf("same seed produced different output")
			}
			if reflect.DeepEqual(a, tt.gen(43)) {
				t.Errorf("different seeds produced identical output")
			}
		})
	}
}

func TestEmptyInputs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		got  int
	}{
		{"Products n=0", len(Products(1, 0))},
		{"Products n<0", len(Products(1, -5))},
		{"Customers n=0", len(Customers(1, 0))},
		{"Customers n<0", len(Customers(1, -1))},
		{"Orders no customers", len(Orders(1, Products(1, 50), 0, 3))},
		{"Orders perCustomer=0", len(Orders(1, Products(1, 50), 10, 0))},
		{"Orders no products", len(Orders(1, nil, 10, 3))},
		{"Orders all out of stock", len(Orders(1, []Product{{Stock: 0}, {Stock: 0}}, 10, 3))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.got != 0 {
				t.Errorf("len = %d, want 0", tt.got)
			}
		})
	}
}

func TestUniqueness(t *testing.T) {
	t.Parallel()
	products := Products(99, 20000)
	customers := Customers(99, 5000)
	tests := []struct {
		name string
		keys func() []string
	}{
		{"SKU", func() []string { return field(products, func(p Product) string { return p.SKU }) }},
		{"Name", func() []string { return field(products, func(p Product) string { return p.Name }) }},
		{"Email", func() []string { return field(customers, func(c Customer) string { return c.Email }) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			seen := map[string]int{}
			for i, k := range tt.keys() {
				if j, dup := seen[k]; dup {
					t.Fatalf("%q repeated at %d and %d", k, j, i)
				}
				seen[k] = i
			}
		})
	}
}

// TestUniquenessLarge checks the documented maximum, where most plain names
// are used up and colour, pack and model-number variants must kick in.
func TestUniquenessLarge(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("large output")
	}
	skus, names := map[string]bool{}, map[string]bool{}
	for _, p := range Products(5, 200000) {
		if skus[p.SKU] || names[p.Name] {
			t.Fatalf("duplicate SKU %q or name %q", p.SKU, p.Name)
		}
		if len(p.Name) > 120 || len(p.SKU) > 32 {
			t.Fatalf("too long: %q / %q", p.Name, p.SKU)
		}
		skus[p.SKU], names[p.Name] = true, true
	}
}

func TestProductBounds(t *testing.T) {
	t.Parallel()
	const n = 20000
	products := Products(2024, n)
	cats := Categories()
	perCat := map[string]int{}
	var zero, niceCents int
	var stocks []int
	for _, p := range products {
		switch {
		case p.SKU == "" || len(p.SKU) > 32 || !isUpperASCII(p.SKU):
			t.Errorf("bad SKU %q", p.SKU)
		case !strings.HasPrefix(p.SKU, prefixOf(p.Category)+"-"):
			t.Errorf("SKU %q lacks prefix of %q", p.SKU, p.Category)
		case len(p.Name) < 3 || len(p.Name) > 120:
			t.Errorf("name length %d: %q", len(p.Name), p.Name)
		case len(p.Description) < 40 || len(p.Description) > 600:
			t.Errorf("description length %d: %q", len(p.Description), p.Description)
		case strings.ContainsAny(p.Description, "{}"):
			t.Errorf("unexpanded placeholder: %q", p.Description)
		case !slices.Contains(cats, p.Category):
			t.Errorf("unknown category %q", p.Category)
		case p.PriceCents <= 0:
			t.Errorf("price %d for %q", p.PriceCents, p.Name)
		case p.Currency != "USD":
			t.Errorf("currency %q", p.Currency)
		case p.Stock < 0 || p.Stock > 500:
			t.Errorf("stock %d", p.Stock)
		}
		// "Co. " appears inside brand names such as "Saltmarsh & Co.".
		if n := strings.Count(strings.ReplaceAll(p.Description, "Co. ", ""), ". "); n < 1 || n > 2 {
			t.Errorf("want 2-3 sentences, got %q", p.Description)
		}
		perCat[p.Category]++
		if p.Stock == 0 {
			zero++
		}
		switch p.PriceCents % 100 {
		case 99, 49, 95, 0:
			niceCents++
		}
		stocks = append(stocks, int(p.Stock))
	}
	if r := float64(zero) / n; r < 0.02 || r > 0.10 {
		t.Errorf("out-of-stock ratio %.3f, want 0.02..0.10", r)
	}
	if r := float64(niceCents) / n; r < 0.85 {
		t.Errorf("only %.2f of prices end in 99/49/95/00", r)
	}
	slices.Sort(stocks)
	if median := stocks[n/2]; median >= 250 {
		t.Errorf("stock median %d, want skewed low", median)
	}
	for _, c := range cats {
		if perCat[c] < n/len(cats)/2 {
			t.Errorf("category %q has only %d products", c, perCat[c])
		}
	}
}

func TestPricesWithinKindRange(t *testing.T) {
	t.Parallel()
	products, kinds := generateProducts(11, 20000)
	for i, p := range products {
		kd := kinds[i]
		if p.PriceCents < kd.lo*100 || p.PriceCents >= kd.hi*100 {
			t.Errorf("%q costs %d, outside $%d..$%d", p.Name, p.PriceCents, kd.lo, kd.hi)
		}
		if !strings.Contains(p.Name, kd.noun) || !strings.Contains(p.Description, kd.noun) {
			t.Errorf("%q / %q does not mention kind %q", p.Name, p.Description, kd.noun)
		}
	}
}

func TestCatalogData(t *testing.T) {
	t.Parallel()
	cats := Categories()
	if len(cats) < 10 || len(cats) > 16 || !slices.IsSorted(cats) {
		t.Fatalf("Categories() = %v, want 10..16 sorted names", cats)
	}
	prefixes := map[string]bool{}
	for _, c := range catalog {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if len(c.prefix) != 3 || !isUpperASCII(c.prefix) {
				t.Errorf("bad prefix %q", c.prefix)
			}
			if len(c.kinds) < 12 || len(c.brands) < 5 || len(c.adjs) < 5 || len(c.closers) < 3 {
				t.Errorf("too little vocabulary: %d kinds, %d brands, %d adjs, %d closers",
					len(c.kinds), len(c.brands), len(c.adjs), len(c.closers))
			}
			for _, kd := range c.kinds {
				if kd.lo <= 0 || kd.hi <= kd.lo || kd.feature == "" || kd.use == "" || len(kd.mats) == 0 {
					t.Errorf("kind %q is incomplete or has a bad range", kd.noun)
				}
			}
		})
		if prefixes[c.prefix] {
			t.Errorf("duplicate prefix %q", c.prefix)
		}
		prefixes[c.prefix] = true
	}
	if len(firstNames) < 60 || len(lastNames) < 60 {
		t.Errorf("need >= 60 first and last names, have %d and %d", len(firstNames), len(lastNames))
	}
}

// TestPriceBelievable spot-checks the brief's examples: a pencil is never
// $800 and a laptop is never $3.
func TestPriceBelievable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		noun     string
		min, max int64 // cents
	}{
		{"Graphite Pencil", 100, 2000},
		{"Laptop", 30000, 400000},
		{"Stand Mixer", 10000, 80000},
		{"Pasta", 100, 1500},
	}
	products, kinds := generateProducts(3, 20000)
	for _, tt := range tests {
		t.Run(tt.noun, func(t *testing.T) {
			t.Parallel()
			found := 0
			for i, p := range products {
				if kinds[i].noun != tt.noun {
					continue
				}
				found++
				if p.PriceCents < tt.min || p.PriceCents > tt.max {
					t.Errorf("%q costs %d cents", p.Name, p.PriceCents)
				}
			}
			if found == 0 {
				t.Fatalf("no %s generated", tt.noun)
			}
		})
	}
}

func TestCustomers(t *testing.T) {
	t.Parallel()
	for _, c := range Customers(8, 5000) {
		local, ok := strings.CutSuffix(c.Email, "@example.com")
		if !ok || local == "" || strings.ToLower(c.Email) != c.Email || strings.Trim(local, "abcdefghijklmnopqrstuvwxyz0123456789._") != "" {
			t.Errorf("bad email %q", c.Email)
		}
		first, last, ok := strings.Cut(c.Name, " ")
		if !ok || !slices.Contains(firstNames, first) || !slices.Contains(lastNames, last) {
			t.Errorf("bad name %q", c.Name)
		}
	}
}

func BenchmarkProducts100k(b *testing.B) {
	for b.Loop() {
		Products(1, 100000)
	}
}

// field maps xs through f.
func field[T any](xs []T, f func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// isUpperASCII reports whether s holds only A-Z, 0-9 and '-'.
func isUpperASCII(s string) bool {
	return strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") == ""
}

// prefixOf returns the SKU prefix of the named category.
func prefixOf(name string) string {
	for _, c := range catalog {
		if c.name == name {
			return c.prefix
		}
	}
	return "?"
}
