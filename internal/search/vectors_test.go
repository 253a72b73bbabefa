package search

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/ai/glove"
)

func randomItems(n, dims int, seed uint64) []Item {
	r := rand.New(rand.NewPCG(seed, seed+1))
	items := make([]Item, n)
	for i := range items {
		v := make([]float32, dims)
		for j := range v {
			v[j] = float32(r.NormFloat64())
		}
		glove.Normalize(v)
		items[i] = Item{ID: uuid.New(), Category: []string{"A", "B", "C"}[i%3], Vector: v}
	}
	return items
}

// The scan returns what sorting every item by cosine would, category filter included (the
// similarities equal up to float32 rounding: the scan sums in another order).
func TestBruteForceMatchesAFullSort(t *testing.T) {
	t.Parallel()
	items := randomItems(2000, 16, 7)
	b := NewBruteForce(16, items)
	q := randomItems(1, 16, 99)[0].Vector
	for _, cat := range []string{"", "B"} {
		var want []Neighbour
		for _, it := range items {
			if s := glove.Dot(q, it.Vector); (cat == "" || it.Category == cat) && s >= 0.1 {
				want = append(want, Neighbour{it.ID, s})
			}
		}
		sort.Slice(want, func(i, j int) bool { return want[i].Similarity > want[j].Similarity })
		got := b.Nearest(q, 25, 0.1, cat)
		same := func(a, b Neighbour) bool { return a.ID == b.ID && math.Abs(float64(a.Similarity-b.Similarity)) < 1e-6 }
		if !slices.EqualFunc(got, want[:25], same) {
			t.Fatalf("category %q: got %v, want %v", cat, got[:3], want[:3])
		}
	}
	if got := b.Nearest(q, 10, 2, ""); len(got) != 0 {
		t.Fatalf("nothing is more similar than 1, got %v", got)
	}
	if got := b.Nearest([]float32{1}, 10, 0, ""); got != nil {
		t.Fatal("a query of the wrong length should match nothing")
	}
}

func TestVectorEncoding(t *testing.T) {
	t.Parallel()
	v := []float32{0.25, -1, 3.5e-7}
	got, err := DecodeVector(EncodeVector(v))
	if err != nil || !slices.Equal(got, v) {
		t.Fatalf("round trip = %v, %v", got, err)
	}
	if _, err := DecodeVector([]byte{1, 2, 3}); err == nil {
		t.Fatal("a partial float should be refused")
	}
}

// The unrolled dot product is the plain sum, up to float32 rounding, for every length.
func TestDot(t *testing.T) {
	t.Parallel()
	items := randomItems(2, 103, 5)
	for n := 0; n <= 103; n++ {
		a, b := items[0].Vector[:n], items[1].Vector[:n]
		var want float32
		for i := range a {
			want += a[i] * b[i]
		}
		if got := dot(a, b); math.Abs(float64(got-want)) > 1e-5 {
			t.Fatalf("length %d: dot = %v, want %v", n, got, want)
		}
	}
}

// BenchmarkBruteForce100k and BenchmarkBruteForce1M are the in-process scan over 100,000
// and 1,000,000 random unit vectors of the embedding's 100 dimensions, keeping the best 100
// of cosine 0.3 or more (random vectors rarely are, so this is the scan's own cost).
func BenchmarkBruteForce100k(b *testing.B) { benchmarkBruteForce(b, 100_000) }
func BenchmarkBruteForce1M(b *testing.B)   { benchmarkBruteForce(b, 1_000_000) }

func benchmarkBruteForce(b *testing.B, n int) {
	items := randomItems(n, 100, 1)
	bf := NewBruteForce(100, items)
	items = nil
	queries := randomItems(64, 100, 2)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		bf.Nearest(queries[i%len(queries)].Vector, 100, 0.3, "")
	}
}
