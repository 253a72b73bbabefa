package search

import (
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

// The scan returns exactly what sorting every item by cosine would, category filter included.
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
		if !slices.Equal(got, want[:25]) {
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

// BenchmarkBruteForce100k is the in-process scan over 100,000 catalogue-sized vectors.
func BenchmarkBruteForce100k(b *testing.B) {
	items := randomItems(100_000, 100, 1)
	bf := NewBruteForce(100, items)
	q := items[0].Vector
	b.ResetTimer()
	for range b.N {
		bf.Nearest(q, 100, 0.3, "")
	}
}
