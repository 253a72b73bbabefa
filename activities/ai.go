package activities

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/acme/orders/internal/ai"
	"github.com/acme/orders/internal/prompt"
	"github.com/acme/orders/internal/recommend"
	"github.com/acme/orders/internal/search"
)

// AI carries what the AI pipelines' activities need; they run on the "ai" task queue, whose
// rate limit protects the provider's quota. Register an *AI with the worker; workflows refer to
// its methods through a nil *AI.
type AI struct {
	// Reembedders bring the search index's embeddings of each model up to date: the offline
	// model's always, a remote model's when AI_EMBED_MODEL is set.
	Reembedders []*search.Reembedder
	// Client is the configured AI provider, for the reranking of recommendations.
	Client *ai.Client
	// Recommender gathers the reranker's input and stores its results.
	Recommender Reranking
	// Embedded, if set, is told when a batch of embeddings has been stored, so that cached
	// search answers are dropped. It must not block.
	Embedded func()
}

// ErrUnknownModel is a re-embedding request for a model this worker does not embed with.
var ErrUnknownModel = errors.New("no embedding model of that name is configured on this worker")

func (a *AI) reembedder(model string) (*search.Reembedder, error) {
	for _, r := range a.Reembedders {
		if r.Model() == model {
			return r, nil
		}
	}
	return nil, temporal.NewNonRetryableApplicationError(model+": "+ErrUnknownModel.Error(), "UnknownModel", ErrUnknownModel)
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
	if b.Embedded > 0 && a.Embedded != nil {
		a.Embedded()
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

// Reranking is what the recommendations pipeline needs from the recommender
// (recommend.Service implements it).
type Reranking interface {
	// Pending gathers a customer's candidates in the local order, with the local reasons,
	// their recent purchases, and the basis: a fingerprint of their purchases.
	Pending(ctx context.Context, user uuid.UUID, n, recent int) (recommend.Pending, error)
	// SaveReranked stores the latest result for the customer.
	SaveReranked(ctx context.Context, r recommend.Reranked) error
}

// How much the reranker reads: candidates from the local recommender, and recent purchases.
const (
	rerankCandidates = 30
	rerankPurchases  = 10
)

// RerankRequest is one customer's candidates and purchases, to be ordered by the model.
type RerankRequest struct {
	UserID uuid.UUID
	Basis  string
	Input  prompt.RerankInput
}

// GatherRecommendationInput reads the customer's candidates and recent purchases.
func (a *AI) GatherRecommendationInput(ctx context.Context, user uuid.UUID) (RerankRequest, error) {
	p, err := a.Recommender.Pending(ctx, user, rerankCandidates, rerankPurchases)
	if err != nil {
		return RerankRequest{}, err
	}
	req := RerankRequest{UserID: user, Basis: p.Basis, Input: prompt.RerankInput{
		Candidates: make([]prompt.Candidate, len(p.Candidates)), Purchases: make([]prompt.Purchase, len(p.Recent))}}
	for i, c := range p.Candidates {
		req.Input.Candidates[i] = prompt.Candidate{ID: c.Product.ID, Name: c.Product.Name, Category: c.Product.Category,
			PriceCents: c.Product.PriceCents, Reason: c.Reason}
	}
	for i, b := range p.Recent {
		req.Input.Purchases[i] = prompt.Purchase{Name: b.Name, Category: b.Category}
	}
	return req, nil
}

// Error types of the reranking activity, for the workflow and the Web UI.
const (
	ErrTypeNoModel     = "NoModel"     // no language model is configured: nothing to retry
	ErrTypeModelFailed = "ModelFailed" // the model failed or replied invalidly: retried with backoff
)

// RerankRecommendations asks the configured language model to order the candidates, with a
// one-line reason each (prompt.Rerank: the reply is validated, only candidate IDs pass). When
// the model does not give a valid answer, the activity fails so that Temporal retries it
// with backoff; the local order is never passed off as the model's.
func (a *AI) RerankRecommendations(ctx context.Context, req RerankRequest) (recommend.Reranked, error) {
	if !a.Client.Capabilities().Generate {
		return recommend.Reranked{}, temporal.NewNonRetryableApplicationError("no language model is configured (AI_PROVIDER=local)", ErrTypeNoModel, nil)
	}
	res, gen, err := prompt.Rerank(ctx, a.Client, req.Input)
	if err != nil {
		if errors.Is(err, prompt.ErrCandidates) {
			return recommend.Reranked{}, temporal.NewNonRetryableApplicationError(err.Error(), "BadCandidates", err)
		}
		return recommend.Reranked{}, err
	}
	if gen.Provider == ai.Local {
		return recommend.Reranked{}, temporal.NewApplicationError("the model gave no valid answer: "+gen.Fallback, ErrTypeModelFailed)
	}
	out := recommend.Reranked{UserID: req.UserID, Basis: req.Basis, Provider: gen.Provider, Model: gen.Model,
		Prompt: prompt.Reranker.ID(), Items: make([]recommend.RerankedItem, len(res.Items))}
	for i, it := range res.Items {
		out.Items[i] = recommend.RerankedItem{ProductID: it.ID, Reason: it.Reason}
	}
	return out, nil
}

// SaveRecommendations stores the result (or, with Provider local, that the model could not
// answer) as the customer's latest.
func (a *AI) SaveRecommendations(ctx context.Context, r recommend.Reranked) error {
	return a.Recommender.SaveReranked(ctx, r)
}
