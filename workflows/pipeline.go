// Package workflows holds the Temporal workflows. The event pipeline's workflows are small
// supervisors with fixed IDs: each runs one long-running, heartbeating activity again and
// again (Temporal retries it with backoff when a worker dies) and continues-as-new before its
// history grows large. There is no workflow per order: orders are accepted by PostgreSQL alone.
// Housekeeping and EnsurePipeline are short workflows that Temporal Schedules start.
package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/acme/orders/activities"
)

// Task queues. Event publication and projections have their own queue so that slow work on
// another queue (AI pipelines) can never delay them.
const (
	EventsTaskQueue = "events"
	AITaskQueue     = "ai"
)

// Workflow IDs come from what they supervise.
const PublisherWorkflowID = "outbox-publisher"

// ProjectionWorkflowID is the ID of the workflow that keeps the named read model up to date.
func ProjectionWorkflowID(name string) string { return "projection-" + name }

// RebuildWorkflowID is the ID of a rebuild of the named read model; one runs at a time.
func RebuildWorkflowID(name string) string { return "rebuild-" + name }

// SupervisorInput tunes a supervising workflow and its activity.
type SupervisorInput struct {
	Loop             activities.LoopInput
	HeartbeatTimeout time.Duration // how soon Temporal gives a silent activity to another worker
	RunsPerExecution int           // activity runs before continue-as-new
}

func (in SupervisorInput) withDefaults() SupervisorInput {
	if in.HeartbeatTimeout <= 0 {
		in.HeartbeatTimeout = 20 * time.Second
	}
	if in.RunsPerExecution <= 0 {
		in.RunsPerExecution = 50
	}
	if in.Loop.RunFor <= 0 {
		in.Loop.RunFor = 5 * time.Minute
	}
	return in
}

func loopOptions(ctx workflow.Context, in SupervisorInput) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: in.Loop.RunFor + time.Minute,
		HeartbeatTimeout:    in.HeartbeatTimeout,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    30 * time.Second,
		},
	})
}

// StatusQuery is the query name every supervising workflow answers with its last result.
const StatusQuery = "status"

// OutboxPublisher keeps the outbox published: it runs PublishOutbox again and again.
// Query "status" returns the last PublishResult.
func OutboxPublisher(ctx workflow.Context, in SupervisorInput) error {
	in = in.withDefaults()
	var last activities.PublishResult
	if err := workflow.SetQueryHandler(ctx, StatusQuery, func() (activities.PublishResult, error) { return last, nil }); err != nil {
		return err
	}
	ctx = loopOptions(ctx, in)
	var a *activities.Pipeline
	for i := 0; i < in.RunsPerExecution; i++ {
		if err := workflow.ExecuteActivity(ctx, a.PublishOutbox, in.Loop).Get(ctx, &last); err != nil {
			return err
		}
	}
	return workflow.NewContinueAsNewError(ctx, OutboxPublisher, in)
}

// ProjectionInput names the read model a Projection workflow keeps up to date.
type ProjectionInput struct {
	Name       string
	Supervisor SupervisorInput
}

// Projection keeps one read model up to date: it runs RunProjection again and again.
// Query "status" returns the last ProjectResult.
func Projection(ctx workflow.Context, in ProjectionInput) error {
	in.Supervisor = in.Supervisor.withDefaults()
	last := activities.ProjectResult{Name: in.Name}
	if err := workflow.SetQueryHandler(ctx, StatusQuery, func() (activities.ProjectResult, error) { return last, nil }); err != nil {
		return err
	}
	ctx = loopOptions(ctx, in.Supervisor)
	var a *activities.Pipeline
	for i := 0; i < in.Supervisor.RunsPerExecution; i++ {
		if err := workflow.ExecuteActivity(ctx, a.RunProjection, activities.ProjectInput{Name: in.Name, Loop: in.Supervisor.Loop}).Get(ctx, &last); err != nil {
			return err
		}
	}
	return workflow.NewContinueAsNewError(ctx, Projection, in)
}
