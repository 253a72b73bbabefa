package workflows

import (
	"context"
	"errors"

	"go.temporal.io/sdk/client"

	"github.com/acme/orders/internal/projection"
)

// Rebuilds starts and describes read-model rebuilds on Temporal for the pipeline's
// administration: it implements projection.Rebuilds.
type Rebuilds struct {
	Client    client.Client
	BatchSize int // events per replay transaction; 0 for the workflow's default
}

// StartRebuild implements projection.Rebuilds: projection.ErrRebuildRunning while a rebuild
// of that read model runs.
func (r Rebuilds) StartRebuild(ctx context.Context, name string) (string, error) {
	id, err := StartRebuild(ctx, r.Client, RebuildInput{Name: name, BatchSize: r.BatchSize})
	if errors.Is(err, ErrRebuildRunning) {
		return "", projection.ErrRebuildRunning
	}
	return id, err
}

// LatestRebuild implements projection.Rebuilds.
func (r Rebuilds) LatestRebuild(ctx context.Context, name string) (*projection.RebuildState, error) {
	st, err := LatestRebuild(ctx, r.Client, name)
	if err != nil || st == nil {
		return nil, err
	}
	p := st.Progress
	return &projection.RebuildState{WorkflowID: st.WorkflowID, Status: st.Status, Progress: projection.RebuildProgress{
		Name: p.Name, State: p.State, Checkpoint: p.Checkpoint, Target: p.Target, StartedAt: p.StartedAt, FinishedAt: p.FinishedAt}}, nil
}
