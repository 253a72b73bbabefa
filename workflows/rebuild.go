package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/acme/orders/activities"
	"github.com/acme/orders/internal/projection"
)

// RebuildInput names the read model to rebuild.
type RebuildInput struct {
	Name             string
	BatchSize        int           // events per transaction while replaying (default 20000)
	ChunkFor         time.Duration // length of one replay activity run (default 30s)
	HeartbeatTimeout time.Duration // default 20s
}

// RebuildProgress is the answer to the "progress" query and the workflow's result: the
// pipeline administration's own type, so what the workflow reports reaches it unconverted.
type RebuildProgress = projection.RebuildProgress

// ProgressQuery is the query name a rebuild answers with its RebuildProgress.
const ProgressQuery = "progress"

// RebuildProjection empties a read model and sets its checkpoint to zero in one transaction,
// then replays the event log from position 1 up to the last position published at that
// moment, reporting progress. The live Projection workflow keeps running: it and the replay
// take turns on the checkpoint, so each batch is applied once; other read models are untouched.
func RebuildProjection(ctx workflow.Context, in RebuildInput) (RebuildProgress, error) {
	if in.BatchSize <= 0 {
		in.BatchSize = 20000
	}
	if in.ChunkFor <= 0 {
		in.ChunkFor = 30 * time.Second
	}
	if in.HeartbeatTimeout <= 0 {
		in.HeartbeatTimeout = 20 * time.Second
	}
	p := RebuildProgress{Name: in.Name, State: "resetting", StartedAt: workflow.Now(ctx)}
	if err := workflow.SetQueryHandler(ctx, ProgressQuery, func() (RebuildProgress, error) { return p, nil }); err != nil {
		return p, err
	}
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: in.ChunkFor + time.Minute,
		HeartbeatTimeout:    in.HeartbeatTimeout,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 30 * time.Second},
	})
	var a *activities.Pipeline
	var reset activities.ResetResult
	if err := workflow.ExecuteActivity(ctx, a.ResetProjection, in.Name).Get(ctx, &reset); err != nil {
		return p, err
	}
	p.State, p.Target = "replaying", reset.Target
	for p.Checkpoint < p.Target {
		var res activities.ProjectResult
		input := activities.ProjectInput{Name: in.Name, StopAt: p.Target,
			Loop: activities.LoopInput{RunFor: in.ChunkFor, BatchSize: in.BatchSize, PollInterval: 100 * time.Millisecond}}
		if err := workflow.ExecuteActivity(ctx, a.RunProjection, input).Get(ctx, &res); err != nil {
			return p, err
		}
		p.Checkpoint = res.Checkpoint
	}
	p.State, p.FinishedAt = "done", workflow.Now(ctx)
	return p, nil
}
