package recommend

import (
	"math"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Tuning of the scores. Each scorer's weights add up to one, so every score is in [0, 1].
const (
	// Damping is the λ of the bought-together cosine co(i,j) / (sqrt(n_i·n_j) + λ). With λ = 1,
	// one order shared by two products that sold once each scores 0.5, and three shared
	// orders out of three 0.75: evidence counts, and little evidence counts little.
	Damping = 1.0
	// ContentFloor is the embedding cosine below which two products are not called alike; the
	// range above it is stretched to [0, 1]. Mean word vectors of product texts are all
	// somewhat alike: in the demo catalogue, products of one kind score 0.9 to 0.98 and
	// unrelated ones 0.7 to 0.85.
	ContentFloor = 0.8
	// RecencyDecay weighs a customer's purchases: those of their latest order count 1, those
	// of the order before RecencyDecay, then RecencyDecay², and so on.
	RecencyDecay = 0.7
	// MaxSeeds is how many of a customer's most recent purchases the scorer starts from.
	MaxSeeds = 20

	similarTogether = 0.6 // "similar products": bought together ...
	similarContent  = 0.4 // ... and alike in content
	userTogether    = 0.5 // a customer's recommendations: bought together ...
	userPopular     = 0.3 // ... popular in their categories ...
	userContent     = 0.2 // ... and alike in content
	elsewhere       = 0.1 // popularity's weight outside the customer's categories, as a share of it
)

// Signals, as Item.Signals names them.
const (
	SignalTogether = "bought-together"
	SignalContent  = "similar"
	SignalPopular  = "popular"
)

// Cosine is the damped bought-together similarity of two products: together is the number of
// orders that held both, a and b the numbers of orders that held each.
func Cosine(together, a, b int64) float64 {
	if together <= 0 || a <= 0 || b <= 0 {
		return 0
	}
	return float64(together) / (math.Sqrt(float64(a)*float64(b)) + Damping)
}

// alike stretches an embedding cosine above ContentFloor to [0, 1].
func alike(sim float32) float64 {
	return max(0, (float64(sim)-ContentFloor)/(1-ContentFloor))
}

// Scored is one product a scorer suggests, with its score in [0, 1], its signals strongest
// first, and the reason in words.
type Scored struct {
	ID      uuid.UUID
	Score   float64
	Signals []string
	Reason  string
}

// ProductSignals are what ScoreSimilar knows about one product.
type ProductSignals struct {
	ID       uuid.UUID
	Name     string
	Orders   int64                 // orders that held it
	Partners []Partner             // products bought with it
	Content  map[uuid.UUID]float32 // products like it, with their embedding cosine
}

// ScoreSimilar ranks the products like one product, best first:
// 0.6 × its bought-together cosine + 0.4 × its stretched content similarity. The product
// itself is left out.
func ScoreSimilar(s ProductSignals) []Scored {
	t := tally{}
	for _, p := range s.Partners {
		t.add(p.ID, SignalTogether, similarTogether*Cosine(p.Together, s.Orders, p.Orders), "often bought together with "+s.Name)
	}
	for id, sim := range s.Content {
		t.add(id, SignalContent, similarContent*alike(sim), "similar to "+s.Name)
	}
	return t.ranked(map[uuid.UUID]bool{s.ID: true})
}

// UserSignals are what ScoreForUser knows about one customer.
type UserSignals struct {
	Purchases []Purchase                          // what they bought, most recent first
	Orders    map[uuid.UUID]int64                 // orders that held each purchased product
	Partners  map[uuid.UUID][]Partner             // products bought with each purchased product
	Content   map[uuid.UUID]map[uuid.UUID]float32 // products like each purchased product
	Popular   []Popular                           // the most ordered products, overall and in their categories
}

// ScoreForUser ranks products for a customer, best first, leaving out what they bought. It
// starts from their MaxSeeds most recent purchases, each weighted by RecencyDecay to the
// power of how many orders ago it was bought, and adds up
//   - 0.5 × the weighted mean bought-together cosine of a candidate with those purchases,
//   - 0.3 × its popularity (log of its orders, relative to the most ordered candidate) times
//     the customer's share of purchases in its category (a tenth of it outside their
//     categories; in full for a customer with no purchases: cold start),
//   - 0.2 × its best weighted content similarity to one of them. Content weighs least here:
//     what looks like a purchase is often what the customer already has (a second tent).
func ScoreForUser(s UserSignals) []Scored {
	bought := make(map[uuid.UUID]bool, len(s.Purchases))
	for _, p := range s.Purchases {
		bought[p.ProductID] = true
	}
	seeds := s.Purchases[:min(MaxSeeds, len(s.Purchases))]
	weights, total := recency(seeds)
	share := map[string]float64{}
	t := tally{}
	for i, seed := range seeds {
		w := weights[i]
		share[seed.Category] += w / total
		for _, p := range s.Partners[seed.ProductID] {
			t.add(p.ID, SignalTogether, userTogether*w/total*Cosine(p.Together, s.Orders[seed.ProductID], p.Orders),
				"often bought together with "+seed.Name)
		}
		for id, sim := range s.Content[seed.ProductID] {
			t.best(id, SignalContent, userContent*w*alike(sim), "similar to "+seed.Name)
		}
	}
	var most int64
	for _, p := range s.Popular {
		most = max(most, p.Orders)
	}
	for _, p := range s.Popular {
		if most == 0 {
			break
		}
		affinity, why := 1.0, "popular with other shoppers"
		if len(seeds) > 0 {
			affinity = elsewhere + (1-elsewhere)*share[p.Category]
			if share[p.Category] > 0 {
				why = "popular in " + p.Category
			}
		}
		t.best(p.ID, SignalPopular, userPopular*affinity*math.Log1p(float64(p.Orders))/math.Log1p(float64(most)), why)
	}
	return t.ranked(bought)
}

// recency weighs purchases (most recent first) by RecencyDecay to the power of how many
// distinct order times came after theirs, and returns the weights and their sum.
func recency(seeds []Purchase) ([]float64, float64) {
	weights := make([]float64, len(seeds))
	total, w := 0.0, 1.0
	var last time.Time
	for i, p := range seeds {
		if i > 0 && !p.LastAt.Equal(last) {
			w *= RecencyDecay
		}
		last = p.LastAt
		weights[i] = w
		total += w
	}
	return weights, total
}

// part is one signal's contribution to a candidate's score, with the reason of its strongest
// single contribution.
type part struct {
	value, strongest float64
	why              string
}

// tally gathers the contributions of the signals to each candidate.
type tally map[uuid.UUID]map[string]*part

func (t tally) part(id uuid.UUID, signal string) *part {
	if t[id] == nil {
		t[id] = map[string]*part{}
	}
	if t[id][signal] == nil {
		t[id][signal] = &part{}
	}
	return t[id][signal]
}

// add sums v into the signal's contribution.
func (t tally) add(id uuid.UUID, signal string, v float64, why string) {
	if v <= 0 {
		return
	}
	p := t.part(id, signal)
	p.value += v
	if v > p.strongest {
		p.strongest, p.why = v, why
	}
}

// best keeps the largest v as the signal's contribution.
func (t tally) best(id uuid.UUID, signal string, v float64, why string) {
	if v <= 0 {
		return
	}
	if p := t.part(id, signal); v > p.value {
		p.value, p.strongest, p.why = v, v, why
	}
}

// ranked scores every candidate not in leave, best first (ties by ID), with its signals
// strongest first and the reasons of the two strongest.
func (t tally) ranked(leave map[uuid.UUID]bool) []Scored {
	out := make([]Scored, 0, len(t))
	for id, parts := range t {
		if leave[id] {
			continue
		}
		s := Scored{ID: id}
		for signal := range parts {
			s.Signals = append(s.Signals, signal)
		}
		sort.Slice(s.Signals, func(i, j int) bool {
			a, b := parts[s.Signals[i]].value, parts[s.Signals[j]].value
			if a != b {
				return a > b
			}
			return s.Signals[i] < s.Signals[j]
		})
		var why []string
		for i, signal := range s.Signals {
			s.Score += parts[signal].value // in a fixed order, so equal inputs give equal scores
			if i < 2 {
				why = append(why, parts[signal].why)
			}
		}
		s.Score, s.Reason = min(1, s.Score), strings.Join(why, "; ")
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].ID.String() < out[j].ID.String()
	})
	return out
}
