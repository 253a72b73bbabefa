package temporal

import (
	"context"
	"errors"
	"fmt"
	"sort"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/acme/orders/activities"
	"github.com/acme/orders/internal/platform/config"
	"github.com/acme/orders/workflows"
)

// Pipeline starts the event pipeline's supervising workflows: the outbox publisher and one
// Projection per read model, each with its own settings. It is what the worker runs at start
// and what the EnsurePipeline workflow's activity runs on the pipeline-ensure schedule.
type Pipeline struct {
	Client      client.Client
	Publisher   workflows.SupervisorInput
	Projections map[string]workflows.SupervisorInput // by read-model name
}

// NewPipeline derives the supervising workflows' settings from the configuration: every
// read model named gets the common settings, and those for which background reports true
// gather work for BackgroundLinger after a wake-up instead of Linger.
func NewPipeline(c client.Client, p config.Pipeline, names []string, background func(name string) bool) Pipeline {
	common := workflows.SupervisorInput{
		HeartbeatTimeout: p.HeartbeatTimeout,
		RunsPerExecution: p.RunsPerExecution,
		Loop: activities.LoopInput{RunFor: p.RunFor, BatchSize: p.BatchSize, PollInterval: p.PollInterval,
			BackoffBase: p.BackoffBase, Linger: p.Linger},
	}
	projections := make(map[string]workflows.SupervisorInput, len(names))
	for _, name := range names {
		in := common
		if background != nil && background(name) {
			in.Loop.Linger = p.BackgroundLinger
		}
		projections[name] = in
	}
	return Pipeline{Client: c, Publisher: common, Projections: projections}
}

// StartMissing starts each of the pipeline's workflows that is not running and returns the
// IDs of those it started (none when all run). Any number of processes may call it at once:
// Temporal lets one start win and the others find the workflow running. It fails only if
// Temporal cannot be reached or refuses a start for another reason.
func (p Pipeline) StartMissing(ctx context.Context) ([]string, error) {
	var started []string
	start := func(id string, wf any, arg any) error {
		ok, err := startOnce(ctx, p.Client, id, workflows.EventsTaskQueue, wf, arg)
		if ok {
			started = append(started, id)
		}
		return err
	}
	if err := start(workflows.PublisherWorkflowID, workflows.OutboxPublisher, p.Publisher); err != nil {
		return started, err
	}
	names := make([]string, 0, len(p.Projections))
	for name := range p.Projections {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		in := workflows.ProjectionInput{Name: name, Supervisor: p.Projections[name]}
		if err := start(workflows.ProjectionWorkflowID(name), workflows.Projection, in); err != nil {
			return started, err
		}
	}
	return started, nil
}

// startOnce starts the workflow with the given ID unless one with that ID is running; it
// reports whether it started one. Any number of processes may call it at once: Temporal lets
// one start win and the others find the workflow running.
func startOnce(ctx context.Context, c client.Client, id, queue string, wf any, arg any) (bool, error) {
	_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       id,
		TaskQueue:                queue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		// Report a running workflow as an error, so that "already running" is told apart
		// from "started now".
		WorkflowExecutionErrorWhenAlreadyStarted: true,
	}, wf, arg)
	var running *serviceerror.WorkflowExecutionAlreadyStarted
	switch {
	case errors.As(err, &running):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("start %s: %w", id, err)
	}
	return true, nil
}
