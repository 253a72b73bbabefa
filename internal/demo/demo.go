// Package demo generates a deterministic, believable demo catalogue, demo
// customers and demo orders for the online-orders platform. The operator
// command "ctl seed" uses it to fill an empty environment with data that
// looks real enough for demos, screenshots and load tests.
//
// All of it is synthetic: invented brands, people and purchases. The orders
// follow simple rules (customers with a few stable interests, baskets built
// around items that go together, see Orders) so that recommendations can be
// demonstrated and evaluated on them; they say nothing about real shoppers.
//
// Every generator takes a seed and draws only from its own
// math/rand/v2 PCG source, never from the global source or the clock, so
// the same seed always yields exactly the same values. The package holds no
// database code: it only produces values for the caller to store.
package demo

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// Stream constants give each generator its own PCG sequence, so that
// Products, Customers and Orders with the same seed do not share draws.
const (
	productStream  uint64 = 0x9e3779b97f4a7c15
	customerStream uint64 = 0xc2b2ae3d27d4eb4f
	orderStream    uint64 = 0x165667b19e3779f9
)

// Product is one catalogue entry to create. The field comments document the
// guarantees callers and tests rely on.
type Product struct {
	SKU         string // unique across the output, e.g. "KIT-004821-4F": category prefix, number, check chars; uppercase ASCII, <= 32 chars
	Name        string // believable and unique across the output, e.g. "Hearthwell Enamelled Cast-Iron Dutch Oven, 5.5 qt"; 3..120 chars
	Description string // 2-3 sentences mentioning material or type, features and use; 40..600 chars
	Category    string // one of Categories()
	Kind        string // the item kind within the category, e.g. "Dutch Oven"; Orders builds baskets from it
	PriceCents  int64  // within the item kind's believable range, ending mostly in 99, 49, 95 or 00 cents
	Currency    string // always "USD"
	Stock       int32  // 0..500, about 5% zero (out of stock), skewed low
}

// Customer is one demo shopper account.
type Customer struct {
	Email string // unique, lowercase, on the reserved domain example.com, e.g. "maria.gonzalez42@example.com"
	Name  string // given name and family name, e.g. "Maria Gonzalez"
}

// Categories returns the fixed, sorted list of category names used by
// Products. It returns a fresh slice each call, so callers may modify it.
func Categories() []string {
	out := make([]string, len(catalog))
	for i := range catalog {
		out[i] = catalog[i].name
	}
	return out
}

// Products returns n products generated deterministically from seed; n <= 0
// yields an empty slice. Names and SKUs stay unique for any n: a repeated
// name first gains a colour, then a pack count, and only then a model number.
func Products(seed uint64, n int) []Product {
	ps, _ := generateProducts(seed, n)
	return ps
}

// generateProducts does the work of Products and also reports the kind each
// product was drawn from, so tests can check prices against the kind's range.
func generateProducts(seed uint64, n int) ([]Product, []*kind) {
	if n <= 0 {
		return []Product{}, nil
	}
	r := rand.New(rand.NewPCG(seed, productStream))
	skus := newSKUGen(r, n)
	out := make([]Product, n)
	kinds := make([]*kind, n)
	seen := make(map[string]struct{}, n)
	sb := make(buffer, 0, 512)
	for i := range out {
		c := &catalog[r.IntN(len(catalog))]
		kd := &c.kinds[r.IntN(len(c.kinds))]
		p := nameParts{brand: pick(r, c.brands), mat: pick(r, kd.mats), noun: kd.noun}
		if r.IntN(100) < 40 {
			p.adj = pick(r, c.adjs)
		}
		sizeIdx := -1
		if len(kd.sizes) > 0 {
			sizeIdx = r.IntN(len(kd.sizes))
			p.size = kd.sizes[sizeIdx]
		}
		if kd.colour && r.IntN(100) < 30 {
			p.colour = pick(r, colours)
		}
		num := skus.number(i)
		name := uniqueName(r, &sb, seen, c, kd, &p, skus.digits(num))
		out[i] = Product{
			SKU:         skus.sku(c.prefix, num),
			Name:        name,
			Description: describe(r, &sb, c, kd, p.brand, p.mat, p.colour),
			Category:    c.name,
			Kind:        kd.noun,
			PriceCents:  price(r, kd, sizeIdx),
			Currency:    "USD",
			Stock:       stock(r),
		}
		kinds[i] = kd
	}
	return out, kinds
}

// uniqueName returns the first unused rendering of p, trying in turn the
// plain name, colour variants, pack variants and finally a model number
// derived from the product's unique SKU number, which cannot repeat. It
// records the chosen name in seen and leaves p describing it.
func uniqueName(r *rand.Rand, sb *buffer, seen map[string]struct{}, c *category, kd *kind, p *nameParts, model string) string {
	try := func() (string, bool) {
		p.render(sb)
		if len(*sb) > maxName {
			return "", false
		}
		if _, dup := seen[string(*sb)]; dup { // no allocation for the lookup
			return "", false
		}
		s := string(*sb)
		seen[s] = struct{}{}
		return s, true
	}
	if s, ok := try(); ok {
		return s
	}
	if kd.colour {
		for range 4 {
			p.colour = pick(r, colours)
			if s, ok := try(); ok {
				return s
			}
		}
	}
	if !kd.packed {
		for range 3 {
			p.pack = c.packWord + " " + pick(r, packCounts)
			if s, ok := try(); ok {
				return s
			}
		}
	}
	p.pack, p.model = "", "Model "+model
	if s, ok := try(); ok {
		return s
	}
	p.adj, p.colour = "", "" // only reached if the name was too long
	p.render(sb)
	s := string(*sb)
	seen[s] = struct{}{}
	return s
}

// price draws a price in cents within kd's range. When the kind's sizes are
// ordered by price, each size gets its own band of the range so that a 7 qt
// pot costs more than a 3.5 qt one. Cents end in 99, 49, 95 or 00 about 95%
// of the time, like real shelf prices.
func price(r *rand.Rand, kd *kind, sizeIdx int) int64 {
	f := r.Float64()
	if kd.scale && sizeIdx >= 0 && len(kd.sizes) > 1 {
		f = (float64(sizeIdx) + f) / float64(len(kd.sizes))
	}
	span := kd.hi - kd.lo
	dollars := kd.lo + int64(f*float64(span))
	if dollars >= kd.hi {
		dollars = kd.hi - 1
	}
	var cents int64
	switch x := r.IntN(100); {
	case x < 55:
		cents = 99
	case x < 70:
		cents = 49
	case x < 82:
		cents = 95
	case x < 95:
		cents = 0
	default:
		cents = int64(10*r.IntN(10) + 9) // 09, 19, ... 99
	}
	return dollars*100 + cents
}

// stock returns 0 about 5% of the time and otherwise 1..500 skewed towards
// small numbers, as in a real warehouse with a long tail of slow movers.
func stock(r *rand.Rand) int32 {
	if r.IntN(100) < 5 {
		return 0
	}
	u := r.Float64()
	return 1 + int32(u*u*u*500) // u < 1, so at most 500
}

// skuGen numbers products with a seed-dependent bijection i -> (i*mult+off)
// mod mod, so numbers look scattered yet never repeat within one output.
type skuGen struct {
	mod, mult, off uint64
	width          int
}

// newSKUGen picks a modulus (a power of ten of at least 10^6 and at least n)
// and a multiplier coprime with it, which makes the numbering a bijection.
func newSKUGen(r *rand.Rand, n int) skuGen {
	g := skuGen{mod: 1_000_000, width: 6}
	for g.mod < uint64(n) {
		g.mod *= 10
		g.width++
	}
	for {
		g.mult = r.Uint64N(g.mod)
		if g.mult%2 != 0 && g.mult%5 != 0 {
			break
		}
	}
	g.off = r.Uint64N(g.mod)
	return g
}

// number returns the unique SKU number of the i-th product.
func (g skuGen) number(i int) uint64 { return (uint64(i)*g.mult + g.off) % g.mod }

// digits renders num zero-padded to the generator's width.
func (g skuGen) digits(num uint64) string {
	s := strconv.FormatUint(num, 10)
	return strings.Repeat("0", g.width-len(s)) + s
}

// sku builds "PRE-NNNNNN-CC", where CC are two base-36 check characters that
// catch most typos when an operator types a SKU by hand.
func (g skuGen) sku(prefix string, num uint64) string {
	const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	s := prefix + "-" + g.digits(num)
	h := uint32(7)
	for i := 0; i < len(s); i++ {
		h = h*31 + uint32(s[i])
	}
	h %= 36 * 36
	return s + "-" + string([]byte{alnum[h/36], alnum[h%36]})
}
