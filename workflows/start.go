package workflows

import (
	"context"
	"errors"
	"fmt"
	"sort"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
)

// EnsurePipeline starts the publisher and one Projection workflow per read model, each with
// its own settings, unless they are already running (workers call it at start and then
// periodically; any number of workers may race on it).
func EnsurePipeline(ctx context.Context, c client.Client, in SupervisorInput, projections map[string]SupervisorInput) error {
	start := func(id string, wf any, arg any) error {
		_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
			ID:                       id,
			TaskQueue:                EventsTaskQueue,
			WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
			WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		}, wf, arg)
		if err != nil {
			return fmt.Errorf("start %s: %w", id, err)
		}
		return nil
	}
	if err := start(PublisherWorkflowID, OutboxPublisher, in); err != nil {
		return err
	}
	names := make([]string, 0, len(projections))
	for name := range projections {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := start(ProjectionWorkflowID(name), Projection, ProjectionInput{Name: name, Supervisor: projections[name]}); err != nil {
			return err
		}
	}
	return nil
}

// ErrRebuildRunning is returned by StartRebuild while a rebuild of that read model runs.
var ErrRebuildRunning = errors.New("a rebuild of this read model is already running")

// StartRebuild starts the rebuild of a read model and returns its workflow ID; a second rebuild
// of the same read model while one runs is refused with ErrRebuildRunning.
func StartRebuild(ctx context.Context, c client.Client, in RebuildInput) (string, error) {
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       RebuildWorkflowID(in.Name),
		TaskQueue:                EventsTaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		// Without this the SDK hands back the running rebuild instead of refusing.
		WorkflowExecutionErrorWhenAlreadyStarted: true,
	}, RebuildProjection, in)
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
	WorkflowID string          `json:"workflow_id"`
	Status     string          `json:"status"` // Temporal's execution status: Running, Completed, Failed, ...
	Progress   RebuildProgress `json:"progress"`
}

// LatestRebuild reports the latest rebuild of the named read model: for a running one its
// "progress" query, for a finished one its result. It returns nil, nil if there has been none.
func LatestRebuild(ctx context.Context, c client.Client, name string) (*RebuildStatus, error) {
	id := RebuildWorkflowID(name)
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
		v, err := c.QueryWorkflow(ctx, id, "", ProgressQuery)
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
