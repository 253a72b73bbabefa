package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/acme/orders/internal/fault"
	"github.com/acme/orders/internal/ratelimit"
)

// Problem is an RFC 9457 problem-details body.
type Problem struct {
	Type      string             `json:"type"`
	Title     string             `json:"title"`
	Status    int                `json:"status"`
	Detail    string             `json:"detail"`
	Instance  string             `json:"instance"`
	RequestID string             `json:"request_id"`
	Errors    []fault.FieldError `json:"errors,omitempty"`
}

// statusOf is the one map from failure kinds to HTTP statuses.
var statusOf = map[fault.Kind]int{
	fault.Internal:         http.StatusInternalServerError,
	fault.Invalid:          http.StatusUnprocessableEntity,
	fault.BadRequest:       http.StatusBadRequest,
	fault.Unauthorized:     http.StatusUnauthorized,
	fault.Forbidden:        http.StatusForbidden,
	fault.NotFound:         http.StatusNotFound,
	fault.NotAllowed:       http.StatusMethodNotAllowed,
	fault.Conflict:         http.StatusConflict,
	fault.TooLarge:         http.StatusRequestEntityTooLarge,
	fault.UnsupportedMedia: http.StatusUnsupportedMediaType,
	fault.RateLimited:      http.StatusTooManyRequests,
	fault.Unavailable:      http.StatusServiceUnavailable,
}

// problemTypePrefix makes each error code a URN that names the problem type.
const problemTypePrefix = "urn:problem-type:orders:"

var errTimeout = fault.New(fault.Unavailable, "timeout", "the request took too long; try again").WithRetryAfter(time.Second)

// writeError answers with the problem details for err. Unclassified errors become a 500 whose
// detail says nothing internal; they are logged with the request ID.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	var fe *fault.Error
	switch {
	case errors.As(err, &fe):
	case errors.Is(err, context.DeadlineExceeded):
		fe = errTimeout
	case errors.Is(err, context.Canceled) && r.Context().Err() != nil:
		fe = errTimeout // the client went away; nobody reads this answer
	default:
		fe = fault.New(fault.Internal, "internal-error", "something went wrong on our side; the request ID identifies it in our logs")
	}
	status := statusOf[fe.Kind]
	if status >= 500 {
		slog.ErrorContext(r.Context(), "request failed", "error", err.Error(), "status", status,
			"request_id", requestID(r.Context()), "method", r.Method, "path", r.URL.Path)
	}
	p := Problem{
		Type:      problemTypePrefix + fe.Code,
		Title:     http.StatusText(status),
		Status:    status,
		Detail:    fe.Message,
		Instance:  r.URL.Path,
		RequestID: requestID(r.Context()),
		Errors:    fe.Fields,
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	if fe.RetryAfter > 0 {
		w.Header().Set("Retry-After", ratelimit.RetryAfterSeconds(fe.RetryAfter))
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p)
}

var (
	errNoRoute   = fault.New(fault.NotFound, "no-such-endpoint", "there is no endpoint at this path")
	errMethod    = fault.New(fault.NotAllowed, "method-not-allowed", "this endpoint does not accept that method")
	errForbidden = fault.ErrForbidden
)
