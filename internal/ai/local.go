package ai

import (
	"context"

	"github.com/acme/orders/internal/ai/glove"
)

// LocalProvider is the offline provider: embeddings from the GloVe word vectors embedded in the
// binary, and no generation (callers answer with their rule-based fallback instead).
type LocalProvider struct{ model *glove.Model }

// NewLocal returns the local provider over the embedded word vectors.
func NewLocal() (*LocalProvider, error) {
	m, err := glove.Default()
	if err != nil {
		return nil, err
	}
	return &LocalProvider{model: m}, nil
}

// Name implements Provider.
func (*LocalProvider) Name() string { return Local }

// Capabilities implements Provider: embeddings only.
func (*LocalProvider) Capabilities() Capabilities { return Capabilities{Embed: true} }

// Model is the word-vector model, for callers that embed in a hot loop.
func (l *LocalProvider) Model() *glove.Model { return l.model }

// Generate implements Provider: the local provider has no language model, so ErrUnsupported.
func (*LocalProvider) Generate(context.Context, GenerateRequest) (Generation, error) {
	return Generation{}, ErrUnsupported
}

// Embed implements Provider: the IDF-weighted mean of each text's word vectors.
func (l *LocalProvider) Embed(_ context.Context, texts []string) (Embeddings, error) {
	out := Embeddings{Provider: Local, Model: glove.ModelName, Vectors: make([][]float32, len(texts))}
	for i, t := range texts {
		out.Vectors[i], _ = l.model.Embed(t)
	}
	return out, nil
}
