package recommend_test

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/recommend"
)

func TestCosineIsDamped(t *testing.T) {
	t.Parallel()
	cases := []struct {
		together, a, b int64
		want           float64
	}{
		{1, 1, 1, 0.5},           // one shared order between two products that sold once
		{3, 3, 3, 0.75},          // three out of three: more evidence, more certainty
		{2, 4, 9, 2.0 / 7},       // 2 / (sqrt(36) + 1)
		{1, 100, 100, 1.0 / 101}, // two best sellers that met once
		{0, 5, 5, 0},
		{1, 0, 5, 0},
	}
	for _, c := range cases {
		if got := recommend.Cosine(c.together, c.a, c.b); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("Cosine(%d, %d, %d) = %v, want %v", c.together, c.a, c.b, got, c.want)
		}
	}
}

func ids(n int) []uuid.UUID {
	out := make([]uuid.UUID, n)
	for i := range out {
		out[i] = uuid.New()
	}
	return out
}

func scoredIDs(s []recommend.Scored) []uuid.UUID {
	out := make([]uuid.UUID, len(s))
	for i, x := range s {
		out[i] = x.ID
	}
	return out
}

// checkRanked checks what every scorer promises: scores in (0, 1], best first, a reason and
// signals for each.
func checkRanked(t *testing.T, s []recommend.Scored) {
	t.Helper()
	for i, x := range s {
		if x.Score <= 0 || x.Score > 1 || x.Reason == "" || len(x.Signals) == 0 {
			t.Fatalf("item %d: %+v", i, x)
		}
		if i > 0 && x.Score > s[i-1].Score {
			t.Fatalf("not sorted: %v before %v", s[i-1].Score, x.Score)
		}
	}
}

// Similar products: products bought together again and again come before products that are
// merely alike, a single shared order between best sellers counts for little, and the
// product itself never appears.
func TestScoreSimilar(t *testing.T) {
	t.Parallel()
	p := ids(6)
	self, partner, twin, bestSeller, unrelated, both := p[0], p[1], p[2], p[3], p[4], p[5]
	got := recommend.ScoreSimilar(recommend.ProductSignals{
		ID: self, Name: "Hearthwell Dutch Oven", Orders: 4,
		Partners: []recommend.Partner{
			{ID: partner, Together: 3, Orders: 3},
			{ID: bestSeller, Together: 1, Orders: 200},
			{ID: both, Together: 1, Orders: 2},
		},
		Content: map[uuid.UUID]float32{self: 1, twin: 0.97, unrelated: 0.75, both: 0.95},
	})
	checkRanked(t, got)
	order := scoredIDs(got)
	if slices.Contains(order, self) || slices.Contains(order, unrelated) {
		t.Fatalf("the product itself or an unrelated one is suggested: %v", got)
	}
	if slices.Index(order, partner) > slices.Index(order, twin) || slices.Index(order, bestSeller) != len(order)-1 {
		t.Fatalf("want the frequent partner before the look-alike and the chance best seller last, got %+v", got)
	}
	if slices.Index(order, both) > slices.Index(order, twin) {
		t.Fatalf("alike and bought together should beat alike alone: %+v", got)
	}
	if i := slices.Index(order, partner); got[i].Reason != "often bought together with Hearthwell Dutch Oven" ||
		!slices.Equal(got[i].Signals, []string{recommend.SignalTogether}) {
		t.Fatalf("partner: %+v", got[i])
	}
	i := slices.Index(order, both)
	if !strings.Contains(got[i].Reason, "bought together") || !strings.Contains(got[i].Reason, "similar to Hearthwell Dutch Oven") {
		t.Fatalf("a product with two signals should name both: %+v", got[i])
	}
}

// A customer's recommendations: never what they bought; what goes with their latest order
// before what went with an old one; popular products of their own categories before those of
// others.
func TestScoreForUser(t *testing.T) {
	t.Parallel()
	p := ids(9)
	recent, old, withRecent, withOld, alikeRecent, popularMine, popularElsewhere, boughtPartner, far := p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8]
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	signals := recommend.UserSignals{
		Purchases: []recommend.Purchase{
			{ProductID: recent, Name: "Laptop", Category: "Electronics", Orders: 1, LastAt: now},
			{ProductID: boughtPartner, Name: "Mouse", Category: "Electronics", Orders: 1, LastAt: now},
			{ProductID: old, Name: "Yoga Mat", Category: "Sports", Orders: 1, LastAt: now.Add(-30 * 24 * time.Hour)},
		},
		Orders: map[uuid.UUID]int64{recent: 5, old: 5, boughtPartner: 4},
		Partners: map[uuid.UUID][]recommend.Partner{
			recent: {{ID: withRecent, Together: 2, Orders: 5}, {ID: boughtPartner, Together: 3, Orders: 4}},
			old:    {{ID: withOld, Together: 2, Orders: 5}},
		},
		Content: map[uuid.UUID]map[uuid.UUID]float32{recent: {alikeRecent: 0.95, far: 0.6}},
		Popular: []recommend.Popular{
			{ID: popularElsewhere, Category: "Garden", Orders: 90},
			{ID: popularMine, Category: "Electronics", Orders: 30},
			{ID: recent, Category: "Electronics", Orders: 5},
		},
	}
	got := recommend.ScoreForUser(signals)
	checkRanked(t, got)
	order := scoredIDs(got)
	for _, b := range []uuid.UUID{recent, old, boughtPartner} {
		if slices.Contains(order, b) {
			t.Fatalf("suggests a product the customer bought: %+v", got)
		}
	}
	if slices.Contains(order, far) {
		t.Fatalf("suggests a product below the content floor: %+v", got)
	}
	before := func(a, b uuid.UUID, why string) {
		t.Helper()
		ia, ib := slices.Index(order, a), slices.Index(order, b)
		if ia < 0 || ib < 0 || ia > ib {
			t.Errorf("%s: positions %d and %d in %+v", why, ia, ib, got)
		}
	}
	before(withRecent, withOld, "the latest order weighs more than an old one")
	before(popularMine, popularElsewhere, "popular in the customer's categories beats more popular elsewhere")
	for _, s := range got {
		switch s.ID {
		case withRecent:
			if s.Reason != "often bought together with Laptop" {
				t.Errorf("reason %q", s.Reason)
			}
		case alikeRecent:
			if s.Reason != "similar to Laptop" {
				t.Errorf("reason %q", s.Reason)
			}
		case popularMine:
			if s.Reason != "popular in Electronics" {
				t.Errorf("reason %q", s.Reason)
			}
		}
	}
	if again := recommend.ScoreForUser(signals); !reflect.DeepEqual(again, got) {
		t.Fatal("the same inputs gave another ranking")
	}
}

// A customer with no purchases gets the most popular products overall.
func TestScoreForUserColdStart(t *testing.T) {
	t.Parallel()
	p := ids(3)
	got := recommend.ScoreForUser(recommend.UserSignals{Popular: []recommend.Popular{
		{ID: p[0], Category: "Garden", Orders: 9}, {ID: p[1], Category: "Books", Orders: 40}, {ID: p[2], Category: "Office", Orders: 1},
	}})
	checkRanked(t, got)
	if !slices.Equal(scoredIDs(got), []uuid.UUID{p[1], p[0], p[2]}) {
		t.Fatalf("cold start = %+v, want by popularity", got)
	}
	if got[0].Reason != "popular with other shoppers" || got[0].Score <= got[1].Score || got[1].Score <= got[2].Score {
		t.Fatalf("cold start = %+v, want strictly by popularity, with the reason", got)
	}
	if got := recommend.ScoreForUser(recommend.UserSignals{}); len(got) != 0 {
		t.Fatalf("nothing known, yet %+v", got)
	}
}
