package observability_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// A selector is a metric a PromQL expression reads, and the job its matchers restrict it to
// (job="..."; empty when any job's series would do).
type selector struct {
	Metric string
	Job    string
}

// promqlWords are the identifiers of PromQL that are not metric names when they are not
// followed by "(": binary operators, modifiers and constants.
var promqlWords = map[string]bool{
	"and": true, "or": true, "unless": true, "bool": true, "offset": true, "atan2": true,
	"inf": true, "nan": true, "by": true, "without": true, "on": true, "ignoring": true,
	"group_left": true, "group_right": true,
}

// grouping words take a parenthesised list of label names, which are not metrics.
var grouping = map[string]bool{
	"by": true, "without": true, "on": true, "ignoring": true, "group_left": true, "group_right": true,
}

// selectors returns the metrics expr reads. It is a lexer rather than a parser, enough for the
// expressions of our dashboards and rules: it skips strings, comments, numbers and durations,
// range brackets, Grafana variables ($x, ${x}), function names and grouping label lists, and
// reads job= and __name__= from label matchers. It fails on what it cannot read.
func selectors(expr string) ([]selector, error) {
	var out []selector
	s := expr
	i := 0
	skipSpace := func() {
		for i < len(s) && strings.ContainsRune(" \t\r\n", rune(s[i])) {
			i++
		}
	}
	ident := func() string {
		start := i
		for i < len(s) && (isIdentStart(s[i]) || s[i] >= '0' && s[i] <= '9') {
			i++
		}
		return s[start:i]
	}
	for i < len(s) {
		c := s[i]
		switch {
		case strings.ContainsRune(" \t\r\n", rune(c)):
			i++
		case c == '#':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '"' || c == '\'' || c == '`':
			end, err := skipString(s, i)
			if err != nil {
				return nil, err
			}
			i = end
		case c == '[':
			end := strings.IndexByte(s[i:], ']')
			if end < 0 {
				return nil, fmt.Errorf("unclosed [ at %d in %q", i, expr)
			}
			i += end + 1
		case c == '$':
			i++
			if i < len(s) && s[i] == '{' {
				end := strings.IndexByte(s[i:], '}')
				if end < 0 {
					return nil, fmt.Errorf("unclosed ${ at %d in %q", i, expr)
				}
				i += end + 1
			} else {
				ident()
			}
		case c == '{':
			// A selector without a name before it: {__name__="x", ...}.
			m, next, err := matchers(s, i)
			if err != nil {
				return nil, fmt.Errorf("%w in %q", err, expr)
			}
			i = next
			if m["__name__"] == "" {
				return nil, fmt.Errorf("selector without a metric name in %q", expr)
			}
			out = append(out, selector{Metric: m["__name__"], Job: m["job"]})
		case c >= '0' && c <= '9' || c == '.':
			for i < len(s) && (isIdentStart(s[i]) || s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
				i++
			}
		case isIdentStart(c):
			word := ident()
			skipSpace()
			next := byte(0)
			if i < len(s) {
				next = s[i]
			}
			switch {
			case grouping[word]:
				if next == '(' {
					end := strings.IndexByte(s[i:], ')')
					if end < 0 {
						return nil, fmt.Errorf("unclosed %s( in %q", word, expr)
					}
					i += end + 1
				}
			case next == '(' || promqlWords[word] || startsGrouping(s[i:]):
				// a function or an aggregation (sum by (le) (...)), or an operator word
			default:
				sel := selector{Metric: word}
				if next == '{' {
					m, end, err := matchers(s, i)
					if err != nil {
						return nil, fmt.Errorf("%w in %q", err, expr)
					}
					i = end
					sel.Job = m["job"]
				}
				out = append(out, sel)
			}
		default:
			i++ // operators, parentheses, commas
		}
	}
	return out, nil
}

// startsGrouping says whether s starts with "by" or "without" and then "(": what follows an
// aggregation's name in sum by (le) (...).
func startsGrouping(s string) bool {
	for _, w := range []string{"by", "without"} {
		if rest, ok := strings.CutPrefix(s, w); ok && strings.HasPrefix(strings.TrimLeft(rest, " \t\r\n"), "(") {
			return true
		}
	}
	return false
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':'
}

// skipString returns the index after the string literal that starts at s[i].
func skipString(s string, i int) (int, error) {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		switch {
		case s[j] == '\\' && q != '`':
			j++
		case s[j] == q:
			return j + 1, nil
		}
	}
	return 0, fmt.Errorf("unclosed string at %d in %q", i, s)
}

// matchers reads the label matchers of the block that starts at s[i] == '{' and returns the
// equality ones (name="value") and the index after the block.
func matchers(s string, i int) (map[string]string, int, error) {
	eq := map[string]string{}
	i++ // {
	for {
		for i < len(s) && strings.ContainsRune(" \t\r\n,", rune(s[i])) {
			i++
		}
		if i >= len(s) {
			return nil, 0, fmt.Errorf("unclosed {")
		}
		if s[i] == '}' {
			return eq, i + 1, nil
		}
		start := i
		for i < len(s) && (isIdentStart(s[i]) || s[i] >= '0' && s[i] <= '9') {
			i++
		}
		name := s[start:i]
		for i < len(s) && s[i] == ' ' {
			i++
		}
		opStart := i
		for i < len(s) && strings.ContainsRune("=!~", rune(s[i])) {
			i++
		}
		op := s[opStart:i]
		for i < len(s) && s[i] == ' ' {
			i++
		}
		if name == "" || op == "" || i >= len(s) || !strings.ContainsRune("\"'`", rune(s[i])) {
			return nil, 0, fmt.Errorf("bad label matcher at %d", start)
		}
		end, err := skipString(s, i)
		if err != nil {
			return nil, 0, err
		}
		if op == "=" {
			eq[name] = s[i+1 : end-1]
		}
		i = end
	}
}

func TestSelectors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		expr string
		want []selector
	}{
		{`up`, []selector{{"up", ""}}},
		{`sum(rate(http_requests_total{job="api", status=~"5.."}[5m])) / sum(rate(http_requests_total{job="api"}[5m])) > 0.05`,
			[]selector{{"http_requests_total", "api"}, {"http_requests_total", "api"}}},
		{`histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket{job="api", route=~"$route"}[$__rate_interval])))`,
			[]selector{{"http_request_duration_seconds_bucket", "api"}}},
		{`sum by (class) (label_replace(rate(x_total{job="worker"}[1m]), "class", "${1}xx", "status", "(.).."))`,
			[]selector{{"x_total", "worker"}}},
		{`count(up{job="api"} == 1) > 0 unless on() count(bogus_metric{job="api"}) > 0`,
			[]selector{{"up", "api"}, {"bogus_metric", "api"}}},
		{`sum(a) without (instance) * on (job) group_left (le) b offset 5m and bool c`,
			[]selector{{"a", ""}, {"b", ""}, {"c", ""}}},
		{`{__name__="named", job="worker"} # a comment naming not_a_metric`, []selector{{"named", "worker"}}},
		{`max(outbox_oldest_pending_seconds{job="api"}) > 60`, []selector{{"outbox_oldest_pending_seconds", "api"}}},
	}
	for _, tt := range tests {
		got, err := selectors(tt.expr)
		if err != nil {
			t.Errorf("selectors(%q): %v", tt.expr, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("selectors(%q) = %v, want %v", tt.expr, got, tt.want)
		}
	}
	for _, bad := range []string{`x{job="api"`, `x{job=api}`, `rate(x[5m)`, `x{job="api}`} {
		if _, err := selectors(bad); err == nil {
			t.Errorf("selectors(%q): no error", bad)
		}
	}
}
