package search

import (
	"container/heap"
	"encoding/binary"
	"errors"
	"math"

	"github.com/google/uuid"
)

// Vectors finds the stored embeddings nearest to a query vector. BruteForce scans them all; an
// approximate index or pgvector can take its place for catalogues of millions.
type Vectors interface {
	// Nearest returns up to k items whose cosine similarity to q (a unit vector) is at least
	// min, most similar first, keeping only items in category when it is not empty.
	Nearest(q []float32, k int, min float32, category string) []Neighbour
	// Len is the number of vectors held.
	Len() int
}

// Neighbour is one stored item and its similarity to the query.
type Neighbour struct {
	ID         uuid.UUID
	Similarity float32
}

// Item is one embedding to hold.
type Item struct {
	ID       uuid.UUID
	Category string
	Vector   []float32
}

// BruteForce holds unit vectors contiguously and scans all of them per query: with 100
// dimensions that is a few milliseconds per 100,000 items on one core. It is immutable once
// built, so concurrent queries need no lock.
type BruteForce struct {
	dims int
	ids  []uuid.UUID
	cats []string
	data []float32 // len(ids) × dims
}

// NewBruteForce builds the scan over items, all of dims components; items of another length
// are skipped.
func NewBruteForce(dims int, items []Item) *BruteForce {
	b := &BruteForce{dims: dims, ids: make([]uuid.UUID, 0, len(items)), cats: make([]string, 0, len(items)),
		data: make([]float32, 0, len(items)*dims)}
	for _, it := range items {
		if len(it.Vector) != dims {
			continue
		}
		b.ids = append(b.ids, it.ID)
		b.cats = append(b.cats, it.Category)
		b.data = append(b.data, it.Vector...)
	}
	return b
}

// Len implements Vectors.
func (b *BruteForce) Len() int { return len(b.ids) }

// Nearest implements Vectors with a bounded min-heap of the best k.
func (b *BruteForce) Nearest(q []float32, k int, min float32, category string) []Neighbour {
	if len(q) != b.dims || k <= 0 {
		return nil
	}
	h := make(neighbourHeap, 0, k)
	for i := range b.ids {
		if category != "" && b.cats[i] != category {
			continue
		}
		v := b.data[i*b.dims : (i+1)*b.dims : (i+1)*b.dims]
		var s float32
		for j, x := range v {
			s += x * q[j]
		}
		switch {
		case s < min:
		case len(h) < k:
			heap.Push(&h, Neighbour{b.ids[i], s})
		case s > h[0].Similarity:
			h[0] = Neighbour{b.ids[i], s}
			heap.Fix(&h, 0)
		}
	}
	out := make([]Neighbour, len(h))
	for i := len(h) - 1; i >= 0; i-- {
		out[i] = heap.Pop(&h).(Neighbour)
	}
	return out
}

type neighbourHeap []Neighbour

func (h neighbourHeap) Len() int           { return len(h) }
func (h neighbourHeap) Less(i, j int) bool { return h[i].Similarity < h[j].Similarity }
func (h neighbourHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *neighbourHeap) Push(x any)        { *h = append(*h, x.(Neighbour)) }
func (h *neighbourHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// EncodeVector is the stored form of an embedding: float32 little-endian.
func EncodeVector(v []float32) []byte {
	out := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(out[4*i:], math.Float32bits(x))
	}
	return out
}

// ErrBadVector reports a stored embedding that is not a whole number of float32s.
var ErrBadVector = errors.New("search: stored embedding has a bad length")

// DecodeVector reads an embedding written by EncodeVector.
func DecodeVector(b []byte) ([]float32, error) {
	if len(b)%4 != 0 {
		return nil, ErrBadVector
	}
	out := make([]float32, len(b)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out, nil
}
