package prompt

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/ai"
)

// Candidate is one product the local recommender proposes, with its reason.
type Candidate struct {
	ID         uuid.UUID `json:"id"`
	Name       string    `json:"name"`
	Category   string    `json:"category"`
	PriceCents int64     `json:"price_cents"`
	Reason     string    `json:"local_reason"` // why the local recommender proposed it
}

// Purchase is a product the shopper bought recently.
type Purchase struct {
	Name     string `json:"name"`
	Category string `json:"category"`
}

// RerankInput is what the reranker prompt reads: the candidates in the local order, best first,
// and the shopper's recent purchases, newest first.
type RerankInput struct {
	Candidates []Candidate
	Purchases  []Purchase
}

// Ranked is one candidate in the result, with a reason of one line.
type Ranked struct {
	ID     uuid.UUID `json:"id"`
	Reason string    `json:"reason"`
}

// RerankResult is the candidates in the model's order, best first. The model may leave out
// candidates it finds unsuitable; the result holds at least one.
type RerankResult struct {
	Items []Ranked `json:"items"`
}

// MaxReason is the longest reason, in characters.
const MaxReason = 140

// MaxCandidates is the most candidates one call may rank.
const MaxCandidates = 100

// ErrCandidates reports a RerankInput that cannot be ranked: no candidates, more than
// MaxCandidates, or one ID twice.
var ErrCandidates = errors.New("prompt: rerank needs 1 to 100 candidates with distinct IDs")

// Rerank asks the configured model to order the candidates for the shopper with the reranker
// prompt. The reply must list only candidate IDs, each once, at least one, each with a reason
// of at most MaxReason characters on one line (trimmed); anything else is invalid and gets one
// repair turn.
//
// When no model is configured, the model fails, or it replies invalidly twice, the result is
// the local order with the local reasons (each made one line and clipped to MaxReason), and gen
// says so: Provider is ai.Local and Fallback the reason ("" when no model is configured; see
// Source). The caller decides what a fallback means for it, e.g. whether to store the local
// order as the recommendation or keep the previous one. The error is ErrCandidates for bad
// input, or ctx's when ctx ends first.
func Rerank(ctx context.Context, client *ai.Client, in RerankInput) (RerankResult, ai.Generation, error) {
	known := make(map[uuid.UUID]bool, len(in.Candidates))
	for _, c := range in.Candidates {
		known[c.ID] = true
	}
	if len(in.Candidates) == 0 || len(in.Candidates) > MaxCandidates || len(known) != len(in.Candidates) {
		return RerankResult{}, ai.Generation{}, ErrCandidates
	}
	if in.Purchases == nil {
		in.Purchases = []Purchase{} // [] in the prompt, not null
	}
	accept := func(r *RerankResult) error {
		seen := make(map[uuid.UUID]bool, len(r.Items))
		for i := range r.Items {
			it := &r.Items[i]
			switch {
			case !known[it.ID]:
				return fmt.Errorf("item %d: %s is not one of the candidates' ids", i, it.ID)
			case seen[it.ID]:
				return fmt.Errorf("item %d: %s is listed twice", i, it.ID)
			}
			seen[it.ID] = true
			if it.Reason = strings.TrimSpace(it.Reason); it.Reason == "" {
				return fmt.Errorf("item %d: the reason is blank", i)
			}
		}
		return nil
	}
	local := func() RerankResult {
		out := RerankResult{Items: make([]Ranked, len(in.Candidates))}
		for i, c := range in.Candidates {
			out.Items[i] = Ranked{ID: c.ID, Reason: oneLine(c.Reason, MaxReason)}
		}
		return out
	}
	return Ask(ctx, client, Reranker, in, 0, accept, local)
}

// oneLine collapses s's whitespace (newlines included) to single spaces and clips it to max
// characters, ending in "…" when clipped.
func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:max-1])) + "…"
}
