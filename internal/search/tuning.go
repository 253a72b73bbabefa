package search

// Tuning holds the parameters of the signals and of their fusion. DefaultTuning is what the
// search suite of `make eval` measured best on the judged queries (docs/ai-evaluation.md);
// change it with that evaluation at hand.
type Tuning struct {
	// Candidates is how many hits each signal brings to the fusion.
	Candidates int
	// RRFK is the rank constant of the reciprocal rank fusion: the hit at rank r (from 1) of
	// a signal adds weight × (its score ÷ the signal's best score) ÷ (RRFK + r) to the
	// product's score. Scaling by the relative score keeps one signal's clear winner (an
	// exact SKU) from being overturned by products that two signals rank low.
	RRFK float64
	// FullTextWeight, TrigramWeight and EmbeddingWeight scale each signal's contribution.
	FullTextWeight, TrigramWeight, EmbeddingWeight float64
	// FieldWeights are ts_rank's weights of the full-text document's fields, in PostgreSQL's
	// order {D, C, B, A}: description is C, category and SKU B, name A.
	FieldWeights [4]float32
	// TrigramThreshold is the least strict word similarity of a spelling match.
	TrigramThreshold float32
	// EmbeddingFloor is the least cosine of a match in meaning.
	EmbeddingFloor float32
}

// DefaultTuning is the tuning a new Service starts with.
func DefaultTuning() Tuning {
	return Tuning{
		Candidates:       100,
		RRFK:             60,
		FullTextWeight:   1,
		TrigramWeight:    3,
		EmbeddingWeight:  0.75,
		FieldWeights:     [4]float32{0.1, 0.8, 0.6, 1},
		TrigramThreshold: 0.35,
		EmbeddingFloor:   0.4,
	}
}

// weight is the contribution weight of signal.
func (t Tuning) weight(signal string) float64 {
	switch signal {
	case SignalFullText:
		return t.FullTextWeight
	case SignalTrigram:
		return t.TrigramWeight
	case SignalEmbedding:
		return t.EmbeddingWeight
	}
	return 0
}
