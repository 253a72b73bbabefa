package demo

import "math/rand/v2"

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

// Orders returns about perCustomer orders per customer (uniformly 0 to
// 2*perCustomer each), in customer order, each with 1..4 distinct lines and
// quantities 1..3. Popular products are chosen more often, following a
// Zipf-like skew over a seed-dependent popularity ranking, so demo sales
// reports have believable best sellers. Products with zero Stock are never
// chosen. The result is deterministic from seed and the inputs; it is empty
// when there are no customers, no in-stock products or perCustomer <= 0.
func Orders(seed uint64, products []Product, customers int, perCustomer int) []OrderPlan {
	if customers <= 0 || perCustomer <= 0 {
		return []OrderPlan{}
	}
	// ranked lists in-stock product indexes from most to least popular.
	ranked := make([]int, 0, len(products))
	for i := range products {
		if products[i].Stock > 0 {
			ranked = append(ranked, i)
		}
	}
	if len(ranked) == 0 {
		return []OrderPlan{}
	}
	r := rand.New(rand.NewPCG(seed, orderStream))
	r.Shuffle(len(ranked), func(i, j int) { ranked[i], ranked[j] = ranked[j], ranked[i] })
	var zipf *rand.Zipf
	if len(ranked) > 1 {
		// s close to 1 gives a long tail; v flattens the very top so that a
		// single product does not dominate every order.
		zipf = rand.NewZipf(r, 1.1, 4, uint64(len(ranked)-1))
	}
	draw := func() int {
		if zipf == nil {
			return 0
		}
		return int(zipf.Uint64())
	}

	out := make([]OrderPlan, 0, customers*perCustomer)
	for c := range customers {
		for range r.IntN(2*perCustomer + 1) {
			nLines := min(lineCount(r), len(ranked))
			lines := make([]OrderLine, 0, nLines)
			for len(lines) < nLines {
				rank := draw()
				for tries := 0; tries < 8 && hasProduct(lines, ranked[rank]); tries++ {
					rank = draw()
				}
				// Fall back to the next unused rank; nLines <= len(ranked)
				// guarantees one exists.
				for hasProduct(lines, ranked[rank]) {
					rank = (rank + 1) % len(ranked)
				}
				lines = append(lines, OrderLine{ProductIndex: ranked[rank], Quantity: quantity(r)})
			}
			out = append(out, OrderPlan{CustomerIndex: c, Lines: lines})
		}
	}
	return out
}

// lineCount returns 1..4, mostly small baskets.
func lineCount(r *rand.Rand) int {
	switch x := r.IntN(100); {
	case x < 50:
		return 1
	case x < 75:
		return 2
	case x < 90:
		return 3
	default:
		return 4
	}
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
	for _, l := range lines {
		if l.ProductIndex == p {
			return true
		}
	}
	return false
}
