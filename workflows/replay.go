package workflows

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/temporalproto"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
)

// EventsWorkflows are the workflows of the events task queue: the event pipeline and the
// scheduled ones.
func EventsWorkflows() []any {
	return []any{OutboxPublisher, Projection, RebuildProjection, Housekeeping, EnsurePipeline}
}

// AIWorkflows are the workflows of the ai task queue.
func AIWorkflows() []any {
	return []any{ReembedCatalog, Recommendations}
}

// All lists every workflow function, for the replayer.
func All() []any {
	return append(EventsWorkflows(), AIWorkflows()...)
}

// Replayer returns a replayer that knows every workflow of this package.
func Replayer() worker.WorkflowReplayer {
	r := worker.NewWorkflowReplayer()
	for _, wf := range All() {
		r.RegisterWorkflow(wf)
	}
	return r
}

// ReplayResult is the outcome of replaying one workflow execution's history.
type ReplayResult struct {
	WorkflowID, RunID, Type string
	Events                  int
	Err                     error // non-nil: the current code does not replay this history
}

// ReplayNamespace fetches the history of every workflow execution that matches query (a
// Temporal visibility query; empty for all) and replays each against the current code. With
// outDir set it also saves each history as JSON there (the format `temporal workflow show
// --output json` writes), for use as recorded test histories.
func ReplayNamespace(ctx context.Context, c client.Client, namespace, query, outDir string) ([]ReplayResult, error) {
	replayer := Replayer()
	var results []ReplayResult
	var token []byte
	for {
		page, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Namespace: namespace, Query: query, NextPageToken: token})
		if err != nil {
			return results, fmt.Errorf("list workflows: %w", err)
		}
		for _, ex := range page.Executions {
			id, run := ex.Execution.WorkflowId, ex.Execution.RunId
			hist, err := history(ctx, c, id, run)
			if err != nil {
				return results, err
			}
			res := ReplayResult{WorkflowID: id, RunID: run, Type: ex.Type.GetName(), Events: len(hist.Events)}
			res.Err = replayer.ReplayWorkflowHistory(nil, hist)
			results = append(results, res)
			if outDir != "" {
				if err := save(outDir, res, hist); err != nil {
					return results, err
				}
			}
		}
		if token = page.NextPageToken; len(token) == 0 {
			return results, nil
		}
	}
}

func history(ctx context.Context, c client.Client, id, run string) (*historypb.History, error) {
	it := c.GetWorkflowHistory(ctx, id, run, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	h := &historypb.History{}
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("history of %s/%s: %w", id, run, err)
		}
		h.Events = append(h.Events, e)
	}
	return h, nil
}

func save(dir string, r ReplayResult, h *historypb.History) error {
	data, err := temporalproto.CustomJSONMarshalOptions{Indent: "  "}.Marshal(h)
	if err != nil {
		return err
	}
	name := strings.NewReplacer("/", "_", ":", "_").Replace(r.Type + "-" + r.WorkflowID + "-" + r.RunID[:8] + ".json")
	return os.WriteFile(filepath.Join(dir, name), data, 0o644)
}
