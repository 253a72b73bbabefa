// Package prompt holds the prompts the platform sends to language models, and the code that
// sends them and checks what comes back.
//
// Each prompt is a versioned template embedded in the binary: templates/<name>.<version>.txt,
// a text/template defining a "system" block (instructions only) and a "user" block (data
// only), and templates/<name>.<version>.schema.json, the JSON Schema its reply must satisfy.
// Whatever the data holds (a shopper's message, product names written by sellers) goes into
// the user turn JSON-encoded between named delimiters, never into the instructions; JSON
// encoding escapes quotes, newlines, '<' and '>', so the data can neither end its string nor
// close its delimiter, and the system prompt says that the data is not to be obeyed.
//
// A reply is accepted only if it is one JSON object valid against the schema (unknown fields
// refused) and passes the caller's semantic checks (known categories, candidate IDs, price
// order ...). An invalid reply gets one repair turn from ai.Client; after that, or when the
// provider fails or no model is configured, the caller's fallback answers. Every answer is
// counted by template name and version (ai_prompt_answers_total) and logged with them.
//
// A change to a prompt's wording or reply is a new version: add <name>.v2.txt and its schema,
// point the code at it, and regenerate the golden files (go test ./internal/prompt -update).
// The metrics then compare the versions' fallback rates.
package prompt

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/template"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/acme/orders/internal/ai"
)

//go:embed templates
var files embed.FS

// Template is one version of one prompt: its instructions and data layout, and the schema its
// reply must satisfy.
type Template struct {
	Name    string // e.g. "assistant"
	Version string // e.g. "v1"

	text       *template.Template
	schema     *jsonschema.Schema
	schemaJSON []byte
}

// The prompts in use. Tests check that every file under templates loads.
var (
	Assistant = mustLoad("assistant", "v1") // a shopper's message → catalogue filters
	Reranker  = mustLoad("rerank", "v1")    // recommendation candidates → the model's order
)

// AssistantData is what the Assistant template reads.
type AssistantData struct {
	Message    string   // the shopper's message, as typed
	Categories []string // the live category names
}

func mustLoad(name, version string) *Template {
	t, err := Load(name, version)
	if err != nil {
		panic(err)
	}
	return t
}

// Load reads templates/<name>.<version>.txt and its .schema.json from the embedded files.
func Load(name, version string) (*Template, error) {
	base := "templates/" + name + "." + version
	src, err := files.ReadFile(base + ".txt")
	if err != nil {
		return nil, fmt.Errorf("prompt %s.%s: %w", name, version, err)
	}
	text, err := template.New(name).Option("missingkey=error").Funcs(template.FuncMap{"json": encode}).Parse(string(src))
	if err != nil {
		return nil, fmt.Errorf("prompt %s.%s: %w", name, version, err)
	}
	for _, block := range []string{"system", "user"} {
		if text.Lookup(block) == nil {
			return nil, fmt.Errorf("prompt %s.%s: no %q block", name, version, block)
		}
	}
	raw, err := files.ReadFile(base + ".schema.json")
	if err != nil {
		return nil, fmt.Errorf("prompt %s.%s: %w", name, version, err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("prompt %s.%s schema: %w", name, version, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(base+".schema.json", doc); err != nil {
		return nil, fmt.Errorf("prompt %s.%s schema: %w", name, version, err)
	}
	schema, err := c.Compile(base + ".schema.json")
	if err != nil {
		return nil, fmt.Errorf("prompt %s.%s schema: %w", name, version, err)
	}
	return &Template{Name: name, Version: version, text: text, schema: schema, schemaJSON: raw}, nil
}

// ID is "name.version", as it appears in metrics, logs and responses.
func (t *Template) ID() string { return t.Name + "." + t.Version }

// Render fills the template with data: the "system" block becomes the instructions, the
// "user" block the user turn, and the schema goes along for providers with a JSON mode.
func (t *Template) Render(data any) (ai.GenerateRequest, error) {
	var system, user strings.Builder
	if err := t.text.ExecuteTemplate(&system, "system", data); err != nil {
		return ai.GenerateRequest{}, fmt.Errorf("prompt %s: %w", t.ID(), err)
	}
	if err := t.text.ExecuteTemplate(&user, "user", data); err != nil {
		return ai.GenerateRequest{}, fmt.Errorf("prompt %s: %w", t.ID(), err)
	}
	return ai.GenerateRequest{System: system.String(), Prompt: user.String(), Schema: t.schemaJSON}, nil
}

// encode is the templates' json function: data as one line of JSON, with '<', '>' and '&'
// escaped, so no text inside it can close a delimiter.
func encode(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// Decode accepts text only if it is one JSON object valid against the template's schema, and
// decodes it into dst. The error says what is wrong in a sentence fit for a repair turn.
// A reply wrapped in a Markdown code fence is read without the fence.
func (t *Template) Decode(text string, dst any) error {
	text = unfence(text)
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(text))
	if err != nil {
		return errors.New("the reply is not one JSON value")
	}
	if err := t.schema.Validate(doc); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			return errors.New(describe(ve))
		}
		return err
	}
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return fmt.Errorf("the reply does not fit the schema: %v", err)
	}
	return nil
}

// unfence strips one surrounding Markdown code fence (```json ... ```), which models without
// a JSON mode sometimes add.
func unfence(text string) string {
	s := strings.TrimSpace(text)
	if !strings.HasPrefix(s, "```") || !strings.HasSuffix(s, "```") || len(s) < 6 {
		return text
	}
	s = strings.TrimSuffix(s[3:], "```")
	if nl := strings.IndexByte(s, '\n'); nl >= 0 && !strings.ContainsAny(s[:nl], "{[") {
		s = s[nl+1:] // the fence's language tag
	}
	return s
}

// describe lists the innermost schema violations, at most three.
func describe(ve *jsonschema.ValidationError) string {
	var leaves []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			leaves = append(leaves, e.Error()) // at '/path': what is wrong
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	if len(leaves) > 3 {
		leaves = append(leaves[:3], fmt.Sprintf("and %d more", len(leaves)-3))
	}
	return "the reply does not satisfy the schema: " + strings.Join(leaves, "; ")
}
