// Package pgtest gives a test package its own freshly migrated PostgreSQL database, dropped
// when the package's tests end. The server is the real one named by TEST_DATABASE_URL
// (default: the local server as user postgres).
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/acme/orders/internal/platform/postgres"
)

// ServerURL is the maintenance-database URL of the test server.
func ServerURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// DB is a database created for one test package.
type DB struct {
	Name string
	URL  string
	Pool *pgxpool.Pool
}

// Create makes a new database named after prefix, migrates it and opens a pool on it.
func Create(ctx context.Context, prefix string) (*DB, error) {
	db, err := CreateEmpty(ctx, prefix)
	if err != nil {
		return nil, err
	}
	db.Pool, err = postgres.Open(ctx, db.URL, postgres.Options{MaxConns: 40})
	if err != nil {
		return nil, err
	}
	if _, err := postgres.Migrate(ctx, db.Pool); err != nil {
		db.Drop()
		return nil, err
	}
	return db, nil
}

// CreateEmpty makes a new database named after prefix, with no schema and no pool (Pool is
// nil), for a test that fills it another way, such as a restored dump.
func CreateEmpty(ctx context.Context, prefix string) (*DB, error) {
	suffix := make([]byte, 4)
	_, _ = rand.Read(suffix)
	name := fmt.Sprintf("test_%s_%s", strings.ToLower(prefix), hex.EncodeToString(suffix))
	conn, err := pgx.Connect(ctx, ServerURL())
	if err != nil {
		return nil, fmt.Errorf("connect to the test server (%s): %w", ServerURL(), err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return nil, err
	}
	u, err := url.Parse(ServerURL())
	if err != nil {
		return nil, err
	}
	u.Path = "/" + name
	return &DB{Name: name, URL: u.String()}, nil
}

// Drop closes the pool and drops the database, ending any session still connected to it.
func (db *DB) Drop() {
	if db.Pool != nil {
		db.Pool.Close()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, ServerURL())
	if err != nil {
		fmt.Fprintln(os.Stderr, "pgtest: drop:", err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{db.Name}.Sanitize()+" WITH (FORCE)"); err != nil {
		fmt.Fprintln(os.Stderr, "pgtest: drop:", err)
	}
}

// Main runs a test package against a fresh database stored in *db, dropping it afterwards;
// call it from TestMain: os.Exit(pgtest.Main(m, "orders", &db)).
func Main(m *testing.M, prefix string, db **DB) int {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	created, err := Create(ctx, prefix)
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
		return 1
	}
	*db = created
	defer created.Drop()
	return m.Run()
}
