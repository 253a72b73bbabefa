package glove

import (
	"math"
	"sort"
	"strings"
)

// Model is a vocabulary of unit-length word vectors with the frequency rank of each word. It is
// read-only after loading and safe for concurrent use.
type Model struct {
	dims    int
	words   []string
	ranks   []uint32
	index   map[string]int32
	vectors []float32 // len(words) × dims, contiguous
}

// Dims is the length of every vector the model returns.
func (m *Model) Dims() int { return m.dims }

// Len is the number of words in the vocabulary.
func (m *Model) Len() int { return len(m.words) }

// lookup finds a word, trying the singular of a plural the vocabulary lacks.
func (m *Model) lookup(w string) (int32, bool) {
	if i, ok := m.index[w]; ok {
		return i, true
	}
	for _, suffix := range []string{"es", "s"} {
		if base, ok := strings.CutSuffix(w, suffix); ok && len(base) > 2 {
			if i, ok := m.index[base]; ok {
				return i, true
			}
		}
	}
	return 0, false
}

// Vector returns the unit vector of word (lowercase letters), and false if the word is not in
// the vocabulary. The slice is shared: do not modify it.
func (m *Model) Vector(word string) ([]float32, bool) {
	i, ok := m.lookup(word)
	if !ok {
		return nil, false
	}
	return m.vectors[int(i)*m.dims : (int(i)+1)*m.dims], true
}

// idfScale sets where the rank-based IDF starts to count: the hundred or so most frequent
// words (the, of, and, with ...) weigh close to nothing.
const idfScale = 50

// Weight is the IDF estimate of the word at the given frequency rank: ln(1 + rank/50).
func Weight(rank uint32) float32 { return float32(math.Log1p(float64(rank) / idfScale)) }

// Embed returns the unit-length, IDF-weighted mean of the vectors of the words of text, and
// the number of words it found in the vocabulary. A text with no known word gives a zero
// vector and 0.
func (m *Model) Embed(text string) ([]float32, int) {
	out := make([]float32, m.dims)
	known := 0
	for _, w := range Tokenize(text) {
		i, ok := m.lookup(w)
		if !ok {
			continue
		}
		known++
		wt := Weight(m.ranks[i])
		v := m.vectors[int(i)*m.dims : (int(i)+1)*m.dims]
		for j := range out {
			out[j] += wt * v[j]
		}
	}
	Normalize(out)
	return out, known
}

// Normalize scales v to unit length in place; a zero vector stays zero.
func Normalize(v []float32) {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	if s == 0 {
		return
	}
	inv := float32(1 / math.Sqrt(s))
	for i := range v {
		v[i] *= inv
	}
}

// Dot is the dot product of two vectors of equal length (the cosine, for unit vectors).
func Dot(a, b []float32) float32 {
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// Neighbour is a word and its cosine similarity to a query.
type Neighbour struct {
	Word       string
	Similarity float32
}

// Nearest returns the k words closest to word by cosine, excluding the word itself, most
// similar first; nil if the word is not in the vocabulary. It scans the whole vocabulary, and
// is meant for inspection and tests rather than the request path.
func (m *Model) Nearest(word string, k int) []Neighbour {
	q, ok := m.Vector(word)
	if !ok {
		return nil
	}
	self, _ := m.lookup(word)
	all := make([]Neighbour, 0, len(m.words))
	for i := range m.words {
		if int32(i) == self {
			continue
		}
		all = append(all, Neighbour{m.words[i], Dot(q, m.vectors[i*m.dims:(i+1)*m.dims])})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Similarity > all[j].Similarity })
	return all[:min(k, len(all))]
}
