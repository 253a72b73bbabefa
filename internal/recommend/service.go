package recommend

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
)

// Sizes of the lists and of the candidate pools the scorers draw from.
const (
	// MaxLimit is the longest list Similar and For return.
	MaxLimit = 100
	// MaxCandidates is the longest list Candidates returns.
	MaxCandidates = 200
	// MaxPurchases is the most purchases Pending returns; it is also how many of a
	// customer's purchases the scorer leaves out (the store leaves out the rest).
	MaxPurchases = 500

	partnersPerSeed = 50 // bought-together partners read per purchase or product
	contentExtra    = 20 // content neighbours of a product beyond the list's length
	contentSeeds    = 10 // a customer's most recent purchases whose content neighbours count
	contentPerSeed  = 30
	popularPer      = 20 // most ordered products per category of the customer's ...
	popularOverall  = 50 // ... and overall
)

// Service suggests products from the co_purchase read model, the catalogue and a content
// index.
type Service struct {
	store   Store
	content ContentIndex
	now     func() time.Time
	rerank  *Reranking // nil: local only
}

// NewService returns a Service over store; content may be nil, which leaves out the content
// signal.
func NewService(store Store, content ContentIndex) *Service {
	return &Service{store: store, content: content, now: time.Now}
}

// Similar returns up to limit live products like product id, best first, blending bought
// together and content (ScoreSimilar). Returns ErrProductNotFound for an unknown or deleted
// product and a bad-query error for a limit outside 1..MaxLimit.
func (s *Service) Similar(ctx context.Context, id uuid.UUID, limit int) ([]Item, error) {
	if limit < 1 || limit > MaxLimit {
		return nil, errLimit(MaxLimit)
	}
	p, err := s.store.Product(ctx, id)
	if err != nil {
		return nil, err
	}
	partners, orders, err := s.store.Partners(ctx, []uuid.UUID{id}, partnersPerSeed)
	if err != nil {
		return nil, err
	}
	content, err := s.related(ctx, id, limit+contentExtra)
	if err != nil {
		return nil, err
	}
	scored := ScoreSimilar(ProductSignals{ID: id, Name: p.Name, Orders: orders[id], Partners: partners[id], Content: content})
	return s.resolve(ctx, scored, limit, Filter{})
}

// For returns up to limit recommendations for a customer. Locally scored ones (Candidates:
// Source and Provider "local", GeneratedAt now) answer at once; with WithReranking, a language
// model's stored ordering of them is served instead when there is a fresh one (Source "llm",
// the provider that wrote it and when), and a new ordering is asked for in the background when
// it is missing, stale or made before the customer's latest order. Returns a bad-query error
// for a limit outside 1..MaxLimit.
func (s *Service) For(ctx context.Context, user uuid.UUID, limit int) (Recommendations, error) {
	if limit < 1 || limit > MaxLimit {
		return Recommendations{}, errLimit(MaxLimit)
	}
	purchases, err := s.store.Purchases(ctx, user, MaxPurchases)
	if err != nil {
		return Recommendations{}, err
	}
	var refreshing bool
	if s.rerank != nil {
		// A stored ordering needs only the purchases' basis: the rest of the signals are read
		// when the local scorer answers.
		out, ok, err := s.reranked(ctx, user, Basis(purchases), limit)
		if err != nil || ok {
			return out, err
		}
		refreshing = out.Refreshing
	}
	signals, err := s.signalsFrom(ctx, purchases)
	if err != nil {
		return Recommendations{}, err
	}
	items, err := s.candidates(ctx, user, signals, limit)
	if err != nil {
		return Recommendations{}, err
	}
	return Recommendations{Items: items, Source: SourceLocal, Provider: ProviderLocal, GeneratedAt: s.now().UTC(), Refreshing: refreshing}, nil
}

// Candidates returns up to n products for a customer, best first (ScoreForUser): live, in
// stock and not bought by them, each with its score and reason. Returns a bad-query error for
// n outside 1..MaxCandidates.
func (s *Service) Candidates(ctx context.Context, user uuid.UUID, n int) ([]Item, error) {
	if n < 1 || n > MaxCandidates {
		return nil, errLimit(MaxCandidates)
	}
	signals, err := s.userSignals(ctx, user)
	if err != nil {
		return nil, err
	}
	return s.candidates(ctx, user, signals, n)
}

// candidates scores a customer's products from their signals (ScoreForUser) and returns the
// best n that are live, in stock and not bought by them.
func (s *Service) candidates(ctx context.Context, user uuid.UUID, signals UserSignals, n int) ([]Item, error) {
	return s.resolve(ctx, ScoreForUser(signals), n, Filter{InStock: true, NotBoughtBy: &user})
}

// userSignals reads what ScoreForUser needs about a customer.
func (s *Service) userSignals(ctx context.Context, user uuid.UUID) (UserSignals, error) {
	purchases, err := s.store.Purchases(ctx, user, MaxPurchases)
	if err != nil {
		return UserSignals{}, err
	}
	return s.signalsFrom(ctx, purchases)
}

// signalsFrom reads the rest of what ScoreForUser needs about a customer with these purchases
// (most recent first).
func (s *Service) signalsFrom(ctx context.Context, purchases []Purchase) (UserSignals, error) {
	var err error
	sig := UserSignals{Purchases: purchases, Content: map[uuid.UUID]map[uuid.UUID]float32{}}
	seeds := purchases[:min(MaxSeeds, len(purchases))]
	var ids []uuid.UUID
	var categories []string
	for _, p := range seeds {
		ids = append(ids, p.ProductID)
		if !slices.Contains(categories, p.Category) {
			categories = append(categories, p.Category)
		}
	}
	if len(ids) > 0 {
		if sig.Partners, sig.Orders, err = s.store.Partners(ctx, ids, partnersPerSeed); err != nil {
			return UserSignals{}, err
		}
	}
	for _, p := range seeds[:min(contentSeeds, len(seeds))] {
		if sig.Content[p.ProductID], err = s.related(ctx, p.ProductID, contentPerSeed); err != nil {
			return UserSignals{}, err
		}
	}
	if len(categories) > 0 {
		if sig.Popular, err = s.store.Popular(ctx, categories, popularPer); err != nil {
			return UserSignals{}, err
		}
	}
	overall, err := s.store.Popular(ctx, nil, popularOverall)
	if err != nil {
		return UserSignals{}, err
	}
	for _, p := range overall {
		if !slices.ContainsFunc(sig.Popular, func(q Popular) bool { return q.ID == p.ID }) {
			sig.Popular = append(sig.Popular, p)
		}
	}
	return sig, nil
}

// related asks the content index, if there is one, for the products like id.
func (s *Service) related(ctx context.Context, id uuid.UUID, k int) (map[uuid.UUID]float32, error) {
	if s.content == nil {
		return nil, nil
	}
	return s.content.Related(ctx, id, k)
}

// resolve turns scored candidates into items, best first, keeping those the store returns
// under f, until there are limit of them.
func (s *Service) resolve(ctx context.Context, scored []Scored, limit int, f Filter) ([]Item, error) {
	out := make([]Item, 0, limit)
	for start := 0; start < len(scored) && len(out) < limit; {
		end := min(len(scored), start+2*limit+10) // a few will not pass f
		ids := make([]uuid.UUID, 0, end-start)
		for _, c := range scored[start:end] {
			ids = append(ids, c.ID)
		}
		products, err := s.store.Products(ctx, ids, f)
		if err != nil {
			return nil, err
		}
		for _, c := range scored[start:end] {
			if p, ok := products[c.ID]; ok && len(out) < limit {
				out = append(out, Item{Product: p, Score: c.Score, Signals: c.Signals, Reason: c.Reason})
			}
		}
		start = end
	}
	return out, nil
}
