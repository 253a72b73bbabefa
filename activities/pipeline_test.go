package activities_test

import (
	"context"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"go.temporal.io/sdk/testsuite"

	"github.com/acme/orders/activities"
	"github.com/acme/orders/internal/platform/pgtest"
	"github.com/acme/orders/internal/projection"
)

var testDB *pgtest.DB

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, "activities", &testDB)) }

// pollInterval is far longer than any wake-up may take, so a missed wake-up shows as lag.
const pollInterval = 3 * time.Second

// runPublisher runs PublishOutbox for d in the background; the returned function waits for it
// (as the test's cleanup also does, so that it never outlives the test's database).
func runPublisher(t *testing.T, d time.Duration) func() activities.PublishResult {
	t.Helper()
	p := &activities.Pipeline{Pool: testDB.Pool, Publisher: projection.NewPublisher(testDB.Pool)}
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	env.RegisterActivity(p)
	done := make(chan struct{})
	var res activities.PublishResult
	go func() {
		defer close(done)
		v, err := env.ExecuteActivity(p.PublishOutbox, activities.LoopInput{RunFor: d, PollInterval: pollInterval})
		if err == nil {
			err = v.Get(&res)
		}
		if err != nil {
			t.Error(err)
		}
	}()
	t.Cleanup(func() { <-done })
	return func() activities.PublishResult { <-done; return res }
}

type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// insertEvent writes one outbox row, as a writer's transaction does.
func insertEvent(ctx context.Context, db execer) (uuid.UUID, error) {
	id := uuid.Must(uuid.NewV7())
	_, err := db.Exec(ctx, `INSERT INTO outbox (event_id, type, aggregate_type, aggregate_id, payload) VALUES ($1, 'OrderPlaced', 'order', $2, '{}')`, id, id.String())
	return id, err
}

func waitUntil(t *testing.T, what string, limit time.Duration, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > limit {
			t.Fatalf("%s: not after %v", what, limit)
		}
		time.Sleep(2 * time.Millisecond)
	}
	return time.Since(start)
}

func flag(t *testing.T) bool {
	t.Helper()
	var waiting bool
	if err := testDB.Pool.QueryRow(context.Background(), `SELECT waiting FROM outbox_wakeup`).Scan(&waiting); err != nil {
		t.Fatal(err)
	}
	return waiting
}

func published(t *testing.T, id uuid.UUID) func() bool {
	return func() bool {
		var done bool
		if err := testDB.Pool.QueryRow(context.Background(), `SELECT published FROM outbox WHERE event_id = $1`, id).Scan(&done); err != nil {
			t.Fatal(err)
		}
		return done
	}
}

// The publisher and the writers share outbox_wakeup: an idle publisher is woken by the first
// commit at once, a busy one is not notified by every commit, a writer that read the flag just
// before the publisher set it is still published without waiting for the poll, and the flag
// is cleared when the run ends.
func TestPublisherWakeUp(t *testing.T) {
	if testing.Short() {
		t.Skip("a drill of several seconds against PostgreSQL: runs in the full suite (make test)")
	}
	ctx := context.Background()

	// A writer that reads the flag before the publisher sets it, and commits after.
	early, err := testDB.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	earlyID, err := insertEvent(ctx, early)
	if err != nil {
		t.Fatal(err)
	}
	wait := runPublisher(t, 6*time.Second)
	waitUntil(t, "the publisher to say it waits", 2*time.Second, func() bool { return flag(t) })
	time.Sleep(50 * time.Millisecond)
	if err := early.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	took := waitUntil(t, "the early writer's row to be published", pollInterval/2, published(t, earlyID))
	t.Logf("a writer that missed the flag: published %v after its commit", took)

	// Idle: each commit wakes the publisher.
	for i := range 5 {
		waitUntil(t, "the publisher to say it waits", 2*time.Second, func() bool { return flag(t) })
		id, err := insertEvent(ctx, testDB.Pool)
		if err != nil {
			t.Fatal(err)
		}
		took := waitUntil(t, "an order committed while the publisher waits to be published", pollInterval/2, published(t, id))
		t.Logf("idle %d: published %v after its commit", i, took)
	}

	// Busy: writers commit back to back; most commits do not notify.
	listener, err := pgx.Connect(ctx, testDB.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer listener.Close(ctx)
	if _, err := listener.Exec(ctx, "LISTEN "+projection.OutboxChannel); err != nil {
		t.Fatal(err)
	}
	var commits atomic.Int64
	var last atomic.Value
	stop := time.Now().Add(time.Second)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for time.Now().Before(stop) {
				id, err := insertEvent(ctx, testDB.Pool)
				if err != nil {
					t.Error(err)
					return
				}
				commits.Add(1)
				last.Store(id)
			}
		})
	}
	wg.Wait()
	notifications := 0
	for {
		wctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		_, err := listener.WaitForNotification(wctx)
		cancel()
		if err != nil {
			break
		}
		notifications++
	}
	waitUntil(t, "the last busy row to be published", pollInterval/2, published(t, last.Load().(uuid.UUID)))
	t.Logf("busy: %d commits sent %d notifications", commits.Load(), notifications)
	if int64(notifications)*2 > commits.Load() {
		t.Errorf("%d of %d commits notified while the publisher was busy", notifications, commits.Load())
	}

	res := wait()
	if n := countUnpublished(t); n != 0 || res.Published == 0 {
		t.Fatalf("%d rows left unpublished; the run published %d", n, res.Published)
	}
	if flag(t) {
		t.Fatal("the flag is still set after the run ended: writers would notify no one")
	}
}

func countUnpublished(t *testing.T) int {
	t.Helper()
	var n int
	if err := testDB.Pool.QueryRow(context.Background(), `SELECT count(*) FROM outbox WHERE NOT published`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
