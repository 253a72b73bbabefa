package recommend

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// SourceLLM marks recommendations ordered by a language model (see Reranked).
const SourceLLM = "llm"

// Reranked is a language model's ordering of a customer's candidates, with a one-line reason
// each, as the reranking pipeline stored it. When the model could not answer after its
// retries, Provider is "local", Items is empty and Fallback says why: the local result stands.
type Reranked struct {
	UserID      uuid.UUID
	Items       []RerankedItem
	Provider    string // the provider that answered, e.g. "openai"
	Model       string // the model that answered
	Prompt      string // the prompt template and version, e.g. "rerank.v1"
	Basis       string // the customer's purchases it was made from (see Basis)
	Fallback    string
	GeneratedAt time.Time
}

// RerankedItem is one product of a Reranked list.
type RerankedItem struct {
	ProductID uuid.UUID `json:"product_id"`
	Reason    string    `json:"reason"`
}

// RerankStore keeps each customer's latest Reranked.
type RerankStore interface {
	// LatestReranked returns the customer's latest, and false when there is none.
	LatestReranked(ctx context.Context, user uuid.UUID) (Reranked, bool, error)
	// SaveReranked replaces the customer's latest.
	SaveReranked(ctx context.Context, r Reranked) error
}

// Requester asks for a customer's candidates to be reranked in the background (a Temporal
// workflow, one at a time per customer). It must return at once: failures are its to report.
type Requester interface {
	RequestRerank(ctx context.Context, user uuid.UUID)
}

// Reranking is how long stored rerankings serve and when they are asked for again.
type Reranking struct {
	Store     RerankStore
	Requester Requester // nil: never ask (a process that only stores rerankings)
	// Fresh is how long a model's ordering is served (default 24h); a new purchase asks for a
	// new one at once, and the old one serves, filtered, until it arrives.
	Fresh time.Duration
	// RetryAfter is how long after the model failed the local result stands before the model
	// is asked again (default 15m).
	RetryAfter time.Duration
}

// WithReranking makes For serve a language model's ordering when one is stored, and ask for
// one when it is missing, stale or made from other purchases. Without it, For is local only.
func (s *Service) WithReranking(r Reranking) *Service {
	if r.Fresh <= 0 {
		r.Fresh = 24 * time.Hour
	}
	if r.RetryAfter <= 0 {
		r.RetryAfter = 15 * time.Minute
	}
	s.rerank = &r
	return s
}

// Basis is the fingerprint of a customer's purchases that a reranking is made from: it
// changes with every order placed or cancelled.
func Basis(purchases []Purchase) string {
	var orders int64
	var last time.Time
	for _, p := range purchases {
		orders += p.Orders
		if p.LastAt.After(last) {
			last = p.LastAt
		}
	}
	return fmt.Sprintf("%d/%d/%d", len(purchases), orders, last.UnixMicro())
}

// Pending is what a reranking reads: the customer's candidates in the local order, their most
// recent purchases, and the basis.
type Pending struct {
	Candidates []Item
	Recent     []Purchase
	Basis      string
}

// Pending gathers up to n candidates (as Candidates) and up to recent of a customer's
// purchases in live orders, most recent first. Returns a bad-query error for n outside
// 1..MaxCandidates or recent outside 1..MaxPurchases.
func (s *Service) Pending(ctx context.Context, user uuid.UUID, n, recent int) (Pending, error) {
	if n < 1 || n > MaxCandidates {
		return Pending{}, errLimit(MaxCandidates)
	}
	if recent < 1 || recent > MaxPurchases {
		return Pending{}, errLimit(MaxPurchases)
	}
	signals, err := s.userSignals(ctx, user)
	if err != nil {
		return Pending{}, err
	}
	items, err := s.candidates(ctx, user, signals, n)
	if err != nil {
		return Pending{}, err
	}
	return Pending{Candidates: items, Recent: signals.Purchases[:min(recent, len(signals.Purchases))], Basis: Basis(signals.Purchases)}, nil
}

// SaveReranked stores a reranking as the customer's latest.
func (s *Service) SaveReranked(ctx context.Context, r Reranked) error {
	if s.rerank == nil {
		return fmt.Errorf("recommend: no rerank store configured")
	}
	return s.rerank.Store.SaveReranked(ctx, r)
}

// reranked returns the stored ordering to serve, if any, and asks for a new one when needed.
// basis is the customer's current one.
func (s *Service) reranked(ctx context.Context, user uuid.UUID, basis string, limit int) (Recommendations, bool, error) {
	r := s.rerank
	stored, ok, err := r.Store.LatestReranked(ctx, user)
	if err != nil {
		return Recommendations{}, false, err
	}
	age := s.now().Sub(stored.GeneratedAt)
	failed := ok && stored.Provider == ProviderLocal
	asked := r.Requester != nil && (!ok || stored.Basis != basis || (failed && age > r.RetryAfter) || (!failed && age > r.Fresh))
	if asked {
		r.Requester.RequestRerank(ctx, user)
	}
	if !ok || failed || age > r.Fresh || len(stored.Items) == 0 {
		return Recommendations{Refreshing: asked}, false, nil
	}
	ids := make([]uuid.UUID, len(stored.Items))
	for i, it := range stored.Items {
		ids[i] = it.ProductID
	}
	products, err := s.store.Products(ctx, ids, Filter{InStock: true, NotBoughtBy: &user})
	if err != nil {
		return Recommendations{}, false, err
	}
	out := Recommendations{Source: SourceLLM, Provider: stored.Provider, GeneratedAt: stored.GeneratedAt.UTC(), Refreshing: asked}
	for _, it := range stored.Items {
		if p, ok := products[it.ProductID]; ok && len(out.Items) < limit {
			out.Items = append(out.Items, Item{Product: p, Reason: it.Reason})
		}
	}
	return out, len(out.Items) > 0, nil
}
