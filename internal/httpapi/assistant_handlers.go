package httpapi

import (
	"math"
	"net/http"

	"github.com/acme/orders/internal/assistant"
	"github.com/acme/orders/internal/catalog"
)

// assistantRequest is the body of POST /assistant/query.
type assistantRequest struct {
	Message string `json:"message"`
}

// assistantItemJSON is a product as in GET /products with why it was found, and its search
// score when the items were ranked by search.
type assistantItemJSON struct {
	productJSON
	Score  *float64 `json:"score,omitempty"`
	Reason string   `json:"reason"`
}

type assistantJSON struct {
	Filters     assistant.Filters   `json:"filters"`
	Items       []assistantItemJSON `json:"items"`
	Provider    string              `json:"provider"`
	Interpreter string              `json:"interpreter"`
	Prompt      string              `json:"prompt,omitempty"`
	Fallback    string              `json:"fallback,omitempty"`
}

// assistantQuery answers POST /assistant/query: a message in plain words → the filters
// understood and the products they find.
func (a *API) assistantQuery(w http.ResponseWriter, r *http.Request) error {
	if a.assistant == nil {
		return errNoRoute
	}
	var req assistantRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	ans, err := a.assistant.Query(r.Context(), req.Message)
	if err != nil {
		return err
	}
	out := assistantJSON{Filters: ans.Filters, Items: make([]assistantItemJSON, len(ans.Items)), Provider: ans.Provider,
		Interpreter: ans.Interpreter, Prompt: ans.Prompt, Fallback: ans.Fallback}
	for i, h := range ans.Items {
		p := h.Product
		out.Items[i] = assistantItemJSON{
			productJSON: toProductJSON(catalog.Product{ID: p.ID, SKU: p.SKU, Name: p.Name, Description: p.Description, Category: p.Category,
				PriceCents: p.PriceCents, Currency: p.Currency, Stock: p.Stock, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}),
			Reason: h.Reason,
		}
		if ans.Ranked {
			score := math.Round(h.Score*1000) / 1000
			out.Items[i].Score = &score
		}
	}
	return respond(w, http.StatusOK, out)
}
