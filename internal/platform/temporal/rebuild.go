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

// Rebuilds starts and describes read-model rebuilds on Temporal for the pipeline's
// administration: it implements projection.Rebuilds.
type Rebuilds struct {
	Client    client.Client
	BatchSize int // events per replay transaction; 0 for the workflow's default
}

// StartRebuild starts the rebuild of a read model and returns its workflow ID; a second rebuild
// of the same read model while one runs is refused with projection.ErrRebuildRunning.
func (r Rebuilds) StartRebuild(ctx context.Context, name string) (string, error) {
	run, err := r.Client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       workflows.RebuildWorkflowID(name),
		TaskQueue:                workflows.EventsTaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		// Without this the SDK hands back the running rebuild instead of refusing.
		WorkflowExecutionErrorWhenAlreadyStarted: true,
	}, workflows.RebuildProjection, workflows.RebuildInput{Name: name, BatchSize: r.BatchSize})
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		return "", projection.ErrRebuildRunning
	}
	if err != nil {
		return "", err
	}
	return run.GetID(), nil
}

// LatestRebuild reports the latest rebuild of the named read model: for a running one its
// "progress" query, for a finished one its result. It returns nil, nil if there has been none.
func (r Rebuilds) LatestRebuild(ctx context.Context, name string) (*projection.RebuildState, error) {
	id := workflows.RebuildWorkflowID(name)
	desc, err := r.Client.DescribeWorkflowExecution(ctx, id, "")
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	info := desc.GetWorkflowExecutionInfo()
	st := &projection.RebuildState{WorkflowID: id, Status: info.GetStatus().String()}
	switch info.GetStatus() {
	case enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING:
		v, err := r.Client.QueryWorkflow(ctx, id, "", workflows.ProgressQuery)
		if err == nil {
			err = v.Get(&st.Progress)
		}
		if err != nil {
			return nil, err
		}
	case enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED:
		if err := r.Client.GetWorkflow(ctx, id, "").Get(ctx, &st.Progress); err != nil {
			return nil, err
		}
	}
	return st, nil
}
