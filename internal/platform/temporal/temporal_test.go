package temporal_test

import (
	"context"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"

	"github.com/acme/orders/internal/platform/config"
	"github.com/acme/orders/internal/platform/temporal"
	"github.com/acme/orders/workflows"
)

// devServer starts a Temporal dev server from the repository's bin/temporal (make tools) and
// returns a client to it; both end with the test.
func devServer(t *testing.T) client.Client {
	t.Helper()
	srv := startDevServer(t)
	c, err := temporal.Dial(context.Background(), temporal.Options{Address: srv.FrontendHostPort()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// startDevServer starts a Temporal dev server from bin/temporal; it stops with the test.
func startDevServer(t *testing.T) *testsuite.DevServer {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a Temporal dev server")
	}
	bin, err := filepath.Abs("../../../bin/temporal")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := testsuite.StartDevServer(context.Background(), testsuite.DevServerOptions{
		ExistingPath:  bin,
		ClientOptions: &client.Options{Namespace: "default", Logger: temporal.NewLogger(nil)},
		LogLevel:      "error",
		Stdout:        io.Discard,
		Stderr:        io.Discard,
	})
	if err != nil {
		t.Fatalf("start the Temporal dev server (make tools installs bin/temporal): %v", err)
	}
	t.Cleanup(func() { _ = srv.Stop() })
	return srv
}

// TestEnsureSchedules: the first worker creates the schedules, later ones leave them alone;
// a changed period updates the schedule in place, and a schedule an operator paused stays
// paused through that update.
func TestEnsureSchedules(t *testing.T) {
	t.Parallel()
	c := devServer(t)
	ctx := context.Background()

	got, err := temporal.EnsureSchedules(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]temporal.Outcome{workflows.HousekeepingScheduleID: temporal.Created, workflows.PipelineEnsureScheduleID: temporal.Created}
	if !maps.Equal(got, want) {
		t.Fatalf("first ensure: %v", got)
	}
	if got, err = temporal.EnsureSchedules(ctx, c); err != nil || got[workflows.HousekeepingScheduleID] != temporal.Unchanged || got[workflows.PipelineEnsureScheduleID] != temporal.Unchanged {
		t.Fatalf("second ensure: %v %v", got, err)
	}

	h := c.ScheduleClient().GetHandle(ctx, workflows.HousekeepingScheduleID)
	desc, err := h.Describe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	action, ok := desc.Schedule.Action.(*client.ScheduleWorkflowAction)
	if !ok || action.Workflow != "Housekeeping" || action.TaskQueue != workflows.EventsTaskQueue ||
		len(desc.Schedule.Spec.Intervals) != 1 || desc.Schedule.Spec.Intervals[0].Every != 10*time.Minute {
		t.Fatalf("housekeeping schedule: action %+v, spec %+v", desc.Schedule.Action, desc.Schedule.Spec)
	}

	if err := h.Pause(ctx, client.SchedulePauseOptions{Note: "maintenance"}); err != nil {
		t.Fatal(err)
	}
	faster := temporal.Schedules()[0]
	faster.Every = 5 * time.Minute
	if o, err := temporal.EnsureSchedule(ctx, c, faster); err != nil || o != temporal.Updated {
		t.Fatalf("ensure with a new period: %s %v", o, err)
	}
	if desc, err = h.Describe(ctx); err != nil {
		t.Fatal(err)
	}
	if desc.Schedule.Spec.Intervals[0].Every != 5*time.Minute || !desc.Schedule.State.Paused || desc.Schedule.State.Note != "maintenance" {
		t.Fatalf("after the update: every %s, state %+v", desc.Schedule.Spec.Intervals[0].Every, desc.Schedule.State)
	}
	if o, err := temporal.EnsureSchedule(ctx, c, faster); err != nil || o != temporal.Unchanged {
		t.Fatalf("ensure again with the new period: %s %v", o, err)
	}
}

// TestStartMissing: the first call starts the publisher and every projection; a second
// starts nothing; after the publisher is terminated, only the publisher is started again.
func TestStartMissing(t *testing.T) {
	t.Parallel()
	c := devServer(t)
	ctx := context.Background()
	p := temporal.NewPipeline(c, config.Pipeline{BatchSize: 500, Linger: time.Millisecond, BackgroundLinger: time.Second},
		[]string{"product_sales", "order_history"}, func(name string) bool { return name == "product_sales" })

	all := []string{workflows.PublisherWorkflowID, workflows.ProjectionWorkflowID("order_history"), workflows.ProjectionWorkflowID("product_sales")}
	if started, err := p.StartMissing(ctx); err != nil || !slices.Equal(started, all) {
		t.Fatalf("first call started %v, %v; want %v", started, err, all)
	}
	if started, err := p.StartMissing(ctx); err != nil || len(started) != 0 {
		t.Fatalf("second call started %v, %v", started, err)
	}
	if err := c.TerminateWorkflow(ctx, workflows.PublisherWorkflowID, "", "test"); err != nil {
		t.Fatal(err)
	}
	if started, err := p.StartMissing(ctx); err != nil || !slices.Equal(started, all[:1]) {
		t.Fatalf("after terminating the publisher: started %v, %v", started, err)
	}
	// Each projection runs with its own settings: the background one gathers work longer.
	var in workflows.ProjectionInput
	if err := firstInput(ctx, c, workflows.ProjectionWorkflowID("product_sales"), &in); err != nil {
		t.Fatal(err)
	}
	if in.Name != "product_sales" || in.Supervisor.Loop.Linger != time.Second || in.Supervisor.Loop.BatchSize != 500 {
		t.Fatalf("product_sales input %+v", in)
	}
}

// firstInput decodes the input of a workflow's current run.
func firstInput(ctx context.Context, c client.Client, id string, v any) error {
	it := c.GetWorkflowHistory(ctx, id, "", false, 0)
	e, err := it.Next()
	if err != nil {
		return err
	}
	return converter.GetDefaultDataConverter().FromPayloads(e.GetWorkflowExecutionStartedEventAttributes().GetInput(), v)
}
