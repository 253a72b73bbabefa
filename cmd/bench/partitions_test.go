package main

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/acme/orders/internal/platform/pgtest"
	"github.com/acme/orders/internal/platform/postgres"
)

var testDB *pgtest.DB

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, "bench", &testDB)) }

// newSim returns a simulation with parts partitions on fresh tables with aggregates
// aggregates, on the test database.
func newSim(t *testing.T, parts, aggregates int) *partitionSim {
	t.Helper()
	ctx := context.Background()
	pipeline, err := postgres.Open(ctx, testDB.URL, postgres.Options{MaxConns: 10, AsyncCommit: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pipeline.Close)
	s := &partitionSim{pipeline: pipeline, writers: testDB.Pool, parts: parts, batch: 100, guard: true, sample: 1}
	if err := s.reset(ctx, aggregates); err != nil {
		t.Fatal(err)
	}
	return s
}

// settle publishes and applies everything of each partition in turn, in the order given. A
// transaction running elsewhere on the server holds publication back, so it retries for a while.
func settle(t *testing.T, s *partitionSim, order ...int) {
	t.Helper()
	ctx := context.Background()
	for _, p := range order {
		deadline := time.Now().Add(20 * time.Second)
		for {
			if _, err := s.publishRound(ctx, p); err != nil {
				t.Fatal(err)
			}
			for {
				a, err := s.applyRound(ctx, p)
				if err != nil {
					t.Fatal(err)
				}
				if a.events == 0 {
					break
				}
			}
			var pending int64
			if err := s.pipeline.QueryRow(ctx, "SELECT count(*) FROM part_outbox WHERE part = $1 AND NOT published", p).Scan(&pending); err != nil {
				t.Fatal(err)
			}
			if pending == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("partition %d: %d rows still unpublished", p, pending)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// The simulation itself, small: a backlog drained and concurrent writers on few aggregates (so
// that writers of one aggregate queue on their locks), with three partitions, in one outbox
// table and in a table per partition; every check holds.
func TestPartitionedPipelineKeepsItsInvariants(t *testing.T) {
	for _, split := range []bool{false, true} {
		ctx := context.Background()
		s := newSim(t, 3, 40)
		s.split = split
		if err := s.reset(ctx, 40); err != nil {
			t.Fatal(err)
		}
		if err := s.backlog(ctx, 2000, 40); err != nil {
			t.Fatal(err)
		}
		drain, err := s.run(ctx, 0, 0, 40, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !drain.check.ok() || drain.check.events != 2000 {
			t.Fatalf("split %v, drain: %s", split, drain.check)
		}
		live, err := s.run(ctx, 6, 3, 40, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if !live.check.ok() || live.written < 100 || live.check.events != 2000+live.written {
			t.Fatalf("split %v, live: %d events written; %s", split, live.written, live.check)
		}
	}
}

// Publication without the xid/snapshot guard hands a position to a committed row while an
// older transaction is still running; that transaction's row then comes after it, against
// commit order, and the check says so. With the guard the same sequence keeps the order.
func TestChecksCatchAClaimWithoutTheCommitOrderGuard(t *testing.T) {
	for _, guard := range []bool{true, false} {
		ctx := context.Background()
		s := newSim(t, 1, 2)
		s.guard = guard
		older, err := s.writers.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.writeIn(ctx, older, []int64{1}); err != nil { // takes its xid, stays open
			t.Fatal(err)
		}
		if _, err := s.write(ctx, []int64{2}); err != nil { // a younger one commits
			t.Fatal(err)
		}
		n, err := s.publishRound(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if guard && n != 0 || !guard && n != 1 {
			t.Fatalf("guard %v: the first round published %d rows", guard, n)
		}
		if err := older.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		settle(t, s, 0)
		c, err := s.check(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if guard != c.ok() || !guard && c.inversions != 1 {
			t.Fatalf("guard %v: %s", guard, c)
		}
	}
}

// Partitioning by event rather than by aggregate scatters one aggregate's events over the
// partitions, whose projections run independently: applied one partition after the other, the
// aggregate's events arrive out of order, and the check says so.
func TestChecksCatchPartitioningByEvent(t *testing.T) {
	for _, byEvent := range []bool{false, true} {
		ctx := context.Background()
		s := newSim(t, 2, 1)
		s.byEvent = byEvent
		for range 40 {
			if _, err := s.write(ctx, []int64{1}); err != nil {
				t.Fatal(err)
			}
		}
		settle(t, s, 1, 0)
		c, err := s.check(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if byEvent == c.ok() || byEvent && c.outOfOrder == 0 || c.events != 40 {
			t.Fatalf("by event %v: %s", byEvent, c)
		}
	}
}

// A writer that takes its transaction ID before it waits for an aggregate held by a younger
// transaction commits the aggregate's next event with an older xid, so publication in (xid,
// id) order puts it first: the check sees the aggregate's events out of order. Taking the
// aggregates' advisory locks before the first write (what the simulation's writers do) keeps the
// order in the very same interleaving.
func TestChecksCatchWritersThatTakeTheirXidBeforeWaiting(t *testing.T) {
	for _, rowLocksOnly := range []bool{false, true} {
		ctx := context.Background()
		s := newSim(t, 1, 10)
		write := func(tx pgx.Tx, aggs ...int64) error {
			rows, err := tx.Query(ctx, writeSQL(false), aggs, s.parts)
			if err != nil {
				return err
			}
			_, err = pgx.CollectRows(rows, pgx.RowTo[int32])
			return err
		}
		lock := func(tx pgx.Tx, aggs ...int64) error {
			if rowLocksOnly {
				return nil
			}
			_, err := tx.Exec(ctx, lockSQL, aggs)
			return err
		}
		waitForLockWait := func() {
			for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
				var n int
				if err := s.pipeline.QueryRow(ctx, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").Scan(&n); err != nil {
					t.Fatal(err)
				}
				if n > 0 {
					return
				}
				if time.Now().After(deadline) {
					t.Fatal("no session waits for a lock")
				}
			}
		}
		// The waiter locks (or not) aggregates 5 and 7 and writes 5: it has its xid.
		waiter, err := s.writers.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := lock(waiter, 5, 7); err != nil {
			t.Fatal(err)
		}
		if err := write(waiter, 5); err != nil {
			t.Fatal(err)
		}
		// The holder, younger, writes 7 (or waits for the waiter's advisory lock on it).
		holderWrote, holderDone, release := make(chan error, 1), make(chan error, 1), make(chan struct{})
		go func() {
			tx, err := s.writers.Begin(ctx)
			if err == nil {
				if err = lock(tx, 7); err == nil {
					err = write(tx, 7)
				}
			}
			holderWrote <- err
			<-release
			if err == nil {
				err = tx.Commit(ctx)
			}
			holderDone <- err
		}()
		if rowLocksOnly {
			if err := <-holderWrote; err != nil {
				t.Fatal(err)
			}
		} else {
			waitForLockWait()
		}
		// The waiter writes 7: it waits for the holder's row lock, or holds the advisory lock.
		waiterWrote := make(chan error, 1)
		go func() { waiterWrote <- write(waiter, 7) }()
		if rowLocksOnly {
			waitForLockWait()
			close(release)
			if err := <-holderDone; err != nil {
				t.Fatal(err)
			}
		}
		if err := <-waiterWrote; err != nil {
			t.Fatal(err)
		}
		if err := waiter.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if !rowLocksOnly {
			if err := <-holderWrote; err != nil {
				t.Fatal(err)
			}
			close(release)
			if err := <-holderDone; err != nil {
				t.Fatal(err)
			}
		}
		settle(t, s, 0)
		c, err := s.check(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rowLocksOnly == c.ok() || rowLocksOnly && c.outOfOrder == 0 || c.events != 3 {
			t.Fatalf("row locks only %v: %s", rowLocksOnly, c)
		}
	}
}
