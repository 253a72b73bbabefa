package temporal

import (
	"context"
	"errors"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/acme/orders/internal/projection"
	"github.com/acme/orders/workflows"
)

// ErrRebuildRunning is returned by StartRebuild while a rebuild of that read model runs.
var ErrRebuildRunning = errors.New("a rebuild of this read model is already running")

// StartRebuild starts the rebuild of a read model and returns its workflow ID; a second rebuild
// of the same read model while one runs is refused with ErrRebuildRunning.
func StartRebuild(ctx context.Context, c client.Client, in workflows.RebuildInput) (string, error) {
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       workflows.RebuildWorkflowID(in.Name),
		TaskQueue:                workflows.EventsTaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		// Without this the SDK hands back the running rebuild instead of refusing.
		WorkflowExecutionErrorWhenAlreadyStarted: true,
	}, workflows.RebuildProjection, in)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return "", ErrRebuildRunning
	}
	if err != nil {
		return "", err
	}
	return run.GetID(), nil
}

// RebuildStatus is the state of the latest rebuild of a read model.
type RebuildStatus struct {
	WorkflowID string                    `json:"workflow_id"`
	Status     string                    `json:"status"` // Temporal's execution status: Running, Completed, Failed, ...
	Progress   workflows.RebuildProgress `json:"progress"`
}

// LatestRebuild reports the latest rebuild of the named read model: for a running one its
// "progress" query, for a finished one its result. It returns nil, nil if there has been none.
func LatestRebuild(ctx context.Context, c client.Client, name string) (*RebuildStatus, error) {
	id := workflows.RebuildWorkflowID(name)
	desc, err := c.DescribeWorkflowExecution(ctx, id, "")
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	info := desc.GetWorkflowExecutionInfo()
	st := &RebuildStatus{WorkflowID: id, Status: info.GetStatus().String()}
	switch info.GetStatus() {
	case enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING:
		v, err := c.QueryWorkflow(ctx, id, "", workflows.ProgressQuery)
		if err == nil {
			err = v.Get(&st.Progress)
		}
		if err != nil {
			return st, err
		}
	case enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED:
		if err := c.GetWorkflow(ctx, id, "").Get(ctx, &st.Progress); err != nil {
			return st, err
		}
	}
	return st, nil
}

// Rebuilds starts and describes read-model rebuilds on Temporal for the pipeline's
// administration: it implements projection.Rebuilds.
type Rebuilds struct {
	Client    client.Client
	BatchSize int // events per replay transaction; 0 for the workflow's default
}

// StartRebuild implements projection.Rebuilds: projection.ErrRebuildRunning while a rebuild
// of that read model runs.
func (r Rebuilds) StartRebuild(ctx context.Context, name string) (string, error) {
	id, err := StartRebuild(ctx, r.Client, workflows.RebuildInput{Name: name, BatchSize: r.BatchSize})
	if errors.Is(err, ErrRebuildRunning) {
		return "", projection.ErrRebuildRunning
	}
	return id, err
}

// LatestRebuild implements projection.Rebuilds: nil, nil if there has been no rebuild.
func (r Rebuilds) LatestRebuild(ctx context.Context, name string) (*projection.RebuildState, error) {
	st, err := LatestRebuild(ctx, r.Client, name)
	if err != nil || st == nil {
		return nil, err
	}
	p := st.Progress
	return &projection.RebuildState{WorkflowID: st.WorkflowID, Status: st.Status, Progress: projection.RebuildProgress{
		Name: p.Name, State: p.State, Checkpoint: p.Checkpoint, Target: p.Target, StartedAt: p.StartedAt, FinishedAt: p.FinishedAt}}, nil
}
