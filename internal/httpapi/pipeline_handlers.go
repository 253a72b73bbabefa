package httpapi

import (
	"context"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/orders"
	"github.com/acme/orders/internal/projection"
	"github.com/acme/orders/internal/readmodel"
)

// OrderHistory serves order history from the read model; readmodel.HistoryService is one.
type OrderHistory interface {
	// Page returns the page the viewer asks for, rendered by render, and whether it came
	// from the cache; readmodel.ErrOthersHistory when a customer names another user.
	Page(ctx context.Context, v readmodel.Viewer, q readmodel.HistoryQuery, render func(readmodel.HistoryPage) ([]byte, error)) ([]byte, readmodel.CacheStatus, error)
}

// PipelineAdmin is the event pipeline's administration; projection.Admin is one.
type PipelineAdmin interface {
	// Figures reports publication and every read model's checkpoint and lag (for metrics).
	Figures(ctx context.Context) (projection.Stats, []projection.Status, error)
	// Overview is Figures with each read model's latest rebuild.
	Overview(ctx context.Context) (projection.Overview, error)
	// Rebuild starts a rebuild and returns its workflow ID: projection.ErrUnknownProjection,
	// ErrRebuildRunning, ErrWorkflowsUnavailable.
	Rebuild(ctx context.Context, name string) (string, error)
	// ListParked lists parked events: projection.ErrUnknownProjection.
	ListParked(ctx context.Context, name string, includeResolved bool) ([]projection.Parked, error)
	// Redrive re-applies a parked event: ErrUnknownProjection, ErrNotParked, ErrRedriveFailed.
	Redrive(ctx context.Context, name string, position int64) error
}

// Pipeline is what the order-history and admin endpoints need from the event pipeline.
type Pipeline struct {
	History OrderHistory
	Admin   PipelineAdmin
}

// listOrders serves order history from the read model: a customer's own orders, or for staff
// any user's (?user_id=) or everyone's.
func (a *API) listOrders(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r, "status", "cursor", "page_size", "user_id")
	hq := readmodel.HistoryQuery{Status: q.str("status", 20), Cursor: q.str("cursor", 200), Limit: defaultPageSize}
	if hq.Status != "" && !orders.Status(hq.Status).Valid() {
		q.v.Add("status", "must be one of placed, paid, shipped, delivered, cancelled")
	}
	if s := q.int64In("page_size", 1, maxPageSize); s != nil {
		hq.Limit = int(*s)
	}
	p, _ := auth.PrincipalFrom(r.Context())
	viewer := readmodel.Viewer{UserID: p.UserID, Staff: p.Role.IsStaff()}
	if s := q.str("user_id", 64); s != "" {
		id, err := uuid.Parse(s)
		if err != nil {
			q.v.Add("user_id", "must be a UUID")
		}
		hq.UserID = &id
	}
	// A customer naming someone else is refused before any other complaint.
	if _, err := viewer.Scope(hq.UserID); err != nil {
		return err
	}
	if err := q.err(); err != nil {
		return err
	}
	body, from, err := a.pipeline.History.Page(r.Context(), viewer, hq, renderHistoryPage)
	if err != nil {
		return err
	}
	switch from {
	case readmodel.CacheHit:
		w.Header().Set("X-Cache", "hit")
	case readmodel.CacheMiss:
		w.Header().Set("X-Cache", "miss")
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
	return nil
}

// adminEvents reports publication and every projection's checkpoint and lag.
func (a *API) adminEvents(w http.ResponseWriter, r *http.Request) error {
	o, err := a.pipeline.Admin.Overview(r.Context())
	if err != nil {
		return err
	}
	return respond(w, http.StatusOK, toPipelineStatusJSON(o))
}

// rebuildProjection starts a rebuild by replay: 202 with its workflow ID.
func (a *API) rebuildProjection(w http.ResponseWriter, r *http.Request) error {
	id, err := a.pipeline.Admin.Rebuild(r.Context(), chi.URLParam(r, "name"))
	if err != nil {
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
	parked, err := a.pipeline.Admin.ListParked(r.Context(), name, all)
	if err != nil {
		return err
	}
	return respond(w, http.StatusOK, map[string]any{"items": parked})
}

// redriveParked applies one parked event again and marks it resolved.
func (a *API) redriveParked(w http.ResponseWriter, r *http.Request) error {
	name := chi.URLParam(r, "name")
	pos, err := strconv.ParseInt(chi.URLParam(r, "position"), 10, 64)
	if err != nil {
		pos = 0 // names no event: refused as not parked, once the read model's name is checked
	}
	if err := a.pipeline.Admin.Redrive(r.Context(), name, pos); err != nil {
		return err
	}
	return respond(w, http.StatusOK, map[string]any{"projection": name, "position": pos, "resolved": true})
}
