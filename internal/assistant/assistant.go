// Package assistant answers a shopper's message in plain words ("trainers under 150 dollars,
// in stock") with the catalogue filters it understood and the products those filters find.
//
// The message is interpreted by the configured language model with the assistant prompt (see
// package prompt) or, with AI_PROVIDER=local and whenever the model fails, times out or replies
// with anything but valid filters, by Parse, a rule-based parser. Either way the result can only
// be filters over the public catalogue: a search text, one known category, a price range and
// in-stock; nothing else in a reply is accepted and nothing in a message is acted upon.
package assistant

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/acme/orders/internal/ai"
	"github.com/acme/orders/internal/catalog"
	"github.com/acme/orders/internal/fault"
	"github.com/acme/orders/internal/prompt"
	"github.com/acme/orders/internal/search"
)

// Filters are what the assistant understood: filters over the public catalogue, nothing else.
// Their JSON is both the assistant prompt's reply and the API's "filters" object.
type Filters struct {
	Q             *string `json:"q"`               // search text; nil: none
	Category      *string `json:"category"`        // a live category's exact name; nil: any
	MinPriceCents *int64  `json:"min_price_cents"` // inclusive; nil: no bound
	MaxPriceCents *int64  `json:"max_price_cents"` // inclusive; nil: no bound
	InStock       bool    `json:"in_stock"`        // only products with stock
}

// Answer is the reply to one message.
type Answer struct {
	Filters Filters
	// Items are the products found: ranked by search when Filters has a search text (Ranked),
	// else the cheapest products that pass the filters.
	Items  []search.Hit
	Ranked bool
	// Provider is the AI provider that interpreted the message: local when the rules did.
	Provider string
	// Interpreter is InterpreterRules or the name of the model that interpreted the message.
	Interpreter string
	// Prompt is the prompt template's ID ("assistant.v1") when a model interpreted the message.
	Prompt string
	// Fallback says why the configured model's answer was not used ("timeout", "invalid",
	// "rate_limited" ...); "" when it was, or when no model is configured.
	Fallback string
}

// InterpreterRules names Parse as the interpreter of a message.
const InterpreterRules = "rules"

// Limits.
const (
	MaxMessage = 500 // characters of a message, after trimming
	MaxQuery   = 200 // characters of the search text, as search allows
)

// Searcher ranks products for a text and filters (search.Service).
type Searcher interface {
	Search(ctx context.Context, q search.Query) ([]search.Hit, error)
}

// Catalogue lists the live categories and products by filter (catalog.Service).
type Catalogue interface {
	Categories(ctx context.Context) ([]catalog.Category, error)
	List(ctx context.Context, f catalog.Filter) ([]catalog.Product, int64, error)
}

// Service answers messages. Its fields may be changed before first use.
type Service struct {
	ai        *ai.Client
	search    Searcher
	catalogue Catalogue

	// Limit is how many products an answer holds (default 20).
	Limit int
	// ModelBudget is how long the model may take in all, retries included, before the rules
	// answer instead (default 5s, well inside the API's request timeout).
	ModelBudget time.Duration
}

// NewService returns a Service that interprets messages with client's provider (the rules when
// it is local) and finds products with s and c.
func NewService(client *ai.Client, s Searcher, c Catalogue) *Service {
	return &Service{ai: client, search: s, catalogue: c, Limit: 20, ModelBudget: 5 * time.Second}
}

// Query interprets message and finds the products it asks for. It returns a fault.ErrValidation
// naming the field "message" when the message is blank or longer than MaxMessage characters
// after trimming; a model that fails never makes it fail (the rules answer instead).
func (s *Service) Query(ctx context.Context, message string) (Answer, error) {
	message = strings.TrimSpace(message)
	var v fault.Validation
	v.Check(message != "", "message", "is required: say what you are looking for")
	v.Check(utf8.RuneCountInString(message) <= MaxMessage, "message", fmt.Sprintf("must be at most %d characters", MaxMessage))
	if err := v.Err(); err != nil {
		return Answer{}, err
	}
	cats, err := s.catalogue.Categories(ctx)
	if err != nil {
		return Answer{}, err
	}
	names := make([]string, len(cats))
	for i, c := range cats {
		names[i] = c.Name
	}
	f, gen, err := prompt.Ask(ctx, s.ai, prompt.Assistant, prompt.AssistantData{Message: message, Categories: names},
		s.ModelBudget, accept(names), func() Filters { return Parse(message, names) })
	if err != nil {
		return Answer{}, err
	}
	a := Answer{Filters: f, Provider: gen.Provider, Interpreter: InterpreterRules, Fallback: gen.Fallback}
	if prompt.Source(gen) == prompt.SourceModel {
		a.Interpreter, a.Prompt = gen.Model, prompt.Assistant.ID()
	}
	a.Items, a.Ranked, err = s.find(ctx, f)
	return a, err
}

// accept checks a model's filters beyond the schema: a known category (any case; made exact),
// prices in order; blank text is no text.
func accept(categories []string) func(*Filters) error {
	return func(f *Filters) error {
		f.Q = blankNil(f.Q)
		if f.Category = blankNil(f.Category); f.Category != nil {
			i := indexFold(categories, *f.Category)
			if i < 0 {
				return fmt.Errorf("category %q is not in the category list; use one of the list or null", *f.Category)
			}
			f.Category = &categories[i]
		}
		if f.MinPriceCents != nil && f.MaxPriceCents != nil && *f.MinPriceCents > *f.MaxPriceCents {
			return errors.New("min_price_cents is above max_price_cents")
		}
		return nil
	}
}

func blankNil(s *string) *string {
	if s == nil || strings.TrimSpace(*s) == "" {
		return nil
	}
	t := strings.TrimSpace(*s)
	return &t
}

func indexFold(list []string, s string) int {
	for i, x := range list {
		if strings.EqualFold(x, s) {
			return i
		}
	}
	return -1
}

// find searches with f when it has a search text, and otherwise lists the cheapest products
// that pass its filters.
func (s *Service) find(ctx context.Context, f Filters) ([]search.Hit, bool, error) {
	category := ""
	if f.Category != nil {
		category = *f.Category
	}
	if f.Q != nil {
		hits, err := s.search.Search(ctx, search.Query{Text: *f.Q, Category: category, MinPrice: f.MinPriceCents,
			MaxPrice: f.MaxPriceCents, InStock: f.InStock, Limit: s.Limit})
		return hits, true, err
	}
	products, _, err := s.catalogue.List(ctx, catalog.Filter{Category: category, MinPrice: f.MinPriceCents, MaxPrice: f.MaxPriceCents,
		InStock: f.InStock, Sort: "price_cents", Limit: s.Limit})
	if err != nil {
		return nil, false, err
	}
	hits := make([]search.Hit, len(products))
	for i, p := range products {
		hits[i] = search.Hit{Reason: "matches the filters; cheapest first", Product: search.Product{ID: p.ID, SKU: p.SKU, Name: p.Name,
			Description: p.Description, Category: p.Category, PriceCents: p.PriceCents, Currency: p.Currency, Stock: p.Stock,
			CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}}
	}
	return hits, false, nil
}
