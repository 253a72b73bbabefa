// Package activities holds the Temporal activities: the I/O side of the workflows. The event
// pipeline's activities are long-running loops that LISTEN for PostgreSQL notifications, work
// in batches with set-based SQL, heartbeat their position (visible in the Temporal Web UI) and
// return after a while so their workflow can continue-as-new. Every step they take is committed
// with its checkpoint, so Temporal retrying one after a crash is always safe. The scheduled
// activities are short: the housekeeping purges, and the check that starts any pipeline
// workflow that is not running.
package activities

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/acme/orders/db/sqlc"
	"github.com/acme/orders/internal/platform/telemetry"
	"github.com/acme/orders/internal/projection"
)

// Pipeline carries what the event-pipeline activities need. Register a *Pipeline with the
// worker; workflows refer to its methods through a nil *Pipeline.
type Pipeline struct {
	Pool      *pgxpool.Pool
	Publisher *projection.Publisher
	Runner    *projection.Runner
	Metrics   *Metrics // may be nil
	// Changed, if set, is told after each commit which positions a projection applied, so that
	// caches built on it can be dropped (best effort: errors are logged, not returned).
	Changed func(ctx context.Context, projection string, after, upto int64) error
	// Published, if set, is told the event types of each publication round that published
	// any, so that caches of the data they change (the catalogue's) can be dropped. It must
	// not block.
	Published func(types []string)
}

// LoopInput tunes a long-running pipeline activity.
type LoopInput struct {
	RunFor       time.Duration // return after this long, so the workflow can continue-as-new
	BatchSize    int           // rows per transaction
	PollInterval time.Duration // longest wait between rounds when no notification arrives
	BackoffBase  time.Duration // first wait after a poison event (doubles per attempt, up to 30s)
	// Linger is how long to gather more work after a wake-up before the next round: a few
	// milliseconds turn one transaction per event into one per handful of events under load.
	Linger time.Duration
}

func (in LoopInput) withDefaults() LoopInput {
	if in.RunFor <= 0 {
		in.RunFor = 5 * time.Minute
	}
	if in.BatchSize <= 0 {
		in.BatchSize = 20000
	}
	if in.PollInterval <= 0 {
		in.PollInterval = 250 * time.Millisecond
	}
	if in.BackoffBase <= 0 {
		in.BackoffBase = time.Second
	}
	if in.Linger < 0 {
		in.Linger = 0
	}
	return in
}

// PublishResult is what one run of PublishOutbox did; it is also its heartbeat detail.
type PublishResult struct {
	LastPosition int64
	Published    int64
}

// PublishOutbox publishes committed outbox rows until RunFor has passed. While rounds find
// rows it looks again shortly after each; when one finds none it asks writers to notify on
// commit and waits for that notification (with a polling fallback); see wakeup.
func (a *Pipeline) PublishOutbox(ctx context.Context, in LoopInput) (PublishResult, error) {
	in = in.withDefaults()
	// Each round that publishes is a trace of its own; the polls and waits are in none.
	ctx = telemetry.Detach(ctx)
	conn, err := a.listen(ctx, projection.OutboxChannel)
	if err != nil {
		return PublishResult{}, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	w := &wakeup{q: sqlc.New(conn), told: toldUnknown}
	defer w.stop(ctx)
	waitCtx, stopWaiting := untilWorkerStops(ctx)
	defer stopWaiting()
	var res PublishResult
	for deadline := time.Now().Add(in.RunFor); time.Now().Before(deadline) && waitCtx.Err() == nil; {
		round, err := a.Publisher.Publish(ctx, in.BatchSize)
		if err != nil {
			return res, err
		}
		res.Published += round.Published
		res.LastPosition = round.LastPosition
		a.Metrics.published(round.Published)
		if round.Published > 0 && a.Published != nil {
			a.Published(round.Types)
		}
		activity.RecordHeartbeat(ctx, res)
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		if round.Published > 0 {
			// Busy: more commits are likely under way. Writers need not notify (each commit that
			// notifies waits for the flush of every notifying commit before it).
			if err := w.busy(ctx); err != nil {
				return res, err
			}
		}
		var waitErr error
		switch {
		case round.Published == int64(in.BatchSize):
			// more to do at once
		case round.HeldBack > 0:
			// Rows wait behind an older running transaction, which may not notify when it
			// commits (a projection's, or any writer while the publisher is busy): look again soon.
			waitErr = wait(waitCtx, conn, min(in.PollInterval, heldBackRecheck), in.Linger)
		case round.Published > 0:
			waitErr = wait(waitCtx, conn, busyRecheck, in.Linger)
		default:
			waitErr = w.idle(waitCtx, conn, in)
		}
		if waitErr != nil && !workerStopping(ctx, waitCtx) {
			return res, waitErr
		}
	}
	return res, nil
}

// untilWorkerStops returns a context that also ends when the worker is stopping (SIGTERM), for
// the waits between rounds: a loop then returns after the batch in hand, everything it did
// committed, and its workflow runs it again at once on another worker. The batches themselves
// run on ctx, so a stop never cuts one short.
func untilWorkerStops(ctx context.Context) (context.Context, context.CancelFunc) {
	wctx, cancel := context.WithCancel(ctx)
	stop := activity.GetWorkerStopChannel(ctx)
	go func() {
		select {
		case <-stop:
			cancel()
		case <-wctx.Done():
		}
	}()
	return wctx, cancel
}

// workerStopping reports whether waitCtx (from untilWorkerStops) ended because the worker is
// stopping rather than because the activity's own context did.
func workerStopping(ctx, waitCtx context.Context) bool {
	return waitCtx.Err() != nil && ctx.Err() == nil
}

// heldBackRecheck bounds the wait when rows are held back behind a running transaction.
const heldBackRecheck = 20 * time.Millisecond

// busyRecheck is the wait after a round that published rows, and after an announcement that
// writers already running may have missed.
const busyRecheck = 2 * time.Millisecond

// What the publisher last told writers through outbox_wakeup.
const (
	toldUnknown   = iota // not yet in this run: a run before may have left either
	toldQuiet            // not to notify
	toldNotifying        // to notify
)

// wakeup is the publisher's side of outbox_wakeup (migration 00007): writers notify on commit
// only while the publisher says it waits, because a commit that notifies holds the
// notification queue's lock until it is flushed, which serialises the commits of writers that
// all notify.
//
// A writer reads the flag after writing its outbox row, in its own transaction, which already
// has its ID. One that read it just before the publisher set it commits without notifying. So
// after setting it, the publisher takes the xmax of a new snapshot: every such writer's ID is
// below it. Only once the oldest running transaction is at or past that xmax (they have all
// ended) and a round after that still finds nothing does it wait for a notification alone.
type wakeup struct {
	q      *sqlc.Queries // on the publisher's own connection
	told   int
	safeAt int64 // while positive: the xmax to wait for before trusting the notifications
}

// busy tells writers not to notify.
func (w *wakeup) busy(ctx context.Context) error {
	if w.told == toldQuiet {
		return nil
	}
	if err := w.q.SetOutboxWaiting(ctx, false); err != nil {
		return err
	}
	w.told, w.safeAt = toldQuiet, 0
	return nil
}

// idle follows a round that found nothing to publish: it tells writers to notify, and returns
// at once for another round, after a short wait while writers that may have missed the flag
// are still running, or after a notification (or the poll interval) once none is.
func (w *wakeup) idle(ctx context.Context, conn *pgx.Conn, in LoopInput) error {
	if w.told != toldNotifying {
		if err := w.q.SetOutboxWaiting(ctx, true); err != nil {
			return err
		}
		w.told = toldNotifying
		s, err := w.q.RunningTransactions(ctx)
		if err != nil {
			return err
		}
		if s.Xmin >= s.Xmax {
			return nil // nothing ran: the next round sees every row written before the flag
		}
		w.safeAt = s.Xmax
		return wait(ctx, conn, busyRecheck, in.Linger)
	}
	if w.safeAt > 0 {
		s, err := w.q.RunningTransactions(ctx)
		if err != nil {
			return err
		}
		if s.Xmin < w.safeAt {
			return wait(ctx, conn, min(in.PollInterval, heldBackRecheck), in.Linger)
		}
		w.safeAt = 0
		return nil // every writer that may have missed the flag has ended: one more round
	}
	return wait(ctx, conn, in.PollInterval, in.Linger)
}

// stop tells writers not to notify when the run ends: no one listens until the next run,
// which publishes before it waits.
func (w *wakeup) stop(ctx context.Context) {
	if w.told == toldQuiet {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_ = w.q.SetOutboxWaiting(ctx, false)
}

// ProjectInput names the projection to run and tunes the loop.
type ProjectInput struct {
	Name string
	Loop LoopInput
	// StopAt, when positive, makes the activity return once the checkpoint reaches it (rebuilds).
	StopAt int64
}

// ProjectResult is what one run of RunProjection did; it is also its heartbeat detail.
type ProjectResult struct {
	Name       string
	Checkpoint int64
	Latest     int64
	Applied    int64
	Parked     int64
}

// RunProjection applies published events to one read model until RunFor has passed (or, with
// StopAt, until the checkpoint reaches it), waking when a publication commits. A poison event
// makes it back off and try again; after the runner's bounded attempts it is parked.
func (a *Pipeline) RunProjection(ctx context.Context, in ProjectInput) (ProjectResult, error) {
	in.Loop = in.Loop.withDefaults()
	// Each batch applied is a trace of its own; the polls and waits are in none.
	ctx = telemetry.Detach(ctx)
	conn, err := a.listen(ctx, projection.PublishedChannel)
	if err != nil {
		return ProjectResult{}, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	waitCtx, stopWaiting := untilWorkerStops(ctx)
	defer stopWaiting()
	res := ProjectResult{Name: in.Name}
	if in.StopAt > 0 {
		defer a.Metrics.rebuildLeft(in.Name)
	}
	for deadline := time.Now().Add(in.Loop.RunFor); time.Now().Before(deadline) && waitCtx.Err() == nil; {
		start := time.Now()
		prog, err := a.Runner.ApplyNext(ctx, in.Name, in.Loop.BatchSize)
		res.Checkpoint, res.Latest = prog.Checkpoint, prog.Latest
		res.Applied += prog.Applied
		res.Parked += prog.Parked
		a.Metrics.applied(in.Name, prog, time.Since(start))
		if prog.Applied > 0 && a.Changed != nil {
			if err := a.Changed(ctx, in.Name, prog.Checkpoint-prog.Applied, prog.Checkpoint); err != nil {
				activity.GetLogger(ctx).Warn("could not drop cached responses", "projection", in.Name, "error", err.Error())
			}
		}
		activity.RecordHeartbeat(ctx, res)
		var poison *projection.PoisonError
		switch {
		case errors.As(err, &poison):
			activity.GetLogger(ctx).Warn("event failed; backing off", "projection", in.Name, "position", poison.Position, "attempt", poison.Attempts, "error", poison.Err.Error())
			backoff := min(30*time.Second, in.Loop.BackoffBase<<min(poison.Attempts, 10))
			if err := sleep(waitCtx, backoff); err != nil && !workerStopping(ctx, waitCtx) {
				return res, err
			}
			continue
		case errors.Is(err, projection.ErrUnknownProjection):
			return res, temporal.NewNonRetryableApplicationError(err.Error(), "UnknownProjection", err)
		case err != nil:
			return res, err
		}
		if in.StopAt > 0 {
			a.Metrics.rebuildProgress(in.Name, prog.Checkpoint, in.StopAt)
			if prog.Checkpoint >= in.StopAt {
				return res, nil
			}
		}
		if prog.Applied < int64(in.Loop.BatchSize) && prog.Parked == 0 {
			if err := wait(waitCtx, conn, in.Loop.PollInterval, in.Loop.Linger); err != nil && !workerStopping(ctx, waitCtx) {
				return res, err
			}
		}
	}
	return res, nil
}

// ResetResult says where a rebuild has to replay to.
type ResetResult struct {
	Target int64 // the last published position when the read model was emptied
}

// ResetProjection empties a read model and zeroes its checkpoint, in one transaction.
func (a *Pipeline) ResetProjection(ctx context.Context, name string) (ResetResult, error) {
	if err := a.Runner.Reset(ctx, name); err != nil {
		if errors.Is(err, projection.ErrUnknownProjection) {
			return ResetResult{}, temporal.NewNonRetryableApplicationError(err.Error(), "UnknownProjection", err)
		}
		return ResetResult{}, err
	}
	stats, err := a.Publisher.Stats(ctx)
	if err != nil {
		return ResetResult{}, err
	}
	a.Metrics.rebuildStarted(name, stats.LastPosition)
	return ResetResult{Target: stats.LastPosition}, nil
}

// listen opens a connection of its own (a pooled one must not keep a LISTEN) and listens.
func (a *Pipeline) listen(ctx context.Context, channel string) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, a.Pool.Config().ConnConfig.Copy())
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		conn.Close(ctx)
		return nil, err
	}
	return conn, nil
}

// wait returns after d, or linger after a notification arrives, having swallowed the
// notifications that came in meanwhile (one round serves them all).
func wait(ctx context.Context, conn *pgx.Conn, d, linger time.Duration) error {
	notified, err := waitOnce(ctx, conn, d)
	if err != nil || !notified {
		return err
	}
	if linger > 0 {
		if err := sleep(ctx, linger); err != nil {
			return err
		}
	}
	for {
		notified, err := waitOnce(ctx, conn, 100*time.Microsecond)
		if err != nil || !notified {
			return err
		}
	}
}

// waitOnce waits up to d for one notification.
func waitOnce(ctx context.Context, conn *pgx.Conn, d time.Duration) (bool, error) {
	wctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	_, err := conn.WaitForNotification(wctx)
	if err != nil && wctx.Err() != nil && ctx.Err() == nil {
		return false, nil // timed out
	}
	return err == nil, err
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
