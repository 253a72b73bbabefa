package telemetry

import "testing"

// TestDescribe: a statement's span is named by its sqlc query name, else by its first keyword,
// and the text it carries starts after the leading comments.
func TestDescribe(t *testing.T) {
	for _, c := range []struct{ sql, name, op, text string }{
		{"-- name: ReserveOrder :many\nWITH requested AS (SELECT 1) SELECT 2", "ReserveOrder", "WITH", "WITH requested AS (SELECT 1) SELECT 2"},
		{"-- name: AppendEvent :exec\n-- a comment\nINSERT INTO outbox VALUES ($1)", "AppendEvent", "INSERT", "INSERT INTO outbox VALUES ($1)"},
		{"begin", "BEGIN", "BEGIN", "begin"},
		{"  /* hint */ select 1", "SELECT", "SELECT", "select 1"},
		{"LISTEN \"outbox\"", "LISTEN", "LISTEN", "LISTEN \"outbox\""},
		{"", "SQL", "SQL", ""},
	} {
		name, op, text := describe(c.sql)
		if name != c.name || op != c.op || text != c.text {
			t.Errorf("describe(%q) = %q, %q, %q; want %q, %q, %q", c.sql, name, op, text, c.name, c.op, c.text)
		}
	}
}
