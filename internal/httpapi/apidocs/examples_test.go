package apidocs_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/acme/orders/internal/httpapi/apidocs"
	"github.com/acme/orders/internal/httpapi/apidocs/apidocstest"
)

// TestExamplesMatchSchemas validates every example of a media type, a parameter or a schema
// against its schema, with the formats asserted, so that examples cannot drift from the
// schemas they illustrate.
func TestExamplesMatchSchemas(t *testing.T) {
	t.Parallel()
	doc := document(t)
	n := 0
	check := func(where string, schema *openapi3.SchemaRef, example any) {
		n++
		if schema == nil {
			t.Errorf("%s: an example without a schema", where)
			return
		}
		if err := schema.Value.VisitJSON(example, apidocstest.SchemaOptions()...); err != nil {
			t.Errorf("%s: example: %v", where, err)
		}
	}
	checkContent := func(where string, content openapi3.Content) {
		for mt, media := range content {
			if media.Example != nil {
				check(where+" "+mt, media.Schema, media.Example)
			}
			for name, e := range media.Examples {
				check(where+" "+mt+" example "+name, media.Schema, e.Value.Value)
			}
		}
	}
	for _, o := range operationsOf(t, doc) {
		if o.op.RequestBody != nil {
			checkContent(o.String()+" request", o.op.RequestBody.Value.Content)
		}
		for code, r := range o.op.Responses.Map() {
			checkContent(o.String()+" "+code, r.Value.Content)
		}
		for _, p := range o.op.Parameters {
			if p.Value.Example != nil {
				check(fmt.Sprintf("%s parameter %s", o, p.Value.Name), p.Value.Schema, p.Value.Example)
			}
		}
	}
	for name, s := range doc.Components.Schemas {
		if s.Value.Example != nil {
			check("schema "+name, s, s.Value.Example)
		}
	}
	if n < 30 {
		t.Errorf("only %d examples checked; the document should illustrate more", n)
	}
}

// TestValidatorCatchesMistakes shows the checks above can fail: bad values against a schema,
// and documents with a bad example, a dangling $ref or the wrong version.
func TestValidatorCatchesMistakes(t *testing.T) {
	t.Parallel()
	user := document(t).Components.Schemas["User"].Value
	good := map[string]any{"id": "0192f0c1-7a3e-7c11-9b4e-2f6d8a1c3e57", "email": "a@example.com", "name": "A", "role": "staff",
		"created_at": "2025-11-20T09:14:03Z"}
	if err := user.VisitJSON(good, apidocstest.SchemaOptions()...); err != nil {
		t.Fatalf("a good user fails: %v", err)
	}
	for name, change := range map[string]func(map[string]any){
		"bad role":      func(m map[string]any) { m["role"] = "root" },
		"missing email": func(m map[string]any) { delete(m, "email") },
		"extra field":   func(m map[string]any) { m["password"] = "x" },
		"bad uuid":      func(m map[string]any) { m["id"] = "42" },
		"bad email":     func(m map[string]any) { m["email"] = "nobody" },
		"local time":    func(m map[string]any) { m["created_at"] = "2025-11-20 09:14" },
		"offset time":   func(m map[string]any) { m["created_at"] = "2025-11-20T09:14:03+01:00" },
		"wrong type":    func(m map[string]any) { m["name"] = 7.0 },
	} {
		m := map[string]any{}
		for k, x := range good {
			m[k] = x
		}
		change(m)
		if err := user.VisitJSON(m, apidocstest.SchemaOptions()...); err == nil {
			t.Errorf("%s: not caught", name)
		}
	}

	for name, edit := range map[string][2]string{
		"bad example":   {`"role": "staff"`, `"role": "root"`},
		"dangling $ref": {`"$ref": "#/components/schemas/User"`, `"$ref": "#/components/schemas/Nobody"`},
		"version 3.0":   {`"openapi": "3.1.0"`, `"openapi": "3.0.3"`},
	} {
		spec := apidocs.Spec()
		if !bytes.Contains(spec, []byte(edit[0])) {
			t.Fatalf("%s: the document has no %s to change", name, edit[0])
		}
		broken := bytes.Replace(spec, []byte(edit[0]), []byte(edit[1]), 1)
		if !json.Valid(broken) {
			t.Fatalf("%s: the edit broke the JSON", name)
		}
		if _, err := apidocstest.Load(broken); err == nil {
			t.Errorf("%s: the document still loads and validates", name)
		}
	}
}
