package search

import (
	"context"

	"github.com/google/uuid"

	"github.com/acme/orders/db/sqlc"
	"github.com/acme/orders/internal/ai/glove"
)

// Embedder turns a text into a unit vector for the search index and for queries.
type Embedder interface {
	// Embed returns the text's vector and whether any of its words was known.
	Embed(text string) ([]float32, bool)
	// Model names the embedding model; vectors of different models are never compared.
	Model() string
	// Dims is the vector length.
	Dims() int
}

// WordVectors is the Embedder over the offline GloVe model.
type WordVectors struct{ M *glove.Model }

// Embed implements Embedder.
func (w WordVectors) Embed(text string) ([]float32, bool) {
	v, known := w.M.Embed(text)
	return v, known > 0
}

// Model implements Embedder.
func (WordVectors) Model() string { return glove.ModelName }

// Dims implements Embedder.
func (w WordVectors) Dims() int { return w.M.Dims() }

// ProjectionName is the search index's checkpoint name.
const ProjectionName = "search_index"

// Index is the search_index projection: the full-text document, trigram text and embedding
// of every live product, kept up to date from ProductCreated, ProductUpdated and
// ProductDeleted, and rebuildable by replay like the other read models.
type Index struct{ Embedder Embedder }

// Name implements projection.Projection.
func (Index) Name() string { return ProjectionName }

// Background implements projection.Background: a new product may take a moment to become
// searchable.
func (Index) Background() bool { return true }

// embedBatch is how many documents are embedded per statement.
const embedBatch = 1000

// Apply implements projection.Projection: the documents in one statement, then the embeddings
// of the documents that lack one, in batches, in the same transaction.
func (x Index) Apply(ctx context.Context, q *sqlc.Queries, after, upto int64) error {
	if err := q.SearchIndexApply(ctx, sqlc.SearchIndexApplyParams{After: after, Upto: upto}); err != nil {
		return err
	}
	return x.EmbedPending(ctx, q)
}

// EmbedPending embeds every document that has no embedding yet.
func (x Index) EmbedPending(ctx context.Context, q *sqlc.Queries) error {
	for {
		rows, err := q.SearchUnembedded(ctx, embedBatch)
		if err != nil || len(rows) == 0 {
			return err
		}
		ids := make([]uuid.UUID, len(rows))
		vecs := make([][]byte, len(rows))
		for i, r := range rows {
			v, _ := x.Embedder.Embed(r.EmbedText)
			ids[i], vecs[i] = r.ProductID, EncodeVector(v)
		}
		if err := q.SearchSetEmbeddings(ctx, sqlc.SearchSetEmbeddingsParams{ProductIds: ids, Embeddings: vecs, EmbedModel: x.Embedder.Model()}); err != nil {
			return err
		}
	}
}

// Truncate implements projection.Projection.
func (Index) Truncate(ctx context.Context, q *sqlc.Queries) error { return q.SearchTruncate(ctx) }

// Checksum implements projection.Projection.
func (Index) Checksum(ctx context.Context, q *sqlc.Queries) (int64, string, error) {
	r, err := q.SearchChecksum(ctx)
	return r.Rows, r.Checksum, err
}
