package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/acme/orders/activities"
)

// Schedule IDs. Both schedules belong to the cluster, not to a worker: any number of workers
// make sure they exist at start, and each fires once per period whatever the number of workers.
const (
	// HousekeepingScheduleID starts Housekeeping every HousekeepingEvery.
	HousekeepingScheduleID = "housekeeping"
	// PipelineEnsureScheduleID starts EnsurePipeline every PipelineEnsureEvery.
	PipelineEnsureScheduleID = "pipeline-ensure"
)

// Schedule periods.
const (
	HousekeepingEvery   = 10 * time.Minute
	PipelineEnsureEvery = 30 * time.Second
)

// HousekeepingResult is what one Housekeeping run deleted.
type HousekeepingResult struct {
	IdempotencyKeysDeleted int64
	RefreshTokensDeleted   int64
}

// Housekeeping forgets what is past its use: Idempotency-Keys older than their TTL and
// refresh tokens long expired. The two purges run side by side and each is retried on its
// own; the workflow fails, naming the first failure, only after both have finished.
func Housekeeping(ctx workflow.Context) (HousekeepingResult, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 5 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    time.Minute,
			MaximumAttempts:    5,
		},
	})
	var h *activities.Housekeeping
	keys := workflow.ExecuteActivity(ctx, h.PurgeIdempotencyKeys)
	tokens := workflow.ExecuteActivity(ctx, h.PurgeRefreshTokens)
	var res HousekeepingResult
	var k, t activities.PurgeResult
	errKeys := keys.Get(ctx, &k)
	errTokens := tokens.Get(ctx, &t)
	res.IdempotencyKeysDeleted, res.RefreshTokensDeleted = k.Deleted, t.Deleted
	if errKeys != nil {
		return res, errKeys
	}
	return res, errTokens
}

// EnsurePipeline starts the outbox publisher or any projection workflow that is not running,
// so that one terminated (by an operator, to change its settings, or by mistake) comes back
// within one period of its schedule. It returns the IDs of the workflows it started.
func EnsurePipeline(ctx workflow.Context) (activities.StartedResult, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 20 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    5 * time.Second,
			MaximumAttempts:    3, // the next scheduled run tries again
		},
	})
	var s *activities.Supervision
	var res activities.StartedResult
	err := workflow.ExecuteActivity(ctx, s.StartMissingPipelineWorkflows).Get(ctx, &res)
	return res, err
}
