// Package apidocstest checks the API against its OpenAPI document, for tests: Document loads
// and validates the document with kin-openapi (OpenAPI 3.1, JSON Schema 2020-12), and Checker
// validates real responses against the operation that served them. Only tests import it, so
// the validator never ends up in a binary.
package apidocstest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/acme/orders/internal/httpapi/apidocs"
)

var (
	uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	mailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// SchemaOptions are the options every schema check uses: JSON Schema 2020-12, as OpenAPI 3.1
// has it, with the formats the document relies on asserted rather than only annotated: a
// lower-case UUID, an email address, and an RFC 3339 time in UTC (the API sends no other).
func SchemaOptions() []openapi3.SchemaValidationOption {
	return []openapi3.SchemaValidationOption{
		openapi3.EnableJSONSchema2020(),
		openapi3.MultiErrors(),
		openapi3.WithStringFormatValidator("uuid", openapi3.NewCallbackValidator(func(s string) error {
			if !uuidRE.MatchString(s) {
				return errors.New("not a lower-case UUID")
			}
			return nil
		})),
		openapi3.WithStringFormatValidator("email", openapi3.NewCallbackValidator(func(s string) error {
			if !mailRE.MatchString(s) {
				return errors.New("not an email address")
			}
			return nil
		})),
		openapi3.WithStringFormatValidator("date-time", openapi3.NewCallbackValidator(func(s string) error {
			if _, err := time.Parse(time.RFC3339Nano, s); err != nil || !strings.HasSuffix(s, "Z") {
				return errors.New("not an RFC 3339 time in UTC")
			}
			return nil
		})),
	}
}

var load = sync.OnceValues(func() (*openapi3.T, error) { return Load(apidocs.Spec()) })

// Load parses an OpenAPI document, resolves its $refs (local ones only: the document must stand
// alone) and validates it: it returns an error unless the document is valid OpenAPI 3.1, with
// every schema well formed and every example valid against its schema. Document is Load of the
// embedded document; Load itself is for checking that the validation catches mistakes.
func Load(data []byte) (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("load openapi.json: %w", err)
	}
	if err := doc.Validate(context.Background(), openapi3.EnableSchemaFormatValidation(),
		openapi3.EnableSchemaPatternValidation(), openapi3.EnableExamplesValidation(), openapi3.EnableMultiError()); err != nil {
		return nil, fmt.Errorf("openapi.json is not a valid OpenAPI document: %w", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		return nil, fmt.Errorf("openapi.json declares OpenAPI %s, want 3.1", doc.OpenAPI)
	}
	return doc, nil
}

// Document returns the embedded document, loaded with every $ref resolved and validated as an
// OpenAPI 3.1 document (structure, schemas, and examples against their schemas). It is loaded
// once; callers must not modify it. It returns an error if the document does not load or is
// not valid.
func Document() (*openapi3.T, error) { return load() }

// decodeJSON decodes one JSON value with numbers kept exact, as the schema checks expect.
func decodeJSON(data []byte, v *any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the JSON value")
	}
	return nil
}
