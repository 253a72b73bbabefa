package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/acme/orders/internal/fault"
)

// MaxBodyBytes is the largest request body accepted (413 beyond it).
const MaxBodyBytes = 1 << 20

var (
	errTooLarge     = fault.New(fault.TooLarge, "body-too-large", "the request body is larger than 1 MiB")
	errMalformed    = fault.New(fault.BadRequest, "malformed-json", "the request body is not valid JSON")
	errUnknownField = fault.New(fault.BadRequest, "unknown-field", "the request body has a field this endpoint does not accept")
	errWrongType    = fault.New(fault.BadRequest, "wrong-type", "a field of the request body has the wrong type")
	errNotJSON      = fault.New(fault.UnsupportedMedia, "unsupported-media-type", "send the request body as application/json")
)

// decode reads exactly one JSON object from the body into dst. It refuses unknown fields (so a
// client cannot slip in role, user_id, status or prices), bodies over MaxBodyBytes, trailing
// data, and bodies not declared as JSON in UTF-8 (a missing Content-Type included).
func decode(r *http.Request, dst any) error {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return errNotJSON
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return errNotJSON.WithMessage("send the request body as application/json in UTF-8")
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err = dec.Decode(dst)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			return errMalformed.WithMessage("the request body must hold exactly one JSON value")
		}
		return nil
	}
	var maxErr *http.MaxBytesError
	var syntaxErr *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &maxErr):
		return errTooLarge
	case errors.Is(err, io.EOF):
		return errMalformed.WithMessage("the request body is empty; send a JSON object")
	case errors.As(err, &syntaxErr):
		return errMalformed.WithMessage("the request body is not valid JSON (at byte %d)", syntaxErr.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errMalformed.WithMessage("the request body ends in the middle of a JSON value")
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "(body)"
		}
		return errWrongType.WithFields(fault.FieldError{Field: field, Message: fmt.Sprintf("must be %s", jsonKind(typeErr.Type.Kind().String()))})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return errUnknownField.WithFields(fault.FieldError{Field: name, Message: "is not accepted by this endpoint"})
	}
	return errMalformed
}

func jsonKind(goKind string) string {
	switch {
	case strings.HasPrefix(goKind, "int"), strings.HasPrefix(goKind, "uint"):
		return "a whole number in range"
	case strings.HasPrefix(goKind, "float"):
		return "a number"
	case goKind == "string":
		return "a string"
	case goKind == "bool":
		return "true or false"
	case goKind == "slice", goKind == "array":
		return "an array"
	case goKind == "struct", goKind == "map":
		return "an object"
	}
	return "of another type"
}

// respond writes v as JSON with the given status. It returns nil: once the status is sent, a
// failed write (the client went away) cannot be answered any more.
func respond(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
	return nil
}

// handlerFunc is an HTTP handler that returns its error instead of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// ServeHTTP implements http.Handler, turning a returned error into problem details.
func (h handlerFunc) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := h(w, r); err != nil {
		writeError(w, r, err)
	}
}
