package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// searchJudgments are the judged queries of the search suite; see "about" in the file.
//
//go:embed testdata/search-judgments.json
var searchJudgments []byte

// queryTypes are the kinds of judged query, in the order the report lists them.
var queryTypes = []string{"plain", "synonym", "typo", "partial-sku", "descriptive", "filtered"}

// judgedQuery is one query a shopper might type, with its filters and the rules that grade
// every product of the catalogue for it.
type judgedQuery struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Q        string `json:"q"`
	Note     string `json:"note,omitempty"`
	Category string `json:"category,omitempty"`
	MinPrice *int64 `json:"min_price_cents,omitempty"`
	MaxPrice *int64 `json:"max_price_cents,omitempty"`
	InStock  bool   `json:"in_stock,omitempty"`
	Rules    []rule `json:"rules"`
}

// rule gives Grade to every product that satisfies all the conditions it sets.
type rule struct {
	Grade       int      `json:"grade"`
	Category    string   `json:"category,omitempty"`
	Name        []string `json:"name,omitempty"`     // every phrase appears in the name
	NameAny     []string `json:"name_any,omitempty"` // at least one phrase appears in the name
	NotName     []string `json:"not_name,omitempty"` // no phrase appears in the name
	SKUPrefix   string   `json:"sku_prefix,omitempty"`
	SKUContains string   `json:"sku_contains,omitempty"`
}

// judgedProduct is what the rules and the filters look at.
type judgedProduct struct {
	SKU, Name, Category string
	PriceCents          int64
	Stock               int32
}

// loadJudgments parses and checks the judged queries: known types, unique IDs, grades 1 to 3,
// and rules that each test something.
func loadJudgments(data []byte) ([]judgedQuery, error) {
	var file struct {
		About   string        `json:"about"`
		Queries []judgedQuery `json:"queries"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields() // a misspelt condition would otherwise be ignored
	if err := dec.Decode(&file); err != nil {
		return nil, fmt.Errorf("search judgments: %w", err)
	}
	seen := map[string]bool{}
	var errs []error
	for _, q := range file.Queries {
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("query %q: %s", q.ID, fmt.Sprintf(format, args...)))
		}
		if q.ID == "" || seen[q.ID] {
			bad("missing or repeated id")
		}
		seen[q.ID] = true
		if !slices.Contains(queryTypes, q.Type) {
			bad("type %q is not one of %v", q.Type, queryTypes)
		}
		if strings.TrimSpace(q.Q) == "" || len(q.Rules) == 0 {
			bad("needs a query text and at least one rule")
		}
		for i, r := range q.Rules {
			if r.Grade < 1 || r.Grade > 3 {
				bad("rule %d: grade %d is not 1, 2 or 3", i, r.Grade)
			}
			if r.Category == "" && len(r.Name) == 0 && len(r.NameAny) == 0 && r.SKUPrefix == "" && r.SKUContains == "" {
				bad("rule %d selects every product", i)
			}
		}
	}
	return file.Queries, errors.Join(errs...)
}

// passes reports whether p passes the query's filters, as the search applies them.
func (q judgedQuery) passes(p judgedProduct) bool {
	return (q.Category == "" || p.Category == q.Category) &&
		(q.MinPrice == nil || p.PriceCents >= *q.MinPrice) &&
		(q.MaxPrice == nil || p.PriceCents <= *q.MaxPrice) &&
		(!q.InStock || p.Stock > 0)
}

// grade is p's relevance to q: the highest grade of the rules it satisfies, 0 when it satisfies
// none or fails the filters.
func (q judgedQuery) grade(p judgedProduct) int {
	if !q.passes(p) {
		return 0
	}
	best := 0
	for _, r := range q.Rules {
		if r.Grade > best && r.holds(p) {
			best = r.Grade
		}
	}
	return best
}

func (r rule) holds(p judgedProduct) bool {
	name, sku := strings.ToLower(p.Name), strings.ToUpper(p.SKU)
	has := func(phrase string) bool { return containsPhrase(name, strings.ToLower(phrase)) }
	return (r.Category == "" || p.Category == r.Category) &&
		!slices.ContainsFunc(r.Name, func(s string) bool { return !has(s) }) &&
		(len(r.NameAny) == 0 || slices.ContainsFunc(r.NameAny, has)) &&
		!slices.ContainsFunc(r.NotName, has) &&
		strings.HasPrefix(sku, strings.ToUpper(r.SKUPrefix)) &&
		strings.Contains(sku, strings.ToUpper(r.SKUContains))
}

// containsPhrase reports whether phrase occurs in text as whole words: not preceded or followed
// by a letter or digit ("mat" is not in "matte", "tea" is not in "teal").
func containsPhrase(text, phrase string) bool {
	if phrase == "" {
		return false
	}
	for from := 0; ; {
		i := strings.Index(text[from:], phrase)
		if i < 0 {
			return false
		}
		start, end := from+i, from+i+len(phrase)
		if (start == 0 || !isWordByte(text[start-1])) && (end == len(text) || !isWordByte(text[end])) {
			return true
		}
		from = start + 1
	}
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
