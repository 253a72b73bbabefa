package httpapi

import (
	"math"
	"net/http"

	"github.com/acme/orders/internal/catalog"
	"github.com/acme/orders/internal/search"
)

// searchHitJSON is a product as in GET /products, with its search score and reason.
type searchHitJSON struct {
	productJSON
	Score  float64 `json:"score"`
	Reason string  `json:"reason"`
}

type searchJSON struct {
	Items    []searchHitJSON `json:"items"`
	Provider string          `json:"provider"`
}

// search answers GET /search: hybrid product search (full-text, trigram, embeddings).
func (a *API) search(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r, "q", "page_size", "category", "min_price_cents", "max_price_cents", "in_stock")
	sq := search.Query{
		Text:     q.str("q", 800),
		Category: q.str("category", 100),
		MinPrice: q.int64In("min_price_cents", 0, math.MaxInt64),
		MaxPrice: q.int64In("max_price_cents", 0, math.MaxInt64),
		InStock:  q.boolean("in_stock"),
		Limit:    defaultPageSize,
	}
	if s := q.int64In("page_size", 1, maxPageSize); s != nil {
		sq.Limit = int(*s)
	}
	if err := q.err(); err != nil {
		return err
	}
	if a.searcher == nil {
		return errNoRoute
	}
	hits, provider, err := a.searcher.SearchReporting(r.Context(), sq)
	if err != nil {
		return err
	}
	out := searchJSON{Items: make([]searchHitJSON, len(hits)), Provider: provider}
	for i, h := range hits {
		p := h.Product
		out.Items[i] = searchHitJSON{
			productJSON: toProductJSON(catalog.Product{ID: p.ID, SKU: p.SKU, Name: p.Name, Description: p.Description, Category: p.Category,
				PriceCents: p.PriceCents, Currency: p.Currency, Stock: p.Stock, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}),
			Score:  math.Round(h.Score*1000) / 1000,
			Reason: h.Reason,
		}
	}
	return respond(w, http.StatusOK, out)
}
