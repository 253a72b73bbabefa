package readmodel

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/acme/orders/db/sqlc"
	"github.com/acme/orders/internal/fault"
	"github.com/acme/orders/internal/platform/cache"
	"github.com/acme/orders/internal/platform/postgres"
)

// HistoryEntry is one order as the order-history read model shows it.
type HistoryEntry struct {
	OrderID      uuid.UUID
	UserID       uuid.UUID
	Status       string
	TotalCents   int64
	Currency     string
	ItemCount    int32
	ItemsSummary string
	Items        json.RawMessage
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// HistoryFilter selects a page of order history.
type HistoryFilter struct {
	UserID *uuid.UUID // nil: every user's orders (staff only; the caller enforces it)
	Status string
	Cursor string // opaque, from the previous page
	Limit  int
}

// Consistency tells a client how far the read model has caught up: it reflects every event up
// to ProjectedThrough, out of Latest published.
type Consistency struct {
	ProjectedThrough int64 `json:"projected_through"`
	Latest           int64 `json:"latest"`
}

// ErrBadCursor is returned for a cursor this reader did not make.
var ErrBadCursor = fault.ErrBadQuery.WithFields(fault.FieldError{Field: "cursor", Message: "is not a cursor from a previous page"})

// HistoryReader reads the order-history read model.
type HistoryReader struct {
	pool *pgxpool.Pool
}

// NewHistoryReader returns a reader over pool.
func NewHistoryReader(pool *pgxpool.Pool) *HistoryReader { return &HistoryReader{pool: pool} }

// List returns a page of orders, newest first, the cursor of the next page ("" at the end)
// and how far the read model has caught up.
func (r *HistoryReader) List(ctx context.Context, f HistoryFilter) ([]HistoryEntry, string, Consistency, error) {
	p := sqlc.HistoryListParams{UserID: f.UserID, PageLimit: int32(f.Limit + 1)}
	if f.Status != "" {
		p.Status = &f.Status
	}
	if f.Cursor != "" {
		at, id, err := decodeCursor(f.Cursor)
		if err != nil {
			return nil, "", Consistency{}, ErrBadCursor
		}
		p.BeforeAt, p.BeforeID = &at, &id
	}
	q := sqlc.New(r.pool)
	// Read the consistency figures first: the page is then at least as fresh as they say.
	cons, err := q.HistoryConsistency(ctx)
	if err != nil {
		return nil, "", Consistency{}, postgres.Classify(err)
	}
	c := Consistency{ProjectedThrough: cons.ProjectedThrough, Latest: cons.Latest}
	rows, err := q.HistoryList(ctx, p)
	if err != nil {
		return nil, "", c, postgres.Classify(err)
	}
	next := ""
	if len(rows) > f.Limit {
		rows = rows[:f.Limit]
		last := rows[len(rows)-1]
		next = encodeCursor(last.CreatedAt, last.OrderID)
	}
	out := make([]HistoryEntry, len(rows))
	for i, h := range rows {
		out[i] = HistoryEntry{OrderID: h.OrderID, UserID: h.UserID, Status: h.Status, TotalCents: h.TotalCents, Currency: h.Currency,
			ItemCount: h.ItemCount, ItemsSummary: h.ItemsSummary, Items: h.Items, CreatedAt: h.CreatedAt.UTC(), UpdatedAt: h.UpdatedAt.UTC()}
	}
	return out, next, c, nil
}

func encodeCursor(at time.Time, id uuid.UUID) string {
	return base64.RawURLEncoding.EncodeToString([]byte(at.UTC().Format(time.RFC3339Nano) + "|" + id.String()))
}

func decodeCursor(s string) (time.Time, uuid.UUID, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return time.Time{}, uuid.Nil, err
	}
	ts, idText, ok := strings.Cut(string(raw), "|")
	if !ok {
		return time.Time{}, uuid.Nil, fault.ErrBadQuery
	}
	at, err := time.Parse(time.RFC3339Nano, ts)
	if err != nil {
		return time.Time{}, uuid.Nil, err
	}
	id, err := uuid.Parse(idText)
	return at, id, err
}

// Cache namespaces of order-history responses: one per customer, and one for staff's
// everyone-lists.
const historyAll = "history:all"

// HistoryNamespace is the cache namespace of a user's history (nil: everyone's).
func HistoryNamespace(userID *uuid.UUID) string {
	if userID == nil {
		return historyAll
	}
	return "history:user:" + userID.String()
}

// ChangedHistoryNamespaces lists the cache namespaces that the events in (after, upto] change:
// each customer whose orders they touch, and everyone's.
func ChangedHistoryNamespaces(ctx context.Context, pool *pgxpool.Pool, after, upto int64) ([]string, error) {
	users, err := sqlc.New(pool).HistoryUsersIn(ctx, sqlc.HistoryUsersInParams{After: after, Upto: upto})
	if err != nil {
		return nil, postgres.Classify(err)
	}
	if len(users) == 0 {
		return nil, nil
	}
	out := []string{historyAll}
	for _, u := range users {
		out = append(out, "history:user:"+u)
	}
	return out, nil
}

// DropChangedHistory returns the hook the worker calls after a projection commits: for
// order_history it bumps the cache namespaces of every customer the applied events touch, so
// the API stops serving their cached history.
func DropChangedHistory(pool *pgxpool.Pool, responses *cache.Responses) func(ctx context.Context, projection string, after, upto int64) error {
	return func(ctx context.Context, projection string, after, upto int64) error {
		if projection != (OrderHistory{}).Name() {
			return nil
		}
		namespaces, err := ChangedHistoryNamespaces(ctx, pool, after, upto)
		if err != nil {
			return err
		}
		return responses.Bump(ctx, namespaces...)
	}
}
