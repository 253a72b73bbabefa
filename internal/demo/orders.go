package demo

import (
	"math/rand/v2"
	"slices"
	"strings"
)

// OrderLine is one line of a demo order: which product (an index into the
// slice passed to Orders) and how many of it.
type OrderLine struct {
	ProductIndex int   // index into the products slice given to Orders
	Quantity     int32 // 1..3
}

// OrderPlan is a demo order: the customer (an index into the Customers
// slice) and the lines they buy. The caller turns plans into real orders.
type OrderPlan struct {
	CustomerIndex int         // 0..customers-1
	Lines         []OrderLine // 1..4 lines with distinct products
}

// Shopping habits of the demo customers, in percent, and the basket size.
const (
	followUpPct   = 50 // a later order starts from a kind that goes with an earlier purchase
	complementPct = 45 // each kind that goes with the basket's first item joins the basket
	extraPct      = 20 // a one-item basket gains another item of the customer's interests
	maxLines      = 4
)

// Orders returns about perCustomer orders per customer (uniformly 0 to
// 2*perCustomer each), each with 1..4 distinct lines and quantities 1..3,
// in rounds: every customer's first order, then every customer's second, and
// so on, so that placing them in sequence keeps each customer's orders in
// time order among everyone else's.
//
// The orders are synthetic but follow rules that make them believable and
// give recommendations something to find:
//   - each customer has stable interests: one to three categories, weighted,
//     with two to four favourite item kinds in each (some kinds are the
//     favourites of many customers);
//   - a basket starts from an item of those interests, or, in about a third
//     of the later orders, from a kind that goes with an earlier purchase (a
//     charger after a laptop), and gathers items of the kinds that go with its
//     first item (see goesWith);
//   - within a kind a few products sell far more than the rest (a Zipf-like
//     skew over a seed-dependent ranking), so the same pairs recur across
//     customers and sales reports have believable best sellers;
//   - a customer seldom buys the same product twice.
//
// Products with zero Stock are never chosen; products without a Kind form one
// kind per category. The result is deterministic from seed and the inputs; it
// is empty when there are no customers, no in-stock products or
// perCustomer <= 0.
func Orders(seed uint64, products []Product, customers int, perCustomer int) []OrderPlan {
	if customers <= 0 || perCustomer <= 0 {
		return []OrderPlan{}
	}
	r := rand.New(rand.NewPCG(seed, orderStream))
	s := newShelf(r, products)
	if s == nil {
		return []OrderPlan{}
	}
	byCustomer := make([][]OrderPlan, customers)
	rounds := 0
	for c := range byCustomer {
		sh := newShopper(r, s)
		n := r.IntN(2*perCustomer + 1)
		for range n {
			byCustomer[c] = append(byCustomer[c], OrderPlan{CustomerIndex: c, Lines: sh.basket(r)})
		}
		rounds = max(rounds, n)
	}
	out := make([]OrderPlan, 0, customers*perCustomer)
	for i := range rounds {
		for _, plans := range byCustomer {
			if i < len(plans) {
				out = append(out, plans[i])
			}
		}
	}
	return out
}

// aisle is the in-stock products of one item kind, best sellers first.
type aisle struct {
	category, kind string
	products       []int      // indexes into the products slice; the first sell best
	zipf           *rand.Zipf // the skew over products; nil with one product
	goesWith       []*aisle   // the kinds bought with this one
}

// pick draws a product of the aisle, best sellers more often, that is not in
// the basket and, if it can, was not bought before; ok is false only when
// every product of the aisle is already in the basket.
func (a *aisle) pick(basket []OrderLine, bought map[int]bool) (p int, ok bool) {
	fresh := func(p int) bool { return !hasProduct(basket, p) && !bought[p] }
	for range 8 {
		i := 0
		if a.zipf != nil {
			i = int(a.zipf.Uint64())
		}
		if p := a.products[i]; fresh(p) {
			return p, true
		}
	}
	if i := slices.IndexFunc(a.products, fresh); i >= 0 {
		return a.products[i], true
	}
	if i := slices.IndexFunc(a.products, func(p int) bool { return !hasProduct(basket, p) }); i >= 0 {
		return a.products[i], true
	}
	return 0, false
}

// shelf is the in-stock catalogue grouped by category and kind.
type shelf struct {
	categories []string            // sorted
	aisles     map[string][]*aisle // per category, the more popular kinds first
}

// newShelf groups the in-stock products and ranks them with r: the order of
// products within a kind, and of kinds within a category. It returns nil when
// nothing is in stock.
func newShelf(r *rand.Rand, products []Product) *shelf {
	s := &shelf{aisles: map[string][]*aisle{}}
	byKey := map[[2]string]*aisle{}
	byKind := map[string]*aisle{}
	for i, p := range products {
		if p.Stock <= 0 {
			continue
		}
		a := byKey[[2]string{p.Category, p.Kind}]
		if a == nil {
			a = &aisle{category: p.Category, kind: p.Kind}
			byKey[[2]string{p.Category, p.Kind}] = a
			s.aisles[p.Category] = append(s.aisles[p.Category], a)
			if p.Kind != "" {
				byKind[p.Kind] = a
			}
		}
		a.products = append(a.products, i)
	}
	if len(byKey) == 0 {
		return nil
	}
	for c := range s.aisles {
		s.categories = append(s.categories, c)
	}
	slices.Sort(s.categories)
	for _, c := range s.categories {
		aisles := s.aisles[c]
		for _, a := range aisles {
			r.Shuffle(len(a.products), func(i, j int) { a.products[i], a.products[j] = a.products[j], a.products[i] })
			if len(a.products) > 1 {
				a.zipf = rand.NewZipf(r, 1.5, 1, uint64(len(a.products)-1))
			}
			for _, k := range strings.Split(goesWith[a.kind], "|") {
				if b := byKind[k]; b != nil && b != a {
					a.goesWith = append(a.goesWith, b)
				}
			}
		}
		r.Shuffle(len(aisles), func(i, j int) { aisles[i], aisles[j] = aisles[j], aisles[i] })
	}
	return s
}

// interest is one category a customer shops in: its weight and favourite kinds.
type interest struct {
	weight int
	kinds  []*aisle
}

// shopper is one demo customer's habits and what they have bought so far.
type shopper struct {
	interests []interest
	total     int          // sum of the weights
	bought    map[int]bool // product indexes
	history   []*aisle     // the kinds of everything bought, in order
}

// newShopper gives a customer one to three categories weighted 6:3:1, and in
// each two to four favourite kinds, the category's popular kinds more likely.
func newShopper(r *rand.Rand, s *shelf) *shopper {
	sh := &shopper{bought: map[int]bool{}}
	n := min(1+r.IntN(3), len(s.categories))
	for i, ci := range r.Perm(len(s.categories))[:n] {
		aisles := s.aisles[s.categories[ci]]
		want := min(2+r.IntN(3), len(aisles))
		var kinds []*aisle
		for len(kinds) < want {
			// The smaller of two draws favours the front: the popular kinds.
			a := aisles[min(r.IntN(len(aisles)), r.IntN(len(aisles)))]
			if !slices.Contains(kinds, a) {
				kinds = append(kinds, a)
			}
		}
		w := []int{6, 3, 1}[i]
		sh.interests = append(sh.interests, interest{weight: w, kinds: kinds})
		sh.total += w
	}
	return sh
}

// favourite draws a kind from the customer's interests, by their weights,
// preferring one they have not bought yet: one tent is usually enough.
func (sh *shopper) favourite(r *rand.Rand) *aisle {
	var a *aisle
	for range 3 {
		a = sh.interest(r)
		if !slices.Contains(sh.history, a) {
			break
		}
	}
	return a
}

// interest draws a kind from the customer's interests, by their weights.
func (sh *shopper) interest(r *rand.Rand) *aisle {
	x := r.IntN(sh.total)
	for _, in := range sh.interests {
		if x < in.weight {
			return in.kinds[r.IntN(len(in.kinds))]
		}
		x -= in.weight
	}
	panic("demo: interest weights do not add up")
}

// basket builds the customer's next order and remembers what it holds.
func (sh *shopper) basket(r *rand.Rand) []OrderLine {
	var first *aisle
	if len(sh.history) > 0 && r.IntN(100) < followUpPct {
		if prev := sh.history[r.IntN(len(sh.history))]; len(prev.goesWith) > 0 {
			first = prev.goesWith[r.IntN(len(prev.goesWith))]
		}
	}
	if first == nil {
		first = sh.favourite(r)
	}
	lines := make([]OrderLine, 0, maxLines)
	add := func(a *aisle) {
		if p, ok := a.pick(lines, sh.bought); ok {
			lines = append(lines, OrderLine{ProductIndex: p, Quantity: quantity(r)})
			sh.history = append(sh.history, a)
		}
	}
	add(first)
	for _, i := range r.Perm(len(first.goesWith)) {
		if len(lines) < maxLines && r.IntN(100) < complementPct {
			add(first.goesWith[i])
		}
	}
	if len(lines) == 1 && r.IntN(100) < extraPct {
		add(sh.favourite(r))
	}
	for _, l := range lines {
		sh.bought[l.ProductIndex] = true
	}
	return lines
}

// quantity returns 1..3, mostly 1.
func quantity(r *rand.Rand) int32 {
	switch x := r.IntN(100); {
	case x < 70:
		return 1
	case x < 90:
		return 2
	default:
		return 3
	}
}

// hasProduct reports whether lines already contain product index p.
func hasProduct(lines []OrderLine, p int) bool {
	return slices.ContainsFunc(lines, func(l OrderLine) bool { return l.ProductIndex == p })
}
