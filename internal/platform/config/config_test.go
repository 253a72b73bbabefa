package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func lookup(env map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := env[k]; return v, ok }
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	c, err := FromLookup(lookup(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTPAddr != "127.0.0.1:8080" || c.Env != Development || c.AccessTokenTTL != 15*time.Minute || len(c.JWTSecret) < 32 {
		t.Fatalf("defaults = %+v", c)
	}
	if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "JWT_SECRET") {
		t.Fatalf("want a warning about the generated secret, got %v", c.Warnings)
	}
}

func TestProductionNeedsASecret(t *testing.T) {
	t.Parallel()
	_, err := FromLookup(lookup(map[string]string{"APP_ENV": "production"}))
	if err == nil || !strings.Contains(err.Error(), "JWT_SECRET: is required when APP_ENV=production") {
		t.Fatalf("err = %v", err)
	}
	c, err := FromLookup(lookup(map[string]string{"APP_ENV": "production", "JWT_SECRET": strings.Repeat("s", 32)}))
	if err != nil || len(c.Warnings) != 0 {
		t.Fatalf("err = %v, warnings = %v", err, c.Warnings)
	}
}

func TestEveryBadValueIsReported(t *testing.T) {
	t.Parallel()
	_, err := FromLookup(lookup(map[string]string{
		"APP_ENV":                "staging",
		"DATABASE_URL":           "mysql://root:hunter2@db/x",
		"REDIS_URL":              "not a url",
		"HTTP_ADDR":              "8080",
		"JWT_SECRET":             "short",
		"CORS_ORIGINS":           "https://ok.example,ftp://bad.example,https://x.example/path",
		"ACCESS_TOKEN_TTL":       "forever",
		"RATE_LIMIT_API":         "-1",
		"LOG_LEVEL":              "loud",
		"DB_MAX_CONNS":           "0",
		"DATABASE_REPLICA_URL":   "mysql://replica/x",
		"TEMPORAL_TLS_CERT_FILE": "/nonexistent/client.pem",
	}))
	if err == nil {
		t.Fatal("accepted bad configuration")
	}
	msg := err.Error()
	for _, want := range []string{"APP_ENV:", "DATABASE_URL: scheme", "REDIS_URL:", "HTTP_ADDR:", "JWT_SECRET: must be at least 32",
		`CORS_ORIGINS: each origin must be scheme://host[:port] with no path; got "ftp://bad.example"`, `"https://x.example/path"`,
		"ACCESS_TOKEN_TTL:", "RATE_LIMIT_API:", "LOG_LEVEL:", "DB_MAX_CONNS:",
		"DATABASE_REPLICA_URL: scheme", "TEMPORAL_TLS_CERT_FILE: TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE must be set together"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "hunter2") {
		t.Errorf("message echoes a password:\n%s", msg)
	}
}

func TestWebDirMustHoldABuiltApp(t *testing.T) {
	t.Parallel()
	empty := t.TempDir()
	if _, err := FromLookup(lookup(map[string]string{"WEB_DIR": empty})); err == nil || !strings.Contains(err.Error(), "WEB_DIR") {
		t.Fatalf("WEB_DIR without index.html: err = %v, want one naming WEB_DIR", err)
	}
	built := t.TempDir()
	if err := os.WriteFile(filepath.Join(built, "index.html"), []byte("<!doctype html>"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := FromLookup(lookup(map[string]string{"WEB_DIR": built}))
	if err != nil || c.WebDir != built {
		t.Fatalf("WEB_DIR with index.html: %v, WebDir %q", err, c.WebDir)
	}
	if c, err := FromLookup(lookup(map[string]string{})); err != nil || c.WebDir != "" {
		t.Fatalf("no WEB_DIR: %v, WebDir %q, want none", err, c.WebDir)
	}
}
