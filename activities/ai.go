package activities

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/acme/orders/internal/search"
)

// AI carries what the AI pipelines' activities need; they run on the "ai" task queue, whose
// rate limit protects the provider's quota. Register an *AI with the worker; workflows refer to
// its methods through a nil *AI.
type AI struct {
	// Reembedders bring the search index's embeddings of each model up to date, by model name:
	// the offline model's always, a remote model's when AI_EMBED_MODEL is set.
	Reembedders map[string]*search.Reembedder
}

// ErrUnknownModel is a re-embedding request for a model this worker does not embed with.
var ErrUnknownModel = errors.New("no embedding model of that name is configured on this worker")

func (a *AI) reembedder(model string) (*search.Reembedder, error) {
	r, ok := a.Reembedders[model]
	if !ok {
		return nil, temporal.NewNonRetryableApplicationError(model+": "+ErrUnknownModel.Error(), "UnknownModel", ErrUnknownModel)
	}
	return r, nil
}

// CountStaleEmbeddings counts the search documents without a current embedding of the model.
func (a *AI) CountStaleEmbeddings(ctx context.Context, model string) (int64, error) {
	r, err := a.reembedder(model)
	if err != nil {
		return 0, err
	}
	return r.Stale(ctx)
}

// ReembedInput asks for the next batch of one model's stale documents.
type ReembedInput struct {
	Model string
	After uuid.UUID // the last product ID of the previous batch (zero: from the start)
	Size  int
}

// ReembedBatch embeds and stores the next batch. A provider failure (including the AI
// client's offline fallback, whose vectors are not the model's) is returned for Temporal to
// retry with backoff; the batch's transaction-free writes are idempotent.
func (a *AI) ReembedBatch(ctx context.Context, in ReembedInput) (search.Batch, error) {
	r, err := a.reembedder(in.Model)
	if err != nil {
		return search.Batch{}, err
	}
	b, err := r.Next(ctx, in.After, in.Size)
	if err != nil {
		activity.GetLogger(ctx).Warn("re-embedding batch failed", "model", in.Model, "error", err)
	}
	return b, err
}

// PruneEmbeddings removes the model's vectors of products that are no longer in the index.
func (a *AI) PruneEmbeddings(ctx context.Context, model string) (int64, error) {
	r, err := a.reembedder(model)
	if err != nil {
		return 0, err
	}
	return r.Prune(ctx)
}
