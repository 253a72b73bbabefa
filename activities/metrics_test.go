package activities_test

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"go.temporal.io/sdk/testsuite"

	"github.com/acme/orders/activities"
	"github.com/acme/orders/db/sqlc"
	"github.com/acme/orders/internal/projection"
)

// countingModel is a read model that only counts what it is given, so that the test is about
// the rebuild's bookkeeping, not a read model's SQL.
type countingModel struct{ applied *int64 }

func (countingModel) Name() string { return "order_history" }
func (c countingModel) Apply(_ context.Context, _ *sqlc.Queries, after, upto int64) error {
	*c.applied += upto - after
	return nil
}
func (countingModel) Truncate(context.Context, *sqlc.Queries) error { return nil }
func (countingModel) Checksum(context.Context, *sqlc.Queries) (int64, string, error) {
	return 0, "", nil
}

// TestRebuildMetrics: emptying a read model counts a rebuild started and sets what remains to
// the published position; replaying to it counts the rebuild finished and brings what remains
// to zero, for the dashboard's Rebuilds row.
func TestRebuildMetrics(t *testing.T) {
	ctx := context.Background()
	for range 7 {
		if _, err := insertEvent(ctx, testDB.Pool); err != nil {
			t.Fatal(err)
		}
	}
	publisher := projection.NewPublisher(testDB.Pool)
	for countUnpublished(t) > 0 {
		if _, _, err := publisher.PublishBatch(ctx, 100); err != nil {
			t.Fatal(err)
		}
	}

	var applied int64
	reg := prometheus.NewRegistry()
	m := activities.NewMetrics(reg)
	p := &activities.Pipeline{Pool: testDB.Pool, Publisher: publisher,
		Runner: projection.NewRunner(testDB.Pool, countingModel{&applied}), Metrics: m}
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	env.RegisterActivity(p)

	v, err := env.ExecuteActivity(p.ResetProjection, "order_history")
	if err != nil {
		t.Fatal(err)
	}
	var reset activities.ResetResult
	if err := v.Get(&reset); err != nil {
		t.Fatal(err)
	}
	if reset.Target < 7 {
		t.Fatalf("target %d, want at least the 7 published events", reset.Target)
	}
	started, finished, remaining := m.RebuildsStarted.WithLabelValues("order_history"), m.RebuildsFinished.WithLabelValues("order_history"), m.RebuildRemaining.WithLabelValues("order_history")
	if got := testutil.ToFloat64(started); got != 1 {
		t.Fatalf("started %v after the reset, want 1", got)
	}
	if got := testutil.ToFloat64(remaining); got != float64(reset.Target) {
		t.Fatalf("remaining %v after the reset, want the target %d", got, reset.Target)
	}
	if got := testutil.ToFloat64(finished); got != 0 {
		t.Fatalf("finished %v before any replay", got)
	}

	v, err = env.ExecuteActivity(p.RunProjection, activities.ProjectInput{Name: "order_history", StopAt: reset.Target,
		Loop: activities.LoopInput{RunFor: 30 * time.Second, BatchSize: 3, PollInterval: 50 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	var res activities.ProjectResult
	if err := v.Get(&res); err != nil {
		t.Fatal(err)
	}
	if res.Checkpoint != reset.Target || applied != reset.Target {
		t.Fatalf("replayed to %d (%d applied), want %d", res.Checkpoint, applied, reset.Target)
	}
	if got := testutil.ToFloat64(finished); got != 1 {
		t.Fatalf("finished %v after the replay, want 1", got)
	}
	if got := testutil.ToFloat64(remaining); got != 0 {
		t.Fatalf("remaining %v after the replay, want 0", got)
	}
}
