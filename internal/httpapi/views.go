package httpapi

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/catalog"
	"github.com/acme/orders/internal/orders"
	"github.com/acme/orders/internal/projection"
	"github.com/acme/orders/internal/readmodel"
)

// The JSON shapes of API version 1. They are separate from the domain types so that a domain
// change cannot silently change the contract.

type userJSON struct {
	ID        uuid.UUID `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Role      auth.Role `json:"role"`
	CreatedAt time.Time `json:"created_at"`
}

func toUserJSON(u auth.User) userJSON {
	return userJSON{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, CreatedAt: u.CreatedAt.UTC()}
}

type tokenPairJSON struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"` // left out in cookie mode
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
}

func toTokenPairJSON(p auth.TokenPair) tokenPairJSON {
	return tokenPairJSON{AccessToken: p.AccessToken, RefreshToken: p.RefreshToken, TokenType: "Bearer", ExpiresIn: int(p.ExpiresIn.Seconds())}
}

type productJSON struct {
	ID          uuid.UUID `json:"id"`
	SKU         string    `json:"sku"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Category    string    `json:"category"`
	PriceCents  int64     `json:"price_cents"`
	Currency    string    `json:"currency"`
	Stock       int32     `json:"stock"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func toProductJSON(p catalog.Product) productJSON {
	return productJSON{ID: p.ID, SKU: p.SKU, Name: p.Name, Description: p.Description, Category: p.Category,
		PriceCents: p.PriceCents, Currency: p.Currency, Stock: p.Stock, CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC()}
}

type categoryJSON struct {
	Name         string `json:"name"`
	ProductCount int64  `json:"product_count"`
}

type orderItemJSON struct {
	ProductID      uuid.UUID `json:"product_id"`
	SKU            string    `json:"sku"`
	Name           string    `json:"name"`
	Quantity       int32     `json:"quantity"`
	UnitPriceCents int64     `json:"unit_price_cents"`
	LineTotalCents int64     `json:"line_total_cents"`
}

type orderJSON struct {
	ID         uuid.UUID       `json:"id"`
	UserID     uuid.UUID       `json:"user_id"`
	Status     orders.Status   `json:"status"`
	TotalCents int64           `json:"total_cents"`
	Currency   string          `json:"currency"`
	Items      []orderItemJSON `json:"items"`
	CreatedAt  time.Time       `json:"created_at"`
	UpdatedAt  time.Time       `json:"updated_at"`
}

func toOrderJSON(o orders.Order) orderJSON {
	out := orderJSON{ID: o.ID, UserID: o.UserID, Status: o.Status, TotalCents: o.TotalCents, Currency: o.Currency,
		Items: make([]orderItemJSON, len(o.Items)), CreatedAt: o.CreatedAt.UTC(), UpdatedAt: o.UpdatedAt.UTC()}
	for i, it := range o.Items {
		out.Items[i] = orderItemJSON{ProductID: it.ProductID, SKU: it.SKU, Name: it.Name, Quantity: it.Quantity,
			UnitPriceCents: it.UnitPriceCents, LineTotalCents: it.UnitPriceCents * int64(it.Quantity)}
	}
	return out
}

// pageJSON is the envelope of page-numbered lists.
type pageJSON[T any] struct {
	Items    []T   `json:"items"`
	Page     int   `json:"page"`
	PageSize int   `json:"page_size"`
	Total    int64 `json:"total"`
}

func mapSlice[A, B any](in []A, f func(A) B) []B {
	out := make([]B, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

// The JSON shapes of order history and of the pipeline's administration.

type historyItemJSON struct {
	ID           uuid.UUID       `json:"id"`
	UserID       uuid.UUID       `json:"user_id"`
	Status       string          `json:"status"`
	TotalCents   int64           `json:"total_cents"`
	Currency     string          `json:"currency"`
	ItemCount    int32           `json:"item_count"`
	ItemsSummary string          `json:"items_summary"`
	Items        json.RawMessage `json:"items"`
	CreatedAt    time.Time       `json:"created_at"`
	UpdatedAt    time.Time       `json:"updated_at"`
}

type historyPageJSON struct {
	Items       []historyItemJSON     `json:"items"`
	NextCursor  *string               `json:"next_cursor"`
	Consistency readmodel.Consistency `json:"consistency"`
}

// renderHistoryPage is the body of a history response, as sent and as cached.
func renderHistoryPage(p readmodel.HistoryPage) ([]byte, error) {
	page := historyPageJSON{Items: make([]historyItemJSON, len(p.Entries)), Consistency: p.Consistency}
	for i, e := range p.Entries {
		page.Items[i] = historyItemJSON{ID: e.OrderID, UserID: e.UserID, Status: e.Status, TotalCents: e.TotalCents, Currency: e.Currency,
			ItemCount: e.ItemCount, ItemsSummary: e.ItemsSummary, Items: e.Items, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt}
	}
	if p.NextCursor != "" {
		page.NextCursor = &p.NextCursor
	}
	body, err := json.Marshal(page)
	if err != nil {
		return nil, err
	}
	return append(body, '\n'), nil
}

type outboxStatusJSON struct {
	Pending              int64   `json:"pending"`
	OldestPendingSeconds float64 `json:"oldest_pending_seconds"`
	LastPosition         int64   `json:"last_position"`
}

type projectionStatusJSON struct {
	projection.Status
	// Rebuild is the latest rebuild's state and progress, {"status": "unknown"} when the
	// workflow engine does not answer in time, or null when there has been none.
	Rebuild any `json:"rebuild"`
}

type rebuildProgressJSON struct {
	Name       string    `json:"Name"`
	State      string    `json:"State"`
	Checkpoint int64     `json:"Checkpoint"`
	Target     int64     `json:"Target"`
	StartedAt  time.Time `json:"StartedAt"`
	FinishedAt time.Time `json:"FinishedAt"`
}

type rebuildJSON struct {
	WorkflowID string              `json:"workflow_id"`
	Status     string              `json:"status"`
	Progress   rebuildProgressJSON `json:"progress"`
}

type pipelineStatusJSON struct {
	Outbox      outboxStatusJSON       `json:"outbox"`
	Projections []projectionStatusJSON `json:"projections"`
}

func toPipelineStatusJSON(o projection.Overview) pipelineStatusJSON {
	out := pipelineStatusJSON{
		Outbox:      outboxStatusJSON{Pending: o.Outbox.Pending, OldestPendingSeconds: o.Outbox.OldestPendingSeconds, LastPosition: o.Outbox.LastPosition},
		Projections: make([]projectionStatusJSON, len(o.Projections)),
	}
	for i, p := range o.Projections {
		out.Projections[i] = projectionStatusJSON{Status: p.Status}
		switch {
		case p.RebuildUnknown:
			out.Projections[i].Rebuild = map[string]string{"status": "unknown"}
		case p.Rebuild != nil:
			g := p.Rebuild.Progress
			out.Projections[i].Rebuild = rebuildJSON{WorkflowID: p.Rebuild.WorkflowID, Status: p.Rebuild.Status, Progress: rebuildProgressJSON{
				Name: g.Name, State: g.State, Checkpoint: g.Checkpoint, Target: g.Target, StartedAt: g.StartedAt, FinishedAt: g.FinishedAt}}
		}
	}
	return out
}
