package observability_test

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// decodeYAML decodes the file at path into v, refusing fields v does not know.
func decodeYAML(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// dashboard is the part of a Grafana dashboard the tests read.
type dashboard struct {
	UID        string  `json:"uid"`
	Title      string  `json:"title"`
	Panels     []panel `json:"panels"`
	Templating struct {
		List []struct {
			Name       string          `json:"name"`
			Datasource *datasource     `json:"datasource"`
			Query      json.RawMessage `json:"query"`
		} `json:"list"`
	} `json:"templating"`
}

type panel struct {
	ID         int                      `json:"id"`
	Type       string                   `json:"type"`
	Title      string                   `json:"title"`
	Datasource *datasource              `json:"datasource"`
	GridPos    struct{ X, Y, W, H int } `json:"gridPos"`
	Targets    []struct {
		Datasource *datasource `json:"datasource"`
		Expr       string      `json:"expr"`
	} `json:"targets"`
	Panels []panel `json:"panels"`
}

type datasource struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

// query is one PromQL expression of the dashboard or the rules, and where it is.
type query struct {
	where, expr string
}

const dashboardPath = "grafana/dashboards/orders.json"

// readDashboard decodes the dashboard and checks its structure: unique panel IDs, panels
// inside the grid, and every query on the provisioned Prometheus datasource. It returns the
// queries of its panels and of its variables.
func readDashboard(t *testing.T) []query {
	t.Helper()
	var ds struct {
		APIVersion  int `yaml:"apiVersion"`
		Datasources []struct {
			Name, UID, Type, Access, URL string
			IsDefault                    bool           `yaml:"isDefault"`
			Editable                     bool           `yaml:"editable"`
			JSONData                     map[string]any `yaml:"jsonData"`
		} `yaml:"datasources"`
	}
	decodeYAML(t, "grafana/provisioning/datasources/prometheus.yml", &ds)
	if len(ds.Datasources) != 1 || ds.Datasources[0].Type != "prometheus" || ds.Datasources[0].UID == "" {
		t.Fatalf("want one Prometheus datasource with a uid, have %+v", ds.Datasources)
	}
	uid := ds.Datasources[0].UID

	b, err := os.ReadFile(dashboardPath)
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("%s: %v", dashboardPath, err)
	}
	if d.UID == "" || d.Title == "" {
		t.Errorf("dashboard without uid or title")
	}
	onDatasource := func(where string, s *datasource) {
		if s == nil || s.UID != uid || s.Type != "prometheus" {
			t.Errorf("%s: datasource %+v, want the provisioned %q", where, s, uid)
		}
	}
	var queries []query
	ids := map[int]bool{}
	var walk func([]panel)
	walk = func(ps []panel) {
		for _, p := range ps {
			where := "panel " + p.Title
			if p.ID == 0 || ids[p.ID] {
				t.Errorf("%s: id %d missing or not unique", where, p.ID)
			}
			ids[p.ID] = true
			if p.GridPos.W <= 0 || p.GridPos.H <= 0 || p.GridPos.X < 0 || p.GridPos.X+p.GridPos.W > 24 {
				t.Errorf("%s: gridPos %+v outside the 24-column grid", where, p.GridPos)
			}
			if len(p.Targets) > 0 {
				onDatasource(where, p.Datasource)
			}
			for _, tg := range p.Targets {
				onDatasource(where, tg.Datasource)
				if strings.TrimSpace(tg.Expr) == "" {
					t.Errorf("%s: a target without an expression", where)
				}
				queries = append(queries, query{where, tg.Expr})
			}
			walk(p.Panels)
		}
	}
	walk(d.Panels)
	labelValues := regexp.MustCompile(`^label_values\((.+),\s*[a-zA-Z_]\w*\)$`)
	for _, v := range d.Templating.List {
		where := "variable " + v.Name
		onDatasource(where, v.Datasource)
		var q struct{ Query string }
		if err := json.Unmarshal(v.Query, &q); err != nil {
			t.Fatalf("%s: query: %v", where, err)
		}
		m := labelValues.FindStringSubmatch(q.Query)
		if m == nil {
			t.Fatalf("%s: %q is not label_values(selector, label)", where, q.Query)
		}
		queries = append(queries, query{where, m[1]})
	}
	if len(queries) == 0 {
		t.Fatal("the dashboard has no queries")
	}
	return queries
}

// rules is a Prometheus rule file.
type rules struct {
	Groups []struct {
		Name     string `yaml:"name"`
		Interval string `yaml:"interval"`
		Rules    []struct {
			Alert         string            `yaml:"alert"`
			Record        string            `yaml:"record"`
			Expr          string            `yaml:"expr"`
			For           string            `yaml:"for"`
			KeepFiringFor string            `yaml:"keep_firing_for"`
			Labels        map[string]string `yaml:"labels"`
			Annotations   map[string]string `yaml:"annotations"`
		} `yaml:"rules"`
	} `yaml:"groups"`
}

const (
	rulesPath     = "prometheus/alerts.yml"
	readmePath    = "../../README.md"
	runbookPrefix = "https://github.com/acme/orders/blob/main/README.md#"
)

// readRules decodes the alert rules and checks each: a name, a severity, a duration, and a
// runbook_url whose anchor is an entry of the README's "Runbook: alerts". It returns their
// queries.
func readRules(t *testing.T) []query {
	t.Helper()
	var r rules
	decodeYAML(t, rulesPath, &r)
	entries := runbookEntries(t)
	var queries []query
	seen := map[string]bool{}
	for _, g := range r.Groups {
		for _, rule := range g.Rules {
			where := "alert " + rule.Alert
			if rule.Alert == "" || seen[rule.Alert] {
				t.Errorf("group %s: a rule without an alert name, or a name used twice (%q)", g.Name, rule.Alert)
			}
			seen[rule.Alert] = true
			if rule.Labels["severity"] != "warning" && rule.Labels["severity"] != "critical" {
				t.Errorf("%s: severity %q, want warning or critical", where, rule.Labels["severity"])
			}
			if _, err := time.ParseDuration(rule.For); err != nil {
				t.Errorf("%s: for: %v", where, err)
			}
			if rule.Annotations["summary"] == "" {
				t.Errorf("%s: no summary", where)
			}
			anchor, ok := strings.CutPrefix(rule.Annotations["runbook_url"], runbookPrefix)
			if !ok || !entries[anchor] {
				t.Errorf("%s: runbook_url %q is not %s<an entry of README's Runbook: alerts>", where, rule.Annotations["runbook_url"], runbookPrefix)
			}
			queries = append(queries, query{where, rule.Expr})
		}
	}
	if len(queries) == 0 {
		t.Fatal("no alert rules")
	}
	return queries
}

// runbookEntries returns the GitHub anchors of the headings inside the README's
// "### Runbook: alerts" section.
func runbookEntries(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	entries := map[string]bool{}
	in := false
	for line := range strings.Lines(string(b)) {
		line = strings.TrimSpace(line)
		switch {
		case line == "### Runbook: alerts":
			in = true
		case in && (strings.HasPrefix(line, "## ") || strings.HasPrefix(line, "### ")):
			in = false
		case in && strings.HasPrefix(line, "#### "):
			entries[anchor(strings.TrimPrefix(line, "#### "))] = true
		}
	}
	if len(entries) == 0 {
		t.Fatalf("%s has no entries under \"### Runbook: alerts\"", readmePath)
	}
	return entries
}

// anchor is GitHub's anchor for a heading: lower case, spaces to hyphens, other punctuation
// dropped.
func anchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestQueriesUseExportedMetrics checks every metric the dashboard and the alerts query against
// the families the API and the worker export, per scrape job.
func TestQueriesUseExportedMetrics(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	exp := exportedMetrics(t)
	dash, alerts := readDashboard(t), readRules(t)
	used := map[string]bool{}
	for _, q := range slices.Concat(dash, alerts) {
		sels, err := selectors(q.expr)
		if err != nil {
			t.Errorf("%s: %v", q.where, err)
			continue
		}
		if len(sels) == 0 {
			t.Errorf("%s: %q reads no metric", q.where, q.expr)
		}
		for _, s := range sels {
			if !exp.check(s) {
				job := s.Job
				if job == "" {
					job = "api or worker"
				}
				t.Errorf("%s: %s is not exported by %s", q.where, s.Metric, job)
			}
			used[strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(s.Metric, "_bucket"), "_sum"), "_count")] = true
		}
	}

	// The other way round: every family of ours has a panel (the Go runtime's and the
	// process's, and Prometheus's own, are left to other dashboards).
	for job, names := range exp {
		for n := range names {
			if strings.HasPrefix(n, "go_") || strings.HasPrefix(n, "process_") || slices.Contains(prometheusSeries, n) {
				continue
			}
			if !slices.ContainsFunc(dash, func(q query) bool { return queriesMetric(q.expr, n) }) {
				t.Errorf("%s exports %s, which no dashboard panel shows", job, n)
			}
		}
	}

	// What the alerts must watch.
	for _, m := range []string{"outbox_oldest_pending_seconds", "projection_lag_seconds", "projection_parked_events",
		"http_requests_total", "ai_fallbacks_total", "view_cache_lookups_total"} {
		if !slices.ContainsFunc(alerts, func(q query) bool { return queriesMetric(q.expr, m) }) {
			t.Errorf("no alert on %s", m)
		}
	}
}

// queriesMetric says whether expr reads metric (or a histogram series of it).
func queriesMetric(expr, metric string) bool {
	sels, _ := selectors(expr)
	return slices.ContainsFunc(sels, func(s selector) bool { return has(map[string]bool{metric: true}, s.Metric) })
}

// TestDashboardAndRulesWithoutDatabase checks what needs no registry, so that -short still
// catches a broken file.
func TestDashboardAndRulesWithoutDatabase(t *testing.T) {
	t.Parallel()
	for _, q := range slices.Concat(readDashboard(t), readRules(t)) {
		if _, err := selectors(q.expr); err != nil {
			t.Errorf("%s: %v", q.where, err)
		}
	}
}
