// Package search is hybrid product search: PostgreSQL full-text search over weighted fields,
// trigram similarity for typos, prefixes and partial SKUs, and embedding similarity computed in
// process, fused by reciprocal rank fusion. Every filter applies to every signal, and each hit
// says which signals found it.
//
// The index behind it (package-level Index) is a read model fed by the product events.
package search

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"golang.org/x/sync/errgroup"

	"github.com/acme/orders/internal/fault"
)

// Query is one search.
type Query struct {
	Text     string
	Category string
	MinPrice *int64
	MaxPrice *int64
	InStock  bool
	Limit    int // 1..100
}

// Product is a catalogue entry as search returns it.
type Product struct {
	ID          uuid.UUID
	SKU         string
	Name        string
	Description string
	Category    string
	PriceCents  int64
	Currency    string
	Stock       int32
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Signals that can find a product.
const (
	SignalFullText  = "full-text"
	SignalTrigram   = "trigram"
	SignalEmbedding = "embedding"
)

// Hit is one result: the product, its fused score in [0, 1], and why it matched.
type Hit struct {
	Product Product
	Score   float64
	Signals []string // the signals that found it, strongest contribution first
	Reason  string   // the same, in words
}

// Ranked is one candidate of one signal with that signal's own score.
type Ranked struct {
	ID    uuid.UUID
	Score float32
}

// Store is what search reads from PostgreSQL.
type Store interface {
	// FullText returns up to max products matching the query's words, best first, filters
	// applied: those with every word first, then those with some; fieldWeights are ts_rank's
	// weights {D, C, B, A}.
	FullText(ctx context.Context, q Query, fieldWeights [4]float32, max int) ([]Ranked, error)
	// Trigram returns up to max products whose name or SKU is spelled like text (strict word
	// similarity at least threshold), best first, filters applied.
	Trigram(ctx context.Context, q Query, threshold float32, max int) ([]Ranked, error)
	// Products returns the live products among ids that pass q's filters.
	Products(ctx context.Context, ids []uuid.UUID, q Query) (map[uuid.UUID]Product, error)
	// VectorsVersion changes whenever the index's documents or embeddings change.
	VectorsVersion(ctx context.Context) (string, error)
	// LoadVectors returns every embedding made with model.
	LoadVectors(ctx context.Context, model string) ([]Item, error)
	// RemoteVectorsVersion changes whenever a remote model's vectors change; it also counts the
	// index's documents and those with a current vector of the model.
	RemoteVectorsVersion(ctx context.Context, model string) (version string, documents, current int64, err error)
	// LoadRemoteVectors returns a remote model's current vectors of live products.
	LoadRemoteVectors(ctx context.Context, model string) ([]Item, error)
}

// refreshEvery is how often, at most, a Service checks that its vectors are current.
const refreshEvery = time.Second

// Service runs searches.
type Service struct {
	store    Store
	embedder Embedder
	// RefreshEvery is the longest time between checks that the in-process vectors are current.
	RefreshEvery time.Duration
	// NewVectors builds the nearest-neighbour structure; BruteForce by default.
	NewVectors func(dims int, items []Item) Vectors
	// Tuning is the signals' and the fusion's parameters; DefaultTuning by default. Set it
	// before the first search.
	Tuning Tuning

	local  vectorCache  // the offline model's vectors
	remote *remoteModel // nil: no remote embedding model
}

// NewService returns a Service over store, embedding queries with embedder (which must be
// the one the index was built with).
func NewService(store Store, embedder Embedder) *Service {
	s := &Service{store: store, embedder: embedder, RefreshEvery: refreshEvery, Tuning: DefaultTuning(),
		NewVectors: func(dims int, items []Item) Vectors { return NewBruteForce(dims, items) }}
	s.local.load = s.loadLocal
	return s
}

// Search returns the best hits for q; fault.ErrBadQuery for an empty or overlong query or a bad
// price range.
func (s *Service) Search(ctx context.Context, q Query) ([]Hit, error) {
	hits, _, err := s.search(ctx, q, allSignals)
	return hits, err
}

// SearchReporting is Search that also says which provider embedded the query: the remote
// model's (see WithRemoteEmbeddings) or "local".
func (s *Service) SearchReporting(ctx context.Context, q Query) ([]Hit, string, error) {
	return s.search(ctx, q, allSignals)
}

// allSignals are the signals Search fuses.
var allSignals = []string{SignalFullText, SignalTrigram, SignalEmbedding}

// ErrUnknownSignal is returned by SearchOnly for a name that is not one of the Signal constants.
var ErrUnknownSignal = errors.New("search: unknown signal")

// SearchOnly is Search with one signal alone (one of the Signal constants), ranked by that
// signal, with the same validation and filters. It is there to measure each signal against the
// fusion (cmd/eval); the API always fuses them all. ErrUnknownSignal for another name.
func (s *Service) SearchOnly(ctx context.Context, q Query, signal string) ([]Hit, error) {
	if !slices.Contains(allSignals, signal) {
		return nil, fmt.Errorf("%w: %q", ErrUnknownSignal, signal)
	}
	hits, _, err := s.search(ctx, q, []string{signal})
	return hits, err
}

func (s *Service) search(ctx context.Context, q Query, signals []string) ([]Hit, string, error) {
	q.Text = strings.TrimSpace(q.Text)
	var v fault.Validation
	v.Check(q.Text != "", "q", "is required: say what to search for")
	v.Check(utf8.RuneCountInString(q.Text) <= 200, "q", "must be at most 200 characters")
	v.Check(q.MinPrice == nil || *q.MinPrice >= 0, "min_price_cents", "must be zero or more")
	v.Check(q.MaxPrice == nil || *q.MaxPrice >= 0, "max_price_cents", "must be zero or more")
	v.Check(q.MinPrice == nil || q.MaxPrice == nil || *q.MinPrice <= *q.MaxPrice, "max_price_cents", "must not be below min_price_cents")
	v.Check(q.Limit >= 1 && q.Limit <= 100, "page_size", "must be from 1 to 100")
	if err := v.ErrAs(fault.ErrBadQuery); err != nil {
		return nil, "", err
	}
	// The signals run at the same time, each database one on its own connection.
	t := s.Tuning
	found := make([][]Ranked, len(signals))
	provider := localProvider
	g, gctx := errgroup.WithContext(ctx)
	for i, signal := range signals {
		g.Go(func() (err error) {
			switch signal {
			case SignalFullText:
				found[i], err = s.store.FullText(gctx, q, t.FieldWeights, t.Candidates)
			case SignalTrigram:
				found[i], err = s.store.Trigram(gctx, q, t.TrigramThreshold, t.Candidates)
			case SignalEmbedding:
				found[i], provider, err = s.nearest(gctx, q)
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, "", err
	}
	lists := make(map[string][]Ranked, len(signals))
	for i, signal := range signals {
		lists[signal] = found[i]
	}
	hits, err := s.fuse(ctx, q, lists)
	return hits, provider, err
}

// localProvider names the offline embedding model's provider.
const localProvider = "local"

// nearest is the embedding signal: the stored vectors closest to the query's, in its category,
// and the provider whose model embedded the query: the remote model's when it can answer,
// else the offline model's.
func (s *Service) nearest(ctx context.Context, q Query) ([]Ranked, string, error) {
	vecs, qv, ok := s.remoteQuery(ctx, q.Text)
	provider := localProvider
	if ok {
		provider = s.remote.Provider
	} else {
		if qv, ok = s.embedder.Embed(q.Text); !ok {
			return nil, provider, nil
		}
		var err error
		if vecs, err = s.currentVectors(ctx); err != nil {
			return nil, provider, err
		}
	}
	var near []Ranked
	for _, n := range vecs.Nearest(qv, s.Tuning.Candidates, s.Tuning.EmbeddingFloor, q.Category) {
		near = append(near, Ranked{n.ID, n.Similarity})
	}
	return near, provider, nil
}

// fuse combines the signals' rankings by reciprocal rank fusion, each hit's part scaled by its
// score relative to the best hit of its signal (see Tuning.RRFK), drops candidates that fail
// the filters (the embedding scan only knows categories), and explains each hit.
func (s *Service) fuse(ctx context.Context, q Query, lists map[string][]Ranked) ([]Hit, error) {
	type acc struct {
		score   float64
		signals []string
		parts   map[string]float64
	}
	byID := map[uuid.UUID]*acc{}
	var ids []uuid.UUID
	for signal, list := range lists {
		for rank, r := range list {
			a := byID[r.ID]
			if a == nil {
				a = &acc{parts: map[string]float64{}}
				byID[r.ID] = a
				ids = append(ids, r.ID)
			}
			part := s.Tuning.weight(signal) / (s.Tuning.RRFK + float64(rank+1))
			if top := list[0].Score; top > 0 {
				part *= float64(r.Score / top)
			}
			a.score += part
			a.parts[signal] = part
			a.signals = append(a.signals, signal)
		}
	}
	if len(ids) == 0 {
		return []Hit{}, nil
	}
	products, err := s.store.Products(ctx, ids, q)
	if err != nil {
		return nil, err
	}
	var best float64 // first in every signal
	for signal := range lists {
		best += s.Tuning.weight(signal) / (s.Tuning.RRFK + 1)
	}
	hits := make([]Hit, 0, len(products))
	for id, p := range products {
		a := byID[id]
		sort.Slice(a.signals, func(i, j int) bool {
			if a.parts[a.signals[i]] != a.parts[a.signals[j]] {
				return a.parts[a.signals[i]] > a.parts[a.signals[j]]
			}
			return a.signals[i] < a.signals[j]
		})
		hits = append(hits, Hit{Product: p, Score: a.score / best, Signals: a.signals, Reason: reason(a.signals)})
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return hits[i].Product.ID.String() < hits[j].Product.ID.String()
	})
	return hits[:min(q.Limit, len(hits))], nil
}

var signalWords = map[string]string{
	SignalFullText:  "matches your words",
	SignalTrigram:   "similar spelling of its name or SKU",
	SignalEmbedding: "related in meaning",
}

func reason(signals []string) string {
	words := make([]string, len(signals))
	for i, s := range signals {
		words[i] = signalWords[s]
	}
	return strings.Join(words, "; ")
}
