package main

// The partitions phase measures the design proposed for a hundred times today's write rate:
// the outbox split into N partitions by aggregate, each with a publisher of its own that hands
// out positions of its own in commit order, and a projection per partition. It runs on a
// schema of its own (tables named part_*) in the benchmark's own database, with the same
// claiming statement as the real publisher (db/queries/pipeline.sql) restricted to one
// partition, and checks while and after it runs that every event was published and applied
// exactly once, without gaps, each aggregate's events in the order they were written.

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"

	"github.com/acme/orders/internal/platform/postgres"
)

// partitionSchema is the simulation's own outbox, shaped like the real one (db/migrations
// 00001 and 00002) plus a partition number, with a publisher row and a checkpoint per
// partition, the aggregates whose versions give each event its sequence number, and a read
// model that records, per aggregate, the last sequence number applied and how many events were
// applied out of order. With split, the outbox is a table partitioned by list on the
// partition number, one table per partition, so that each publisher rewrites rows of its own
// heap and indexes only (unique keys must then include the partition number).
func partitionSchema(split bool, parts int) string {
	keys := "PRIMARY KEY (id), UNIQUE (event_id), UNIQUE (part, position)"
	tail := ""
	if split {
		keys = "PRIMARY KEY (part, id), UNIQUE (part, event_id), UNIQUE (part, position)"
		tail = " PARTITION BY LIST (part)"
	}
	var b strings.Builder
	b.WriteString(`
DROP TABLE IF EXISTS part_outbox, part_publishers, part_checkpoints, part_aggregates, part_summary;
CREATE TABLE part_aggregates (id bigint PRIMARY KEY, seq integer NOT NULL DEFAULT 0);
CREATE TABLE part_outbox (
    id           bigint GENERATED ALWAYS AS IDENTITY,
    event_id     uuid NOT NULL DEFAULT gen_random_uuid(),
    part         integer NOT NULL,
    aggregate_id bigint NOT NULL,
    seq          integer NOT NULL,
    payload      jsonb NOT NULL,
    written_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    xid          xid8 NOT NULL DEFAULT pg_current_xact_id(),
    published    boolean NOT NULL DEFAULT false,
    published_at timestamptz,
    position     bigint,
    ` + keys + `,
    CHECK (published = (position IS NOT NULL))
)` + tail + `;
`)
	if split {
		for p := range parts {
			fmt.Fprintf(&b, "CREATE TABLE part_outbox_%d PARTITION OF part_outbox FOR VALUES IN (%d);\n", p, p)
		}
	}
	b.WriteString(`CREATE INDEX part_outbox_pending_idx ON part_outbox (part, xid, id) WHERE NOT published;
CREATE TABLE part_publishers (part integer PRIMARY KEY, last_position bigint NOT NULL DEFAULT 0, updated_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE part_checkpoints (part integer PRIMARY KEY, position bigint NOT NULL DEFAULT 0, updated_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE part_summary (
    aggregate_id bigint PRIMARY KEY,
    last_seq     integer NOT NULL,
    events       integer NOT NULL,
    out_of_order integer NOT NULL DEFAULT 0,
    updated_at   timestamptz NOT NULL
);`)
	return b.String()
}

// partitionOf is the partition of aggregate id among $2 partitions: a hash of the key, so
// that partitions get equal shares whatever the keys look like.
const partitionOf = `((hashint8(%s)::bigint & 2147483647) %% $2)::int`

// eventPayload is about the size of an OrderPlaced payload with one line.
const eventPayload = `jsonb_build_object('order_id', gen_random_uuid(), 'user_id', gen_random_uuid(), 'status', 'placed',
    'total_cents', 1999, 'currency', 'USD', 'created_at', now(),
    'items', jsonb_build_array(jsonb_build_object('product_id', gen_random_uuid(), 'sku', 'BENCH-1',
        'name', 'Bench product 1', 'quantity', 1, 'unit_price_cents', 1999)))`

// writeSQL appends one event to each aggregate of $1, numbered by the aggregate's next
// version. Run it after lockSQL in the same transaction.
func writeSQL(byEvent bool) string {
	part := fmt.Sprintf(partitionOf, "a.id")
	if byEvent { // wrong on purpose: events of one aggregate scattered over partitions
		part = "floor(random() * $2)::int"
	}
	return `WITH a AS (UPDATE part_aggregates SET seq = seq + 1 WHERE id = ANY($1::bigint[]) RETURNING id, seq)
INSERT INTO part_outbox (part, aggregate_id, seq, payload)
SELECT ` + part + `, a.id, a.seq, ` + eventPayload + ` FROM a ORDER BY a.id
RETURNING part`
}

// lockSQL takes, in one order, a transaction-scoped advisory lock on each aggregate of $1 (sorted) before
// the transaction's first write. An advisory lock needs no transaction ID, so a writer that
// waits here for another writer of the same aggregate gets its xid only after that one has
// committed: the (xid, id) order publication follows is then each aggregate's write order.
// A row lock would not do: the UPDATE takes the xid first and waits for the row after, so a
// writer can wait for a younger one and commit the aggregate's next event with an older xid
// (TestChecksCatchWritersThatTakeTheirXidBeforeWaiting shows it).
const lockSQL = `SELECT pg_advisory_xact_lock(id) FROM unnest($1::bigint[]) AS id`

// claimSQL is PublishPending of db/queries/pipeline.sql restricted to partition $1: positions
// after $2 for up to $3 rows of transactions older than every running one, in (xid, id)
// order. Without the guard it is the broken claim the tests use to show that the checks catch
// it.
func claimSQL(guard bool) string {
	cond := "AND o.xid < pg_snapshot_xmin(pg_current_snapshot())"
	if !guard {
		cond = ""
	}
	return `WITH next AS (
    SELECT s.id, $2::bigint + row_number() OVER (ORDER BY s.xid, s.id) AS pos
    FROM (
        SELECT o.id, o.xid FROM part_outbox o
        WHERE o.part = $1 AND NOT o.published ` + cond + `
        ORDER BY o.xid, o.id
        LIMIT $3
    ) s
), upd AS (
    UPDATE part_outbox o SET published = true, published_at = now(), position = next.pos
    FROM next WHERE o.part = $1 AND o.id = next.id
    RETURNING o.position
), state AS (
    UPDATE part_publishers SET last_position = (SELECT max(pos) FROM next), updated_at = now()
    WHERE part = $1 AND EXISTS (SELECT 1 FROM next)
)
SELECT count(*)::bigint, COALESCE(max(upd.position), $2::bigint)::bigint FROM upd`
}

// applySQL applies the published events of partition $1 after position $2 up to $3 (at most
// $4) into part_summary, set-based as the real appliers are, and counts, per aggregate, the
// events whose sequence number does not follow the one applied before it (a lost, repeated or
// reordered event). It returns how many it applied, the first and last position, the
// out-of-order count, and the age of every $5-th event since it was written, in milliseconds.
const applySQL = `WITH ev AS (
    SELECT position, aggregate_id, seq, written_at FROM part_outbox
    WHERE part = $1 AND published AND position > $2 AND position <= $3
    ORDER BY position LIMIT $4
), chk AS (
    SELECT ev.*, COALESCE(lag(ev.seq) OVER (PARTITION BY ev.aggregate_id ORDER BY ev.position), s.last_seq, 0) AS prev
    FROM ev LEFT JOIN part_summary s ON s.aggregate_id = ev.aggregate_id
), agg AS (
    SELECT aggregate_id, count(*)::int AS n, (array_agg(seq ORDER BY position DESC))[1] AS last_seq,
           count(*) FILTER (WHERE seq <> prev + 1)::int AS bad
    FROM chk GROUP BY aggregate_id
), up AS (
    INSERT INTO part_summary AS s (aggregate_id, last_seq, events, out_of_order, updated_at)
    SELECT aggregate_id, last_seq, n, bad, now() FROM agg
    ON CONFLICT (aggregate_id) DO UPDATE SET last_seq = excluded.last_seq, events = s.events + excluded.events,
        out_of_order = s.out_of_order + excluded.out_of_order, updated_at = excluded.updated_at
)
SELECT count(*)::bigint, COALESCE(min(position), 0)::bigint, COALESCE(max(position), $2::bigint)::bigint,
       COALESCE((SELECT sum(bad) FROM agg), 0)::bigint,
       COALESCE(array_agg(EXTRACT(EPOCH FROM clock_timestamp() - written_at)::float8 * 1000) FILTER (WHERE position % $5 = 0), '{}')::float8[]
FROM chk`

// partitionSim is one configuration of the simulation on one database.
type partitionSim struct {
	pipeline *pgxpool.Pool // publishers and projections (asynchronous commit, as the worker's)
	writers  *pgxpool.Pool // writers (synchronous commit, as orders)
	parts    int
	batch    int  // rows per publication and per projection round
	guard    bool // the xid/snapshot guard on claims; false only to show the checks catch its absence
	byEvent  bool // partition by event rather than aggregate; true only to show the checks catch it
	// rowLocksOnly leaves out lockSQL, so that writers are ordered by the aggregate's row lock
	// alone; true only to show the checks catch what that does to an aggregate's order
	rowLocksOnly bool
	sample       int  // every sample-th position's lag is recorded
	split        bool // a table per partition (see partitionSchema)
}

// reset creates the simulation's tables afresh with aggregates 1..aggregates.
func (s *partitionSim) reset(ctx context.Context, aggregates int) error {
	if _, err := s.pipeline.Exec(ctx, partitionSchema(s.split, s.parts)); err != nil {
		return fmt.Errorf("partition schema: %w", err)
	}
	for _, q := range []struct {
		sql string
		arg int
	}{
		{"INSERT INTO part_aggregates (id) SELECT generate_series(1, $1::int)", aggregates},
		{"INSERT INTO part_publishers (part) SELECT generate_series(0, $1::int - 1)", s.parts},
		{"INSERT INTO part_checkpoints (part) SELECT generate_series(0, $1::int - 1)", s.parts},
	} {
		if _, err := s.pipeline.Exec(ctx, q.sql, q.arg); err != nil {
			return fmt.Errorf("partition schema: %w", err)
		}
	}
	return nil
}

// write appends one event to each of aggs (sorted, distinct) in its own transaction and
// returns the partitions written to.
func (s *partitionSim) write(ctx context.Context, aggs []int64) ([]int, error) {
	var parts []int
	err := retryDeadlock(ctx, func() error {
		return pgx.BeginFunc(ctx, s.writers, func(tx pgx.Tx) (err error) {
			parts, err = s.writeIn(ctx, tx, aggs)
			return err
		})
	})
	return parts, err
}

// writeIn is write in the transaction tx, which it leaves open.
func (s *partitionSim) writeIn(ctx context.Context, tx pgx.Tx, aggs []int64) ([]int, error) {
	if !s.rowLocksOnly {
		if _, err := tx.Exec(ctx, lockSQL, aggs); err != nil {
			return nil, err
		}
	}
	rows, err := tx.Query(ctx, writeSQL(s.byEvent), aggs, s.parts)
	if err != nil {
		return nil, err
	}
	parts, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		return nil, err
	}
	out := make([]int, len(parts))
	for i, p := range parts {
		out[i] = int(p)
	}
	return out, nil
}

// backlog appends n events over the aggregates in one transaction, unpublished, each
// aggregate's events numbered in the order of their ids.
func (s *partitionSim) backlog(ctx context.Context, n, aggregates int) error {
	part := fmt.Sprintf(partitionOf, "agg")
	if s.byEvent {
		part = "floor(random() * $2)::int"
	}
	_, err := s.pipeline.Exec(ctx, `
		WITH g AS (SELECT g, 1 + (hashint4(g) & 2147483647) % $3 AS agg FROM generate_series(1, $1::int) AS g),
		s AS (SELECT g, agg, row_number() OVER (PARTITION BY agg ORDER BY g)::int AS seq FROM g),
		ins AS (
		    INSERT INTO part_outbox (part, aggregate_id, seq, payload)
		    SELECT `+part+`, agg, seq, `+eventPayload+` FROM s ORDER BY g
		    RETURNING aggregate_id, seq)
		UPDATE part_aggregates a SET seq = m.seq FROM (SELECT aggregate_id, max(seq) AS seq FROM ins GROUP BY 1) m
		WHERE a.id = m.aggregate_id`, n, s.parts, aggregates)
	if err != nil {
		return fmt.Errorf("backlog: %w", err)
	}
	_, err = s.pipeline.Exec(ctx, "VACUUM ANALYZE part_outbox, part_aggregates")
	return err
}

// publishRound is one publication transaction of partition part: the publisher row's lock,
// then the claim in a statement of its own (so that it sees what the previous round
// committed). It returns how many rows it published.
func (s *partitionSim) publishRound(ctx context.Context, part int) (int64, error) {
	var n int64
	err := retryDeadlock(ctx, func() error {
		return pgx.BeginFunc(ctx, s.pipeline, func(tx pgx.Tx) error {
			var last int64
			if err := tx.QueryRow(ctx, "SELECT last_position FROM part_publishers WHERE part = $1 FOR UPDATE", part).Scan(&last); err != nil {
				return err
			}
			return tx.QueryRow(ctx, claimSQL(s.guard), part, last, s.batch).Scan(&n, &last)
		})
	})
	if err != nil {
		return 0, fmt.Errorf("publish partition %d: %w", part, err)
	}
	return n, nil
}

// applied is what one projection round did.
type applied struct {
	events     int64
	gaps       int64 // rounds whose positions did not follow the checkpoint without a hole
	outOfOrder int64
	lagsMs     []float64
}

// applyRound applies the next events of partition part and moves its checkpoint, in one
// transaction under the checkpoint's lock.
func (s *partitionSim) applyRound(ctx context.Context, part int) (applied, error) {
	var a applied
	err := retryDeadlock(ctx, func() error {
		a = applied{}
		return pgx.BeginFunc(ctx, s.pipeline, func(tx pgx.Tx) error {
			var cp, latest int64
			err := tx.QueryRow(ctx, `SELECT c.position, p.last_position FROM part_checkpoints c JOIN part_publishers p USING (part)
				WHERE c.part = $1 FOR UPDATE OF c`, part).Scan(&cp, &latest)
			if err != nil || latest == cp {
				return err
			}
			var first, last int64
			if err := tx.QueryRow(ctx, applySQL, part, cp, latest, s.batch, s.sample).Scan(&a.events, &first, &last, &a.outOfOrder, &a.lagsMs); err != nil {
				return err
			}
			if a.events == 0 {
				return nil
			}
			if first != cp+1 || last-cp != a.events {
				a.gaps++
			}
			_, err = tx.Exec(ctx, "UPDATE part_checkpoints SET position = $2, updated_at = now() WHERE part = $1", part, last)
			return err
		})
	})
	if err != nil {
		return applied{}, fmt.Errorf("apply partition %d: %w", part, err)
	}
	return a, nil
}

// retryDeadlock runs f again while it fails with a deadlock or a serialization failure (only
// the runs that partition by event, on purpose wrongly, share read-model rows across
// partitions and can deadlock).
func retryDeadlock(ctx context.Context, f func() error) error {
	for {
		err := f()
		var pgErr *pgconn.PgError
		if err == nil || !errors.As(err, &pgErr) || (pgErr.Code != "40P01" && pgErr.Code != "40001") || ctx.Err() != nil {
			return err
		}
	}
}

// partitionCheck is what the end state says about the run.
type partitionCheck struct {
	events       int64 // rows in the outbox
	unpublished  int64
	positionGaps int64 // partitions whose positions are not exactly 1..count
	behind       int64 // partitions whose checkpoint or publisher row disagrees with their row count
	wrongCounts  int64 // aggregates whose count of applied events is not their version (lost or repeated events)
	staleLast    int64 // aggregates whose last applied event is not their latest
	outOfOrder   int64 // events applied out of their aggregate's order
	inversions   int64 // rows whose position comes after a row later in (xid, id) order, in their partition
	roundGaps    int64 // projection rounds that found a hole after their checkpoint (counted during the run)
}

func (c partitionCheck) ok() bool {
	return c.unpublished == 0 && c.positionGaps == 0 && c.behind == 0 && c.wrongCounts == 0 && c.staleLast == 0 && c.outOfOrder == 0 && c.inversions == 0 && c.roundGaps == 0
}

func (c partitionCheck) String() string {
	verdict := "ok"
	if !c.ok() {
		verdict = "FAILED"
	}
	return fmt.Sprintf("%s: %d events; %d unpublished, %d partitions with position gaps, %d partitions behind, %d aggregates with lost or repeated events, %d aggregates whose last applied event is not their latest, %d events out of aggregate order, %d commit-order inversions, %d projection rounds with a gap",
		verdict, c.events, c.unpublished, c.positionGaps, c.behind, c.wrongCounts, c.staleLast, c.outOfOrder, c.inversions, c.roundGaps)
}

// check reads the end state: every row published once with positions 1..n in its partition,
// in (xid, id) order; every publisher, checkpoint and aggregate consistent with the rows.
func (s *partitionSim) check(ctx context.Context) (partitionCheck, error) {
	var c partitionCheck
	err := s.pipeline.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM part_outbox),
		(SELECT count(*) FROM part_outbox WHERE NOT published),
		(SELECT count(*) FROM (SELECT part FROM part_outbox WHERE published GROUP BY part
		                       HAVING min(position) <> 1 OR max(position) <> count(*)) x),
		(SELECT count(*) FROM part_publishers p JOIN part_checkpoints c USING (part)
		 WHERE p.last_position <> c.position OR p.last_position <> (SELECT count(*) FROM part_outbox o WHERE o.part = p.part)),
		(SELECT count(*) FROM part_aggregates a FULL JOIN part_summary s ON s.aggregate_id = a.id
		 WHERE COALESCE(a.seq, 0) <> COALESCE(s.events, 0)),
		(SELECT count(*) FROM part_aggregates a FULL JOIN part_summary s ON s.aggregate_id = a.id
		 WHERE COALESCE(a.seq, 0) <> COALESCE(s.last_seq, 0)),
		(SELECT COALESCE(sum(out_of_order), 0) FROM part_summary),
		(SELECT count(*) FROM (SELECT xid, id, lag(xid) OVER w AS pxid, lag(id) OVER w AS pid
		                       FROM part_outbox WHERE published WINDOW w AS (PARTITION BY part ORDER BY position)) x
		 WHERE (xid, id) < (pxid, pid))`).Scan(&c.events, &c.unpublished, &c.positionGaps, &c.behind, &c.wrongCounts, &c.staleLast, &c.outOfOrder, &c.inversions)
	if err != nil {
		return c, fmt.Errorf("partition check: %w", err)
	}
	return c, nil
}

// simRun is the outcome of one run.
type simRun struct {
	written   int64         // events committed by the writers (or the backlog)
	writing   time.Duration // how long the writers ran
	total     time.Duration // from the start until the last event was applied
	lagsMs    []float64     // sampled write → applied times
	check     partitionCheck
	perWriter float64 // events/s the writers committed while they ran
}

// run starts a publisher and a projection per partition and, if writers > 0, that many writers
// appending perTx events each transaction for d; with writers == 0 it drains what the outbox
// holds unpublished. It returns when every event written has been applied, then checks the
// end state of the whole outbox.
func (s *partitionSim) run(ctx context.Context, writers, perTx, aggregates int, d time.Duration) (simRun, error) {
	var r simRun
	var written, appliedTotal, roundGaps, outOfOrder atomic.Int64
	// What the outbox holds already: the events this run must apply (a backlog, unpublished) and
	// the ones earlier runs applied, which the final check counts too.
	var before, backlog int64
	if err := s.pipeline.QueryRow(ctx, "SELECT count(*), count(*) FILTER (WHERE NOT published) FROM part_outbox").Scan(&before, &backlog); err != nil {
		return r, err
	}
	written.Store(backlog)
	var lagMu sync.Mutex
	pubWake := make([]chan struct{}, s.parts)
	projWake := make([]chan struct{}, s.parts)
	for p := range s.parts {
		pubWake[p], projWake[p] = make(chan struct{}, 1), make(chan struct{}, 1)
	}
	wake := func(c chan struct{}) {
		select {
		case c <- struct{}{}:
		default:
		}
	}
	stop := make(chan struct{})
	writersDone := make(chan struct{})
	g, gctx := errgroup.WithContext(ctx)
	start := time.Now()
	for p := range s.parts {
		g.Go(func() error { // publisher of partition p
			for {
				select {
				case <-stop:
					return nil
				default:
				}
				n, err := s.publishRound(gctx, p)
				if err != nil {
					return err
				}
				if n > 0 {
					wake(projWake[p])
					time.Sleep(2 * time.Millisecond) // as the real publisher: look again 2 ms after a round that found rows
					continue
				}
				select { // a running transaction may hold rows back: look again after 20 ms at most
				case <-stop:
					return nil
				case <-pubWake[p]:
				case <-time.After(20 * time.Millisecond):
				}
			}
		})
		g.Go(func() error { // projection of partition p
			for {
				select {
				case <-stop:
					return nil
				default:
				}
				a, err := s.applyRound(gctx, p)
				if err != nil {
					return err
				}
				appliedTotal.Add(a.events)
				roundGaps.Add(a.gaps)
				outOfOrder.Add(a.outOfOrder)
				if len(a.lagsMs) > 0 && writers > 0 {
					lagMu.Lock()
					r.lagsMs = append(r.lagsMs, a.lagsMs...)
					lagMu.Unlock()
				}
				if a.events == int64(s.batch) {
					continue
				}
				select {
				case <-stop:
					return nil
				case <-projWake[p]:
				case <-time.After(20 * time.Millisecond):
				}
			}
		})
	}
	if writers > 0 {
		var wg sync.WaitGroup
		end := start.Add(d)
		for w := range writers {
			wg.Add(1)
			g.Go(func() error {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(w), 11))
				aggs := make([]int64, 0, perTx)
				for time.Now().Before(end) && gctx.Err() == nil {
					aggs = aggs[:0]
					for len(aggs) < perTx {
						a := int64(1 + rng.IntN(aggregates))
						if !slices.Contains(aggs, a) {
							aggs = append(aggs, a)
						}
					}
					slices.Sort(aggs)
					parts, err := s.write(gctx, aggs)
					if err != nil {
						return fmt.Errorf("write: %w", err)
					}
					written.Add(int64(len(parts)))
					for _, p := range parts {
						wake(pubWake[p])
					}
				}
				return nil
			})
		}
		go func() { wg.Wait(); r.writing = time.Since(start); close(writersDone) }()
	} else {
		close(writersDone)
	}
	g.Go(func() error { // the end: every event written has been applied
		defer close(stop)
		select {
		case <-writersDone:
		case <-gctx.Done():
			return nil
		}
		deadline := time.Now().Add(5 * time.Minute)
		for appliedTotal.Load() < written.Load() {
			if time.Now().After(deadline) {
				return fmt.Errorf("only %d of %d events applied after 5 minutes", appliedTotal.Load(), written.Load())
			}
			if gctx.Err() != nil {
				return nil
			}
			time.Sleep(time.Millisecond)
		}
		r.total = time.Since(start)
		return nil
	})
	if err := g.Wait(); err != nil {
		return r, err
	}
	r.written = written.Load()
	if r.writing > 0 {
		r.perWriter = float64(r.written) / r.writing.Seconds()
	}
	c, err := s.check(ctx)
	if err != nil {
		return r, err
	}
	c.roundGaps = roundGaps.Load()
	if c.events != before-backlog+r.written {
		c.wrongCounts += abs64(c.events - (before - backlog + r.written)) // the writers' count and the table disagree
	}
	r.check = c
	return r, nil
}

func abs64(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
}

// partitionsNote says what the simulation leaves out; printed with the figures.
const partitionsNote = `partitions: left out compared with a partitioned deployment: one PostgreSQL on the same machine as
  every loop and the writers (no replicas, no second server); the loops are goroutines of this process, not
  Temporal activities on several workers; wake-ups are in-process signals instead of LISTEN/NOTIFY (idle loops
  look again every 20 ms); one read model per partition (the worker applies several);
  no re-partitioning while running; no cross-partition order is offered or checked.`

// partitionsPhase runs the simulation for each partition count: first the drain of a backlog,
// then concurrent writers for o.duration, checking each run.
func partitionsPhase(ctx context.Context, o options) error {
	counts, err := parseInts(o.partCounts)
	if err != nil {
		return fmt.Errorf("-part-n: %w", err)
	}
	db := &benchDB{name: fmt.Sprintf("orders_bench_parts_%d", time.Now().Unix()), server: o.serverURL}
	u, err := url.Parse(o.serverURL)
	if err != nil {
		return err
	}
	u.Path = "/" + db.name
	db.url = u.String()
	if _, err := postgres.EnsureDatabase(ctx, db.url); err != nil {
		return err
	}
	if !o.keep {
		defer db.drop()
	}
	maxParts := slices.Max(counts)
	pipeline, err := postgres.Open(ctx, withAppName(db.url, pipelineApp), postgres.Options{MaxConns: int32(2*maxParts + 2), AsyncCommit: true})
	if err != nil {
		return err
	}
	defer pipeline.Close()
	writers, err := postgres.Open(ctx, withAppName(db.url, writersApp), postgres.Options{MaxConns: int32(max(1, o.partWriters))})
	if err != nil {
		return err
	}
	defer writers.Close()
	fmt.Printf("partitions: %d aggregates; drain of %d events; then %d writers × %d events a transaction for %s; batches of %d\n",
		o.partAggregates, o.partBacklog, o.partWriters, o.partPerTx, o.duration, o.batch)
	var layouts []bool
	for _, l := range strings.Split(o.partLayouts, ",") {
		switch strings.TrimSpace(l) {
		case "one":
			layouts = append(layouts, false)
		case "split":
			layouts = append(layouts, true)
		default:
			return fmt.Errorf("-part-layouts: %q is neither one nor split", l)
		}
	}
	for _, split := range layouts {
		if err := partitionRuns(ctx, o, counts, pipeline, writers, split); err != nil {
			return err
		}
	}
	fmt.Println(partitionsNote)
	return nil
}

// partitionRuns runs the drain and the writers for each partition count on one layout.
func partitionRuns(ctx context.Context, o options, counts []int, pipeline, writers *pgxpool.Pool, split bool) error {
	layout := "one outbox table"
	if split {
		layout = "a table per partition"
	}
	for _, n := range counts {
		s := &partitionSim{pipeline: pipeline, writers: writers, parts: n, batch: o.batch, guard: true, sample: 10, split: split}
		if err := s.reset(ctx, o.partAggregates); err != nil {
			return err
		}
		if err := s.backlog(ctx, o.partBacklog, o.partAggregates); err != nil {
			return err
		}
		cpu0, err := backendCPU(ctx, pipeline)
		if err != nil {
			return err
		}
		drain, err := s.run(ctx, 0, 0, o.partAggregates, 0)
		if err != nil {
			return fmt.Errorf("N=%d drain: %w", n, err)
		}
		cpu1, err := backendCPU(ctx, pipeline)
		if err != nil {
			return err
		}
		fmt.Printf("partitions %s N=%-2d drain  %8.0f events/s  (%d events in %.2f s; PostgreSQL CPU of the publishers and projections %.1f µs an event)  check %s\n",
			layout, n, float64(drain.written)/drain.total.Seconds(), drain.written, drain.total.Seconds(),
			float64(cpuSpent(cpu0[pipelineApp], cpu1[pipelineApp]).Microseconds())/float64(drain.written), drain.check)
		// The writers append to the outbox the drain left (an outbox is never empty, and a
		// table analysed while empty would get plans that crawl once it fills).
		if _, err := pipeline.Exec(ctx, "VACUUM ANALYZE part_outbox, part_summary, part_aggregates"); err != nil {
			return err
		}
		if cpu0, err = backendCPU(ctx, pipeline); err != nil {
			return err
		}
		live, err := s.run(ctx, o.partWriters, o.partPerTx, o.partAggregates, o.duration)
		if err != nil {
			return fmt.Errorf("N=%d live: %w", n, err)
		}
		if cpu1, err = backendCPU(ctx, pipeline); err != nil {
			return err
		}
		slices.Sort(live.lagsMs)
		perEvent := func(app string) float64 {
			return float64(cpuSpent(cpu0[app], cpu1[app]).Microseconds()) / float64(live.written)
		}
		fmt.Printf("partitions %s N=%-2d live   %8.0f events/s written, %8.0f events/s applied end to end  (last applied %.0f ms after the writers stopped; write → applied p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d samples; PostgreSQL CPU an event: writers %.1f µs, publishers and projections %.1f µs)  check %s\n",
			layout, n, live.perWriter, float64(live.written)/live.total.Seconds(), float64((live.total - live.writing).Milliseconds()),
			percentile(live.lagsMs, .5), percentile(live.lagsMs, .99), percentile(live.lagsMs, 1), len(live.lagsMs),
			perEvent(writersApp), perEvent(pipelineApp), live.check)
		if !drain.check.ok() || !live.check.ok() {
			return fmt.Errorf("N=%d: the partitioned pipeline broke an invariant", n)
		}
	}
	return nil
}

// The application names of the simulation's two pools, by which their backends are found.
const (
	pipelineApp = "bench-partitions-pipeline"
	writersApp  = "bench-partitions-writers"
)

func withAppName(dbURL, app string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		return dbURL
	}
	q := u.Query()
	q.Set("application_name", app)
	u.RawQuery = q.Encode()
	return u.String()
}

// backendCPU reads, for each application name, the CPU time used so far by each PostgreSQL
// backend of this database (from /proc: PostgreSQL runs on this machine).
func backendCPU(ctx context.Context, pool *pgxpool.Pool) (map[string]map[int]time.Duration, error) {
	rows, err := pool.Query(ctx, "SELECT pid, application_name FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'")
	if err != nil {
		return nil, err
	}
	type backend struct {
		PID int32
		App string
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[backend])
	if err != nil {
		return nil, err
	}
	out := map[string]map[int]time.Duration{}
	for _, b := range list {
		used, err := processCPU(int(b.PID))
		if err != nil {
			continue // ended meanwhile
		}
		if out[b.App] == nil {
			out[b.App] = map[int]time.Duration{}
		}
		out[b.App][int(b.PID)] = used
	}
	return out, nil
}

// cpuSpent is the CPU the backends of after used since before (a backend absent before
// started since, so all of its time counts; one gone since is not counted at all).
func cpuSpent(before, after map[int]time.Duration) time.Duration {
	var d time.Duration
	for pid, t := range after {
		d += t - before[pid]
	}
	return d
}

func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a positive number", f)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, errors.New("no value")
	}
	return out, nil
}
