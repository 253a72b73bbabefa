package readmodel

import (
	"context"
	"net/url"
	"strconv"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/fault"
	"github.com/acme/orders/internal/platform/cache"
)

// Viewer is who reads order history: staff (and admins) may read anyone's, customers their own.
type Viewer struct {
	UserID uuid.UUID
	Staff  bool
}

// ErrOthersHistory is returned when a customer asks for another user's order history.
var ErrOthersHistory = fault.ErrForbidden.WithMessage("only staff may list other users' orders")

// Scope returns whose history the viewer reads when asking for requested's (nil: nobody
// named): a customer always reads its own, and gets ErrOthersHistory for anyone else's; staff
// read the named user's, or everyone's (nil).
func (v Viewer) Scope(requested *uuid.UUID) (*uuid.UUID, error) {
	switch {
	case v.Staff:
		return requested, nil
	case requested != nil && *requested != v.UserID:
		return nil, ErrOthersHistory
	}
	own := v.UserID
	return &own, nil
}

// HistoryQuery is what a viewer asks of order history.
type HistoryQuery struct {
	UserID *uuid.UUID // whose history; nil: the viewer's own, or everyone's for staff
	Status string     // only orders in this status; "" for all
	Cursor string     // opaque, from the previous page
	Limit  int        // page size
}

// HistoryPage is one page of order history, newest first.
type HistoryPage struct {
	Entries     []HistoryEntry
	NextCursor  string // "" on the last page
	Consistency Consistency
}

// CacheStatus says where a page came from.
type CacheStatus int

// The cache statuses.
const (
	CacheOff  CacheStatus = iota // the cache could not be used; the page was read from the read model
	CacheMiss                    // read from the read model, then cached
	CacheHit                     // served from the cache
)

// historyLister is the read model's side of the history service.
type historyLister interface {
	List(ctx context.Context, f HistoryFilter) ([]HistoryEntry, string, Consistency, error)
}

// HistoryService serves order history to viewers: it scopes each query to what the viewer
// may see, and keeps rendered pages in the response cache under the namespace of the user
// they belong to, which the worker bumps when that user's history changes
// (DropChangedHistory), so a cached page is not served after its data moved on.
type HistoryService struct {
	reader    historyLister
	responses *cache.Responses
}

// NewHistoryService returns a service reading through reader and caching in responses (nil:
// no caching).
func NewHistoryService(reader *HistoryReader, responses *cache.Responses) *HistoryService {
	return &HistoryService{reader: reader, responses: responses}
}

// Page returns the page of history the viewer asks for, rendered by render, and whether it came
// from the cache. The rendered bytes are what is cached, so render must depend on the page
// alone. Returns ErrOthersHistory (see Viewer.Scope), ErrBadCursor, or the read model's errors.
func (s *HistoryService) Page(ctx context.Context, v Viewer, q HistoryQuery, render func(HistoryPage) ([]byte, error)) ([]byte, CacheStatus, error) {
	userID, err := v.Scope(q.UserID)
	if err != nil {
		return nil, CacheOff, err
	}
	f := HistoryFilter{UserID: userID, Status: q.Status, Cursor: q.Cursor, Limit: q.Limit}
	key := s.responses.Key(ctx, HistoryNamespace(f.UserID), cacheKey(f))
	if body, ok := s.responses.Get(ctx, key); ok {
		return body, CacheHit, nil
	}
	entries, next, c, err := s.reader.List(ctx, f)
	if err != nil {
		return nil, CacheOff, err
	}
	body, err := render(HistoryPage{Entries: entries, NextCursor: next, Consistency: c})
	if err != nil {
		return nil, CacheOff, err
	}
	if key == "" {
		return body, CacheOff, nil
	}
	s.responses.Set(ctx, key, body)
	return body, CacheMiss, nil
}

// cacheKey names a scoped query within its user's namespace.
func cacheKey(f HistoryFilter) string {
	v := url.Values{"limit": {strconv.Itoa(f.Limit)}}
	if f.Status != "" {
		v.Set("status", f.Status)
	}
	if f.Cursor != "" {
		v.Set("cursor", f.Cursor)
	}
	return v.Encode()
}
