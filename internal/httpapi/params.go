package httpapi

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/acme/orders/internal/fault"
)

// Page-size bounds for page lists.
const (
	defaultPageSize = 20
	maxPageSize     = 100
)

// query reads query parameters, collecting every bad one into a single 400.
type query struct {
	values url.Values
	v      fault.Validation
}

func newQuery(r *http.Request, allowed ...string) *query {
	q := &query{values: r.URL.Query()}
	known := map[string]bool{}
	for _, k := range allowed {
		known[k] = true
	}
	for k := range q.values {
		if !known[k] {
			q.v.Add(k, "is not a parameter of this endpoint")
		}
	}
	for _, k := range allowed {
		if len(q.values[k]) > 1 {
			q.v.Add(k, "must be given at most once")
		}
	}
	return q
}

func (q *query) str(name string, maxLen int) string {
	s := q.values.Get(name)
	switch {
	case len(s) > maxLen:
		q.v.Add(name, fmt.Sprintf("must be at most %d bytes", maxLen))
		return ""
	case !utf8.ValidString(s) || strings.ContainsRune(s, 0):
		q.v.Add(name, "must be valid UTF-8 text without NUL characters")
		return ""
	}
	return s
}

func (q *query) int64In(name string, lo, hi int64) *int64 {
	s := q.values.Get(name)
	if s == "" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < lo || n > hi {
		q.v.Add(name, fmt.Sprintf("must be a whole number from %d to %d", lo, hi))
		return nil
	}
	return &n
}

func (q *query) boolean(name string) bool {
	s := q.values.Get(name)
	if s == "" {
		return false
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		q.v.Add(name, "must be true or false")
	}
	return b
}

// page reads page and page_size and returns page, size and the row offset.
func (q *query) page() (page, size, offset int) {
	page, size = 1, defaultPageSize
	if p := q.int64In("page", 1, 1_000_000); p != nil {
		page = int(*p)
	}
	if s := q.int64In("page_size", 1, maxPageSize); s != nil {
		size = int(*s)
	}
	return page, size, (page - 1) * size
}

func (q *query) err() error { return q.v.ErrAs(fault.ErrBadQuery) }

var errBadID = fault.New(fault.NotFound, "not-found", "no such resource")

// pathID reads the {id} path parameter; a malformed ID names nothing that exists, so 404.
func pathID(r *http.Request) (uuid.UUID, error) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		return uuid.Nil, errBadID
	}
	return id, nil
}
