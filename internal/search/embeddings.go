package search

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/acme/orders/db/sqlc"
	"github.com/acme/orders/internal/ai"
	"github.com/acme/orders/internal/ai/glove"
)

// TextEmbedder embeds a batch of texts with one model, which may be remote: it takes a context
// and may fail.
type TextEmbedder interface {
	// EmbedTexts returns one unit vector per text, in order.
	EmbedTexts(ctx context.Context, texts []string) ([][]float32, error)
	// Model names the model; vectors of different models are never compared.
	Model() string
	// Local reports whether this is the offline model, whose vectors live in the documents
	// themselves (remote models' vectors live in search_embeddings).
	Local() bool
}

// LocalTexts is the TextEmbedder over the offline GloVe model.
type LocalTexts struct{ M *glove.Model }

// EmbedTexts implements TextEmbedder.
func (l LocalTexts) EmbedTexts(_ context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		out[i], _ = l.M.Embed(t)
	}
	return out, nil
}

// Model implements TextEmbedder.
func (LocalTexts) Model() string { return glove.ModelName }

// Local implements TextEmbedder.
func (LocalTexts) Local() bool { return true }

// ErrEmbeddingFallback reports that the remote model did not answer and the AI client fell
// back to the offline model, whose vectors must not be stored or compared as the remote model's.
var ErrEmbeddingFallback = errors.New("search: the embedding model did not answer (the offline model stood in)")

// RemoteTexts is the TextEmbedder over the configured AI provider's embedding model
// (AI_EMBED_MODEL). It refuses the AI client's offline fallback: a batch the model did not
// embed fails, and is retried by the caller.
type RemoteTexts struct {
	Client *ai.Client
	Name   string // the configured model name, under which the vectors are stored
}

// EmbedTexts implements TextEmbedder.
func (r RemoteTexts) EmbedTexts(ctx context.Context, texts []string) ([][]float32, error) {
	out, err := r.Client.Embed(ctx, texts)
	if err != nil {
		return nil, err
	}
	if out.Fallback != "" || out.Provider == ai.Local {
		return nil, fmt.Errorf("%w: %s", ErrEmbeddingFallback, out.Fallback)
	}
	return out.Vectors, nil
}

// Model implements TextEmbedder.
func (r RemoteTexts) Model() string { return r.Name }

// Local implements TextEmbedder.
func (RemoteTexts) Local() bool { return false }

// Reembedder brings one model's stored embeddings of the search index up to date, in batches
// that each commit on their own, so a crash or a retry loses at most one batch of work. A
// document that changes while its batch is being embedded is left for the next pass (or, for
// the offline model, for the projection), never stored with a vector of its old text.
type Reembedder struct {
	q     *sqlc.Queries
	embed TextEmbedder
}

// NewReembedder returns a Reembedder for embed's model over pool.
func NewReembedder(pool *pgxpool.Pool, embed TextEmbedder) *Reembedder {
	return &Reembedder{q: sqlc.New(pool), embed: embed}
}

// Model is the model this Reembedder embeds with.
func (r *Reembedder) Model() string { return r.embed.Model() }

// Stale counts the documents without a current embedding of the model.
func (r *Reembedder) Stale(ctx context.Context) (int64, error) {
	return r.q.EmbeddingsStaleCount(ctx, sqlc.EmbeddingsStaleCountParams{Local: r.embed.Local(), Model: r.embed.Model()})
}

// Batch is what one call to Reembedder.Next did.
type Batch struct {
	Embedded int64     // vectors stored
	Read     int       // documents read (some may have changed meanwhile and were skipped)
	Last     uuid.UUID // the last product ID read: the next batch starts after it
}

// Next embeds up to n stale documents with product IDs above after. Read is 0 when no stale
// document is left above after.
func (r *Reembedder) Next(ctx context.Context, after uuid.UUID, n int) (Batch, error) {
	rows, err := r.q.EmbeddingsStale(ctx, sqlc.EmbeddingsStaleParams{After: after, Local: r.embed.Local(), Model: r.embed.Model(), MaxRows: int32(n)})
	if err != nil || len(rows) == 0 {
		return Batch{Last: after}, err
	}
	texts := make([]string, len(rows))
	ids := make([]uuid.UUID, len(rows))
	positions := make([]int64, len(rows))
	for i, row := range rows {
		texts[i], ids[i], positions[i] = row.EmbedText, row.ProductID, row.Position
	}
	vectors, err := r.embed.EmbedTexts(ctx, texts)
	if err != nil {
		return Batch{Last: after}, err
	}
	if len(vectors) != len(rows) {
		return Batch{Last: after}, fmt.Errorf("search: %d vectors for %d texts", len(vectors), len(rows))
	}
	encoded := make([][]byte, len(vectors))
	for i, v := range vectors {
		encoded[i] = EncodeVector(v)
	}
	var stored int64
	if r.embed.Local() {
		stored, err = r.q.EmbeddingsSetLocal(ctx, sqlc.EmbeddingsSetLocalParams{Model: r.embed.Model(), ProductIds: ids, Embeddings: encoded, Positions: positions})
	} else {
		stored, err = r.q.EmbeddingsSetRemote(ctx, sqlc.EmbeddingsSetRemoteParams{Model: r.embed.Model(), ProductIds: ids, Embeddings: encoded, Positions: positions})
	}
	return Batch{Embedded: stored, Read: len(rows), Last: ids[len(ids)-1]}, err
}

// Prune removes a remote model's vectors of products that left the index; it does nothing for
// the offline model, whose vectors leave with their documents.
func (r *Reembedder) Prune(ctx context.Context) (int64, error) {
	if r.embed.Local() {
		return 0, nil
	}
	return r.q.EmbeddingsPrune(ctx, r.embed.Model())
}
