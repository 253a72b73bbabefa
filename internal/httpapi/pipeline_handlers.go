package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/fault"
	"github.com/acme/orders/internal/orders"
	"github.com/acme/orders/internal/projection"
	"github.com/acme/orders/internal/readmodel"
)

// Pipeline is what the order-history and admin endpoints need from the event pipeline.
type Pipeline struct {
	History   *readmodel.HistoryReader
	Publisher *projection.Publisher
	Runner    *projection.Runner
	// Rebuild starts the rebuild of a read model and returns its workflow ID. It returns
	// ErrRebuildRunning while one runs. Nil when Temporal is not configured.
	Rebuild func(ctx context.Context, name string) (string, error)
	// LatestRebuild describes the latest rebuild of a read model (nil if none), for the admin
	// status; nil when Temporal is not configured.
	LatestRebuild func(ctx context.Context, name string) (any, error)
}

// ErrRebuildRunning is what Pipeline.Rebuild returns while a rebuild of that read model runs.
var ErrRebuildRunning = fault.New(fault.Conflict, "rebuild-running", "a rebuild of this read model is already running")

var errNoTemporal = fault.New(fault.Unavailable, "workflows-unavailable", "the workflow engine is not reachable; try again shortly")

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

// listOrders serves order history from the read model: a customer's own orders, or for staff
// any user's (?user_id=) or everyone's.
func (a *API) listOrders(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r, "status", "cursor", "page_size", "user_id")
	f := readmodel.HistoryFilter{Status: q.str("status", 20), Cursor: q.str("cursor", 200), Limit: defaultPageSize}
	if f.Status != "" && !orders.Status(f.Status).Valid() {
		q.v.Add("status", "must be one of placed, paid, shipped, delivered, cancelled")
	}
	if s := q.int64In("page_size", 1, maxPageSize); s != nil {
		f.Limit = int(*s)
	}
	p, _ := auth.PrincipalFrom(r.Context())
	if s := q.str("user_id", 64); s != "" {
		id, err := uuid.Parse(s)
		if err != nil {
			q.v.Add("user_id", "must be a UUID")
		}
		if !p.Role.IsStaff() && id != p.UserID {
			return fault.ErrForbidden.WithMessage("only staff may list other users' orders")
		}
		f.UserID = &id
	} else if !p.Role.IsStaff() {
		f.UserID = &p.UserID
	}
	if err := q.err(); err != nil {
		return err
	}
	// Cached per customer; the worker drops a customer's entries when its history changes.
	key := a.responses.Key(r.Context(), readmodel.HistoryNamespace(f.UserID), r.URL.Query().Encode())
	if body, ok := a.responses.Get(r.Context(), key); ok {
		w.Header().Set("X-Cache", "hit")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
		return nil
	}
	entries, next, c, err := a.pipeline.History.List(r.Context(), f)
	if err != nil {
		return err
	}
	page := historyPageJSON{Items: make([]historyItemJSON, len(entries)), Consistency: c}
	for i, e := range entries {
		page.Items[i] = historyItemJSON{ID: e.OrderID, UserID: e.UserID, Status: e.Status, TotalCents: e.TotalCents, Currency: e.Currency,
			ItemCount: e.ItemCount, ItemsSummary: e.ItemsSummary, Items: e.Items, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt}
	}
	if next != "" {
		page.NextCursor = &next
	}
	if key != "" {
		if body, err := json.Marshal(page); err == nil {
			a.responses.Set(r.Context(), key, append(body, '\n'))
		}
		w.Header().Set("X-Cache", "miss")
	}
	return respond(w, http.StatusOK, page)
}

type outboxStatusJSON struct {
	Pending              int64   `json:"pending"`
	OldestPendingSeconds float64 `json:"oldest_pending_seconds"`
	LastPosition         int64   `json:"last_position"`
}

// adminEvents reports publication and every projection's checkpoint and lag.
func (a *API) adminEvents(w http.ResponseWriter, r *http.Request) error {
	stats, err := a.pipeline.Publisher.Stats(r.Context())
	if err != nil {
		return err
	}
	statuses, err := a.pipeline.Runner.Statuses(r.Context(), stats.LastPosition)
	if err != nil {
		return err
	}
	projections := make([]projectionStatusJSON, len(statuses))
	for i, st := range statuses {
		projections[i] = projectionStatusJSON{Status: st, Rebuild: a.latestRebuild(r.Context(), st.Name)}
	}
	return respond(w, http.StatusOK, map[string]any{
		"outbox":      outboxStatusJSON{Pending: stats.Pending, OldestPendingSeconds: stats.OldestPendingSeconds, LastPosition: stats.LastPosition},
		"projections": projections,
	})
}

type projectionStatusJSON struct {
	projection.Status
	// Rebuild is the latest rebuild's state and progress, "unknown" when the workflow engine
	// does not answer in time, or null when there has been none.
	Rebuild any `json:"rebuild"`
}

// latestRebuild asks the workflow engine, briefly: the status page must not hang on it.
func (a *API) latestRebuild(ctx context.Context, name string) any {
	if a.pipeline.LatestRebuild == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	st, err := a.pipeline.LatestRebuild(ctx, name)
	if err != nil {
		return map[string]string{"status": "unknown"}
	}
	return st
}

func (a *API) knownProjection(r *http.Request) (string, error) {
	name := chi.URLParam(r, "name")
	for _, n := range a.pipeline.Runner.Names() {
		if n == name {
			return name, nil
		}
	}
	return "", projection.ErrUnknownProjection
}

// rebuildProjection starts a rebuild by replay: 202 with its workflow ID.
func (a *API) rebuildProjection(w http.ResponseWriter, r *http.Request) error {
	name, err := a.knownProjection(r)
	if err != nil {
		return err
	}
	if a.pipeline.Rebuild == nil {
		return errNoTemporal
	}
	id, err := a.pipeline.Rebuild(r.Context(), name)
	switch {
	case errors.Is(err, ErrRebuildRunning):
		return err
	case err != nil && fault.KindOf(err) == fault.Internal:
		return errNoTemporal.WithMessage("could not start the rebuild: the workflow engine did not accept it; try again shortly")
	case err != nil:
		return err
	}
	return respond(w, http.StatusAccepted, map[string]string{"workflow_id": id})
}

// listParked lists parked events (?projection=, ?include_resolved=true).
func (a *API) listParked(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r, "projection", "include_resolved")
	name, all := q.str("projection", 100), q.boolean("include_resolved")
	if err := q.err(); err != nil {
		return err
	}
	parked, err := a.pipeline.Runner.ListParked(r.Context(), name, all)
	if err != nil {
		return err
	}
	return respond(w, http.StatusOK, map[string]any{"items": parked})
}

// redriveParked applies one parked event again and marks it resolved.
func (a *API) redriveParked(w http.ResponseWriter, r *http.Request) error {
	name, err := a.knownProjection(r)
	if err != nil {
		return err
	}
	pos, err := strconv.ParseInt(chi.URLParam(r, "position"), 10, 64)
	if err != nil || pos < 1 {
		return projection.ErrNotParked
	}
	if err := a.pipeline.Runner.Redrive(r.Context(), name, pos); err != nil {
		return err
	}
	return respond(w, http.StatusOK, map[string]any{"projection": name, "position": pos, "resolved": true})
}
