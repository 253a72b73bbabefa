package temporal_test

import (
	"context"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/trace"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/acme/orders/internal/platform/telemetry/telemetrytest"
)

func tracedWorkflow(ctx workflow.Context) (string, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 30 * time.Second})
	var traceID string
	err := workflow.ExecuteActivity(ctx, "TracedActivity").Get(ctx, &traceID)
	return traceID, err
}

// tracedActivity returns the trace its context is in: what its SQL statements would join.
func tracedActivity(ctx context.Context) (string, error) {
	return trace.SpanContextFromContext(ctx).TraceID().String(), nil
}

// TestWorkflowJoinsTheCallersTrace: with tracing on, a client from Dial carries the Temporal
// tracing interceptor, so a workflow started from a traced context (an API request) runs in
// that trace: the start, the workflow run and its activity are spans of it, and the
// activity's context is in it too, for whatever it traces itself. Workers made from the
// client inherit the interceptor.
//
// Not parallel: it installs a global tracer provider that records in memory.
func TestWorkflowJoinsTheCallersTrace(t *testing.T) {
	rec := telemetrytest.Record(t)
	c := devServer(t) // dialled with tracing on

	const queue = "tracing-test"
	w := worker.New(c, queue, worker.Options{})
	w.RegisterWorkflowWithOptions(tracedWorkflow, workflow.RegisterOptions{Name: "TracedWorkflow"})
	w.RegisterActivityWithOptions(tracedActivity, activity.RegisterOptions{Name: "TracedActivity"})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()

	ctx, request := otel.Tracer("test").Start(context.Background(), "POST /api/v1/admin/projections/{name}/rebuild")
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{TaskQueue: queue, WorkflowExecutionTimeout: time.Minute}, "TracedWorkflow")
	request.End()
	if err != nil {
		t.Fatal(err)
	}
	var activityTrace string
	if err := run.Get(context.Background(), &activityTrace); err != nil {
		t.Fatal(err)
	}
	want := request.SpanContext().TraceID()
	if activityTrace != want.String() {
		t.Errorf("the activity ran in trace %s, want the caller's %s", activityTrace, want)
	}
	seen := map[string]bool{}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		for _, s := range rec.Ended() {
			if s.SpanContext().TraceID() == want {
				seen[s.Name()] = true
			}
		}
		if seen["StartWorkflow:TracedWorkflow"] && seen["RunWorkflow:TracedWorkflow"] && seen["RunActivity:TracedActivity"] {
			return
		}
	}
	t.Fatalf("spans in the caller's trace: %v", seen)
}
