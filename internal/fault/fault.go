// Package fault is the error vocabulary shared by the domain packages and the HTTP edge.
//
// A domain returns a *Error with a Kind (what sort of failure it is) and a stable Code (which
// one, e.g. "out-of-stock"). The edge maps Kind to an HTTP status in one place, so domains never
// know about HTTP, and clients can branch on Code. Any error that is not a *Error is unexpected:
// the edge answers 500 and says nothing internal.
package fault

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies a failure; each Kind maps to exactly one HTTP status at the edge.
type Kind int

// The kinds of failure a domain can report.
const (
	Internal         Kind = iota // unexpected; details are logged, never shown
	Invalid                      // the request is well-formed but its values are not acceptable (422)
	BadRequest                   // the request itself is malformed: bad JSON, unknown field, bad query (400)
	Unauthorized                 // missing or bad credentials (401)
	Forbidden                    // authenticated, but not allowed (403)
	NotFound                     // no such resource, or not visible to the caller (404)
	NotAllowed                   // the resource exists but not with this method (405)
	Conflict                     // the state forbids it: out of stock, bad transition, duplicate (409)
	TooLarge                     // the request body is too large (413)
	UnsupportedMedia             // the request body is not JSON (415)
	RateLimited                  // too many requests (429)
	Unavailable                  // a dependency the request needs is down (503)
)

// FieldError names one offending input field and says what is wrong with it.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is a classified failure with a message that is safe to show to the client.
type Error struct {
	Kind    Kind
	Code    string       // stable, kebab-case identifier, e.g. "out-of-stock"
	Message string       // human-readable, safe to show
	Fields  []FieldError // per-field details, for Invalid and BadRequest
	// RetryAfter, when set, is how long the client should wait before trying again (sent as
	// Retry-After with 429 and 503 answers).
	RetryAfter time.Duration
}

// Error implements error.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Is reports whether target is a *Error with the same Code, so errors.Is works against
// sentinel errors even when a copy carries extra fields.
func (e *Error) Is(target error) bool {
	var t *Error
	return errors.As(target, &t) && t.Code == e.Code
}

// New returns a sentinel-style error of the given kind.
func New(kind Kind, code, message string) *Error {
	return &Error{Kind: kind, Code: code, Message: message}
}

// WithFields returns a copy of e carrying field details; errors.Is(copy, e) still holds.
func (e *Error) WithFields(fields ...FieldError) *Error {
	c := *e
	c.Fields = append(append([]FieldError(nil), e.Fields...), fields...)
	return &c
}

// WithRetryAfter returns a copy of e that tells the client to wait d; errors.Is(copy, e)
// still holds.
func (e *Error) WithRetryAfter(d time.Duration) *Error {
	c := *e
	c.RetryAfter = d
	return &c
}

// WithMessage returns a copy of e with a more specific message; errors.Is(copy, e) still holds.
func (e *Error) WithMessage(format string, args ...any) *Error {
	c := *e
	c.Message = fmt.Sprintf(format, args...)
	return &c
}

// Validation collects field errors and turns them into one Invalid error.
type Validation struct{ fields []FieldError }

// Add records that field is wrong, with message saying why.
func (v *Validation) Add(field, message string) {
	v.fields = append(v.fields, FieldError{field, message})
}

// Check records message for field unless ok holds.
func (v *Validation) Check(ok bool, field, message string) {
	if !ok {
		v.Add(field, message)
	}
}

// Err returns nil when nothing was recorded, else an Invalid error listing every field.
func (v *Validation) Err() error { return v.ErrAs(ErrValidation) }

// ErrAs is Err with another base error, such as ErrBadQuery for query parameters.
func (v *Validation) ErrAs(base *Error) error {
	if len(v.fields) == 0 {
		return nil
	}
	return base.WithFields(v.fields...)
}

// Errors shared by every domain.
var (
	ErrValidation   = New(Invalid, "validation-failed", "the request has invalid fields")
	ErrBadQuery     = New(BadRequest, "bad-query-parameter", "a query parameter is not valid")
	ErrUnauthorized = New(Unauthorized, "unauthorized", "a valid access token is required")
	ErrForbidden    = New(Forbidden, "forbidden", "your role does not allow this")
	ErrUnavailable  = New(Unavailable, "service-unavailable", "the service is temporarily unavailable; try again shortly")
	ErrBusy         = New(Unavailable, "busy", "the data this request needs is busy; try again in a moment")
	ErrOutOfRange   = New(Invalid, "value-out-of-range", "a value is outside the range it can hold")
)

// KindOf returns the Kind of err, or Internal if err is not a classified error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}
