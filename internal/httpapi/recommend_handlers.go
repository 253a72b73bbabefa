package httpapi

import (
	"math"
	"net/http"
	"time"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/catalog"
	"github.com/acme/orders/internal/recommend"
)

// defaultSuggestions is the length of a similar-products or recommendations list.
const defaultSuggestions = 10

// similarItemJSON is a product as in GET /products, with its score and reason.
type similarItemJSON struct {
	productJSON
	Score  float64 `json:"score"`
	Reason string  `json:"reason"`
}

type similarJSON struct {
	Items    []similarItemJSON `json:"items"`
	Provider string            `json:"provider"`
}

// recommendedItemJSON is a product as in GET /products, with why it is recommended.
type recommendedItemJSON struct {
	productJSON
	Reason string `json:"reason"`
}

type recommendationsJSON struct {
	Items       []recommendedItemJSON `json:"items"`
	Source      string                `json:"source"`
	GeneratedAt time.Time             `json:"generated_at"`
	Provider    string                `json:"provider"`
	Refreshing  bool                  `json:"refreshing"`
}

func toRecommendedProductJSON(p recommend.Product) productJSON {
	return toProductJSON(catalog.Product{ID: p.ID, SKU: p.SKU, Name: p.Name, Description: p.Description, Category: p.Category,
		PriceCents: p.PriceCents, Currency: p.Currency, Stock: p.Stock, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt})
}

// suggestions reads ?page_size= (1..100, default 10), the only parameter of both endpoints.
func suggestions(r *http.Request) (int, error) {
	q := newQuery(r, "page_size")
	limit := defaultSuggestions
	if s := q.int64In("page_size", 1, recommend.MaxLimit); s != nil {
		limit = int(*s)
	}
	return limit, q.err()
}

// similarProducts answers GET /products/{id}/similar: products like this one, bought
// together with it or alike in content.
func (a *API) similarProducts(w http.ResponseWriter, r *http.Request) error {
	limit, err := suggestions(r)
	if err != nil {
		return err
	}
	if a.recs == nil {
		return errNoRoute
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	items, err := a.recs.Similar(r.Context(), id, limit)
	if err != nil {
		return err
	}
	out := similarJSON{Items: make([]similarItemJSON, len(items)), Provider: recommend.ProviderLocal}
	for i, it := range items {
		out.Items[i] = similarItemJSON{productJSON: toRecommendedProductJSON(it.Product), Score: math.Round(it.Score*1000) / 1000, Reason: it.Reason}
	}
	return respond(w, http.StatusOK, out)
}

// recommendations answers GET /recommendations: products for the caller, each with a reason.
func (a *API) recommendations(w http.ResponseWriter, r *http.Request) error {
	limit, err := suggestions(r)
	if err != nil {
		return err
	}
	if a.recs == nil {
		return errNoRoute
	}
	p, _ := auth.PrincipalFrom(r.Context())
	rec, err := a.recs.For(r.Context(), p.UserID, limit)
	if err != nil {
		return err
	}
	out := recommendationsJSON{Items: make([]recommendedItemJSON, len(rec.Items)), Source: rec.Source,
		GeneratedAt: rec.GeneratedAt.UTC(), Provider: rec.Provider, Refreshing: rec.Refreshing}
	for i, it := range rec.Items {
		out.Items[i] = recommendedItemJSON{productJSON: toRecommendedProductJSON(it.Product), Reason: it.Reason}
	}
	return respond(w, http.StatusOK, out)
}
