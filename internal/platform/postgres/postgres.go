// Package postgres opens the pgx pool, applies the embedded migrations, runs transactions with
// retry on serialization failures and deadlocks, and turns connection failures into
// fault.ErrUnavailable so that every caller answers 503 instead of 500 when the database is down.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/acme/orders/internal/fault"
	"github.com/acme/orders/internal/platform/telemetry"
)

// Options tunes the pool; zero values take pgx's defaults.
type Options struct {
	MaxConns int32
	// AsyncCommit turns off synchronous_commit for every transaction of this pool: a commit
	// returns before its WAL is flushed. Only for work that can be derived again, such as
	// publication and projections: a crash can lose their last milliseconds, never a later
	// step without an earlier one (WAL is replayed in order), and they simply run again.
	AsyncCommit bool
	// LockTimeout and StatementTimeout bound every statement of the pool's sessions (0: the
	// server's setting). A statement that waits on a row lock longer than LockTimeout fails
	// with fault.ErrBusy instead of holding its connection for the whole request.
	LockTimeout      time.Duration
	StatementTimeout time.Duration
	// WriteConns caps how many connections transactions run through InTx may hold at once;
	// the rest of the pool stays free for reads, so writes queued behind a hot row cannot
	// starve them. 0: no cap.
	WriteConns int32
	// ReadOnly makes every transaction of the pool read-only (default_transaction_read_only),
	// for a pool on a read replica: a write sent to it by mistake fails at once, here as on
	// the replica, instead of succeeding against a primary in testing and failing in production.
	ReadOnly bool
}

// Open creates a pool for url. Connections are made lazily, so a server that is down at start
// only makes requests fail with fault.ErrUnavailable until it is back.
func Open(ctx context.Context, url string, opts Options) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse the database URL: %w", err)
	}
	if opts.MaxConns > 0 {
		cfg.MaxConns = opts.MaxConns
	}
	if opts.AsyncCommit {
		cfg.ConnConfig.RuntimeParams["synchronous_commit"] = "off"
	}
	if opts.ReadOnly {
		cfg.ConnConfig.RuntimeParams["default_transaction_read_only"] = "on"
	}
	if opts.LockTimeout > 0 {
		cfg.ConnConfig.RuntimeParams["lock_timeout"] = strconv.FormatInt(opts.LockTimeout.Milliseconds(), 10)
	}
	if opts.StatementTimeout > 0 {
		cfg.ConnConfig.RuntimeParams["statement_timeout"] = strconv.FormatInt(opts.StatementTimeout.Milliseconds(), 10)
	}
	cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	cfg.HealthCheckPeriod = 5 * time.Second
	cfg.MaxConnIdleTime = 5 * time.Minute
	if telemetry.Enabled() {
		// Only when traces are exported: with tracing off, statements run with no hook at all.
		cfg.ConnConfig.Tracer = telemetry.NewQueryTracer(cfg.ConnConfig)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("create pool: %w", err)
	}
	if opts.WriteConns > 0 && opts.WriteConns < cfg.MaxConns {
		writeGates.Store(pool, make(chan struct{}, opts.WriteConns))
	}
	return pool, nil
}

// ErrBadText is returned for text PostgreSQL cannot store: a NUL character or invalid UTF-8.
var ErrBadText = fault.New(fault.Invalid, "invalid-text", "text fields must be valid UTF-8 without NUL characters")

// ErrInvalidValue is returned for any other value the database refuses as data (SQLSTATE
// class 22), such as a number out of its column's range.
var ErrInvalidValue = fault.ErrOutOfRange.WithMessage("a value is outside the range the database can store for it")

// busyRetryAfter is what a client is told to wait after a lock or statement timeout.
const busyRetryAfter = time.Second

// Classify returns err wrapped as fault.ErrUnavailable when it means the database cannot be
// reached (refused connection, closed connection, server shutting down, too many clients), as
// fault.ErrBusy when a lock or statement timeout ended it (the row it needed was held too long),
// as ErrBadText for text the database refuses to store, as ErrInvalidValue for any other data
// exception (class 22: out of range, overflow), and err unchanged otherwise.
func Classify(err error) error {
	if err == nil {
		return nil
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case pgErr.Code == "22021" || pgErr.Code == "22P05":
			return fmt.Errorf("%w: %w", ErrBadText, err)
		case strings.HasPrefix(pgErr.Code, "22"):
			return fmt.Errorf("%w: %w", ErrInvalidValue, err)
		case pgErr.Code == "55P03" || pgErr.Code == "57014" || // lock_not_available, query_canceled,
			pgErr.Code == "40001" || pgErr.Code == "40P01": // or still conflicting after InTx's retries
			return fmt.Errorf("%w: %w", fault.ErrBusy.WithRetryAfter(busyRetryAfter), err)
		}
	}
	if !isUnavailable(err) {
		return err
	}
	return fmt.Errorf("%w: %w", fault.ErrUnavailable, err)
}

func isUnavailable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case len(pgErr.Code) == 5 && pgErr.Code[:2] == "08": // connection exception
			return true
		case pgErr.Code == "57P01", pgErr.Code == "57P02", pgErr.Code == "57P03", pgErr.Code == "53300":
			return true
		}
		return false
	}
	var connErr *pgconn.ConnectError
	var netErr net.Error
	switch {
	case errors.As(err, &connErr), errors.As(err, &netErr):
		return true
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		return true
	case pgconn.Timeout(err), pgconn.SafeToRetry(err):
		return true
	}
	return false
}

// IsUniqueViolation reports whether err is a unique-constraint violation of the named
// constraint (or index); an empty name matches any.
func IsUniqueViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505" && (constraint == "" || pgErr.ConstraintName == constraint)
}

// IsNoRows reports whether err says a query that expected one row found none.
func IsNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }

// retryable reports serialization failures and deadlocks, which PostgreSQL asks the client to
// retry from the start of the transaction.
func retryable(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "40001" || pgErr.Code == "40P01")
}

// InTx runs fn in a READ COMMITTED transaction, committing if fn returns nil and rolling back
// otherwise. A serialization failure or deadlock restarts fn from the start (up to 3 attempts),
// so fn must not have effects outside the transaction. Errors are passed through Classify.
func InTx(ctx context.Context, pool *pgxpool.Pool, fn func(pgx.Tx) error) error {
	release, err := enterWrite(ctx, pool)
	if err != nil {
		return err
	}
	defer release()
	for attempt := 0; attempt < 3; attempt++ {
		err = inTxOnce(ctx, pool, fn)
		if !retryable(err) {
			break
		}
	}
	return Classify(err)
}

func inTxOnce(ctx context.Context, pool *pgxpool.Pool, fn func(pgx.Tx) error) error {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback(context.WithoutCancel(ctx))
		return err
	}
	return tx.Commit(ctx)
}

// EscapeLike escapes the LIKE wildcards % and _ (and the escape character \) in s, so that a
// user's search text matches literally inside '%' || s || '%'.
func EscapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// writeGates holds, for each pool opened with Options.WriteConns, the semaphore that caps its
// write transactions.
var writeGates sync.Map // *pgxpool.Pool → chan struct{}

// maxWriteWait bounds the wait for a write slot; past it the request is told to come back.
const maxWriteWait = 3 * time.Second

// enterWrite takes a write slot of pool, if the pool caps its writes, and returns the function
// that gives it back. When every slot stays taken (writes queued behind locked rows) it fails
// with fault.ErrBusy rather than waiting for the whole request.
func enterWrite(ctx context.Context, pool *pgxpool.Pool) (func(), error) {
	g, ok := writeGates.Load(pool)
	if !ok {
		return func() {}, nil
	}
	slots := g.(chan struct{})
	select {
	case slots <- struct{}{}:
		return func() { <-slots }, nil
	default:
	}
	timer := time.NewTimer(maxWriteWait)
	defer timer.Stop()
	select {
	case slots <- struct{}{}:
		return func() { <-slots }, nil
	case <-timer.C:
		return nil, fault.ErrBusy.WithRetryAfter(busyRetryAfter)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Probe tells whether the database answers, for readiness checks. A pool whose every
// connection is in use is busy, not down: its connections are alive, so Probe reports it
// ready instead of waiting for one to come free.
func Probe(ctx context.Context, pool *pgxpool.Pool) error {
	st := pool.Stat()
	if st.MaxConns() > 0 && st.AcquiredConns() >= st.MaxConns() {
		return nil
	}
	return pool.Ping(ctx)
}
