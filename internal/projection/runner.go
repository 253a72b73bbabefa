package projection

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.opentelemetry.io/otel/trace"

	"github.com/acme/orders/db/sqlc"
	"github.com/acme/orders/internal/platform/postgres"
	"github.com/acme/orders/internal/platform/telemetry"
)

// Runner applies published events to the registered projections.
type Runner struct {
	pool        *pgxpool.Pool
	projections map[string]Projection
	// MaxAttempts is how many times an event that fails with a data error is tried, across
	// calls and restarts, before it is parked.
	MaxAttempts int
}

// NewRunner returns a Runner for the given projections.
func NewRunner(pool *pgxpool.Pool, ps ...Projection) *Runner {
	r := &Runner{pool: pool, projections: map[string]Projection{}, MaxAttempts: 5}
	for _, p := range ps {
		r.projections[p.Name()] = p
	}
	return r
}

// Names lists the registered projections, sorted.
func (r *Runner) Names() []string {
	names := make([]string, 0, len(r.projections))
	for n := range r.projections {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// IsBackground reports whether the named projection declares itself Background.
func (r *Runner) IsBackground(name string) bool {
	b, ok := r.projections[name].(Background)
	return ok && b.Background()
}

func (r *Runner) get(name string) (Projection, error) {
	p, ok := r.projections[name]
	if !ok {
		return nil, ErrUnknownProjection
	}
	return p, nil
}

// PoisonError says that the event at Position failed with a data error and was not parked
// yet: the caller should back off and call again.
type PoisonError struct {
	Projection string
	Position   int64
	Attempts   int
	Err        error
}

// Error implements error.
func (e *PoisonError) Error() string {
	return fmt.Sprintf("%s: event at position %d failed (attempt %d): %v", e.Projection, e.Position, e.Attempts, e.Err)
}

// Unwrap returns the database error the event caused.
func (e *PoisonError) Unwrap() error { return e.Err }

// isDataError reports errors caused by an event's content (bad values, broken constraints),
// as opposed to outages, which are retried without counting.
func isDataError(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		class := pgErr.Code[:2]
		return class == "22" || class == "23" || class == "42"
	}
	return false
}

// ApplyNext applies up to max published events after the projection's checkpoint. On a data
// error it halves the batch until the failing event is alone, applies everything before it,
// and counts a failed attempt for it: after MaxAttempts the event is parked and the call
// returns normally; before that it returns a *PoisonError.
func (r *Runner) ApplyNext(ctx context.Context, name string, max int) (Progress, error) {
	p, err := r.get(name)
	if err != nil {
		return Progress{}, err
	}
	total := Progress{Name: name}
	size := int64(max)
	for size >= 1 {
		prog, err := r.applyOnce(ctx, p, size)
		total.Checkpoint, total.Latest = prog.Checkpoint, prog.Latest
		total.Applied += prog.Applied
		switch {
		case err == nil && (size == int64(max) || prog.Applied == 0):
			return total, nil
		case err == nil:
			continue // the half before the failing event is in; try the rest
		case !isDataError(err):
			return total, err
		case size > 1:
			size /= 2
			continue
		}
		// The single event after the checkpoint fails.
		attempts, parked, perr := r.recordFailure(ctx, p, prog.Checkpoint+1, err)
		if perr != nil {
			return total, perr
		}
		if parked {
			total.Parked++
			size = int64(max)
			continue
		}
		return total, &PoisonError{Projection: name, Position: prog.Checkpoint + 1, Attempts: attempts, Err: err}
	}
	return total, nil
}

// applyOnce applies (checkpoint, checkpoint+size] in one transaction with the checkpoint move.
// On failure it still reports the checkpoint it found. With tracing on, a batch that has
// events to apply is a span linked to the traces that wrote them; see tracing.go.
func (r *Runner) applyOnce(ctx context.Context, p Projection, size int64) (Progress, error) {
	var (
		prog Progress
		span trace.Span // the batch's span, when traced
	)
	err := postgres.InTx(ctx, r.pool, func(tx pgx.Tx) error {
		start := time.Now()
		if span != nil { // the attempt before failed, and InTx runs it again
			endBatch(span, errRetried)
			span = nil
		}
		q := sqlc.New(tx)
		lock, err := q.LockCheckpoint(ctx, p.Name())
		if err != nil {
			return err
		}
		cp, latest := lock.Position, lock.Latest
		prog = Progress{Name: p.Name(), Checkpoint: cp, Latest: latest}
		upto := min(cp+size, latest)
		if upto <= cp {
			return nil
		}
		actx := ctx
		if telemetry.Enabled() {
			actx, span = startBatch(ctx, q, p.Name(), start, cp, upto)
		}
		if err := p.Apply(actx, q, cp, upto); err != nil {
			return err
		}
		if err := q.SetCheckpoint(actx, sqlc.SetCheckpointParams{Name: p.Name(), Position: upto}); err != nil {
			return err
		}
		prog.Checkpoint, prog.Applied = upto, upto-cp
		return nil
	})
	if span != nil {
		endBatch(span, err)
	}
	if err != nil {
		prog.Applied = 0
	}
	return prog, err
}

// errRetried marks the span of a batch whose transaction failed and was run again.
var errRetried = errors.New("transaction retried after a serialization failure or deadlock")

// recordFailure counts a failed attempt at the event and returns the count; at MaxAttempts it
// parks the event.
func (r *Runner) recordFailure(ctx context.Context, p Projection, position int64, cause error) (attempts int, parked bool, err error) {
	q := sqlc.New(r.pool)
	n, err := q.RecordFailure(ctx, sqlc.RecordFailureParams{Projection: p.Name(), Position: position, LastError: cause.Error()})
	if err != nil || int(n) < r.MaxAttempts {
		return int(n), false, postgres.Classify(err)
	}
	err = postgres.InTx(ctx, r.pool, func(tx pgx.Tx) error {
		q := sqlc.New(tx)
		if err := q.ParkEvent(ctx, sqlc.ParkEventParams{Projection: p.Name(), Position: position, Error: cause.Error(), Attempts: n}); err != nil {
			return err
		}
		return q.ClearFailure(ctx, sqlc.ClearFailureParams{Projection: p.Name(), Position: position})
	})
	return int(n), err == nil, err
}

// Reset empties the read model and sets its checkpoint to zero in one transaction, so that
// it is rebuilt by replaying the log from position 1. Pending failure counts are cleared;
// parked events stay parked.
func (r *Runner) Reset(ctx context.Context, name string) error {
	p, err := r.get(name)
	if err != nil {
		return err
	}
	return postgres.InTx(ctx, r.pool, func(tx pgx.Tx) error {
		q := sqlc.New(tx)
		if _, err := q.LockCheckpoint(ctx, name); err != nil {
			return err
		}
		if err := p.Truncate(ctx, q); err != nil {
			return err
		}
		if err := q.ClearFailures(ctx, name); err != nil {
			return err
		}
		return q.SetCheckpoint(ctx, sqlc.SetCheckpointParams{Name: name, Position: 0})
	})
}

// Redrive applies one parked event and marks it resolved, in one transaction. Returns
// ErrNotParked if it is not parked, or ErrRedriveFailed (it stays parked) if it fails again.
func (r *Runner) Redrive(ctx context.Context, name string, position int64) error {
	p, err := r.get(name)
	if err != nil {
		return err
	}
	err = postgres.InTx(ctx, r.pool, func(tx pgx.Tx) error {
		q := sqlc.New(tx)
		lock, err := q.LockCheckpoint(ctx, name)
		if err != nil {
			return err
		}
		n, err := q.ResolveParked(ctx, sqlc.ResolveParkedParams{Projection: name, Position: position})
		if err != nil {
			return err
		}
		if n == 0 {
			return ErrNotParked
		}
		// Appliers skip events at or before the checkpoint, so the event is applied as if the
		// checkpoint stood just before it; no one sees that under the row lock.
		if err := q.SetCheckpoint(ctx, sqlc.SetCheckpointParams{Name: name, Position: position - 1}); err != nil {
			return err
		}
		if err := p.Apply(ctx, q, position-1, position); err != nil {
			return ErrRedriveFailed.WithMessage("the event still cannot be applied; it stays parked: %v", err)
		}
		return q.SetCheckpoint(ctx, sqlc.SetCheckpointParams{Name: name, Position: lock.Position})
	})
	return err
}

// Checksum summarises a read model's rows.
func (r *Runner) Checksum(ctx context.Context, name string) (int64, string, error) {
	p, err := r.get(name)
	if err != nil {
		return 0, "", err
	}
	return p.Checksum(ctx, sqlc.New(r.pool))
}

// Status is one projection's state for operators.
type Status struct {
	Name       string    `json:"name"`
	Checkpoint int64     `json:"checkpoint"`
	LagEvents  int64     `json:"lag_events"`
	LagSeconds float64   `json:"lag_seconds"` // age of the oldest published event not yet applied
	Parked     int64     `json:"parked"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Statuses reports the checkpoint and lag of every projection this runner runs, against the
// last published position.
func (r *Runner) Statuses(ctx context.Context, latest int64) ([]Status, error) {
	rows, err := sqlc.New(r.pool).Checkpoints(ctx)
	if err != nil {
		return nil, postgres.Classify(err)
	}
	out := make([]Status, 0, len(rows))
	for _, c := range rows {
		if _, ok := r.projections[c.Name]; !ok {
			continue // a read model this process does not run
		}
		out = append(out, Status{Name: c.Name, Checkpoint: c.Position, LagEvents: max(0, latest-c.Position),
			LagSeconds: c.LagSeconds, Parked: c.Parked, UpdatedAt: c.UpdatedAt.UTC()})
	}
	return out, nil
}

// Parked is an event a projection set aside.
type Parked struct {
	Projection string     `json:"projection"`
	Position   int64      `json:"position"`
	EventID    string     `json:"event_id"`
	EventType  string     `json:"event_type"`
	Error      string     `json:"error"`
	Attempts   int32      `json:"attempts"`
	ParkedAt   time.Time  `json:"parked_at"`
	ResolvedAt *time.Time `json:"resolved_at"`
}

// ListParked lists parked events, of one projection if name is not empty, and only the open
// ones unless includeResolved.
func (r *Runner) ListParked(ctx context.Context, name string, includeResolved bool) ([]Parked, error) {
	var proj *string
	if name != "" {
		if _, err := r.get(name); err != nil {
			return nil, err
		}
		proj = &name
	}
	rows, err := sqlc.New(r.pool).ListParked(ctx, sqlc.ListParkedParams{Projection: proj, IncludeResolved: includeResolved})
	if err != nil {
		return nil, postgres.Classify(err)
	}
	out := make([]Parked, len(rows))
	for i, p := range rows {
		out[i] = Parked{Projection: p.Projection, Position: p.Position, EventID: p.EventID.String(), EventType: p.EventType,
			Error: p.Error, Attempts: p.Attempts, ParkedAt: p.ParkedAt.UTC(), ResolvedAt: p.ResolvedAt}
	}
	return out, nil
}
