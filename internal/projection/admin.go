package projection

import (
	"context"
	"errors"
	"time"

	"github.com/acme/orders/internal/fault"
)

// Errors of the pipeline's administration.
var (
	// ErrRebuildRunning is returned by Admin.Rebuild (and must be by Rebuilds.StartRebuild)
	// while a rebuild of that read model runs.
	ErrRebuildRunning = fault.New(fault.Conflict, "rebuild-running", "a rebuild of this read model is already running")
	// ErrWorkflowsUnavailable is returned when a rebuild cannot be started because the
	// workflow engine is not configured or does not answer.
	ErrWorkflowsUnavailable = fault.New(fault.Unavailable, "workflows-unavailable", "the workflow engine is not reachable; try again shortly")
)

// RebuildProgress is how far a rebuild has got.
type RebuildProgress struct {
	Name       string
	State      string // resetting, replaying, done
	Checkpoint int64  // positions applied so far
	Target     int64  // last position published when the read model was emptied
	StartedAt  time.Time
	FinishedAt time.Time
}

// RebuildState is the latest rebuild of a read model, as the workflow engine reports it.
type RebuildState struct {
	WorkflowID string
	Status     string // the engine's execution status: Running, Completed, Failed, ...
	Progress   RebuildProgress
}

// Rebuilds starts and describes rebuilds; the workflow engine implements it.
type Rebuilds interface {
	// StartRebuild starts the rebuild of the named read model and returns its workflow ID,
	// or ErrRebuildRunning while one runs.
	StartRebuild(ctx context.Context, name string) (string, error)
	// LatestRebuild describes the latest rebuild of the named read model, nil if none.
	LatestRebuild(ctx context.Context, name string) (*RebuildState, error)
}

// ProjectionOverview is one read model's state and its latest rebuild.
type ProjectionOverview struct {
	Status
	Rebuild        *RebuildState // nil: none, or not known (see RebuildUnknown)
	RebuildUnknown bool          // the workflow engine did not answer in time
}

// Overview is the state of publication and of every read model.
type Overview struct {
	Outbox      Stats
	Projections []ProjectionOverview
}

// Admin is what operators see and do with the event pipeline: its state, rebuilds, and
// parked events.
type Admin struct {
	publisher *Publisher
	runner    *Runner
	rebuilds  Rebuilds
	// RebuildTimeout bounds each question to the workflow engine in Overview, so the status
	// page never hangs on it.
	RebuildTimeout time.Duration
}

// NewAdmin returns the administration of the pipeline run by publisher and runner; rebuilds
// may be nil when no workflow engine is configured.
func NewAdmin(publisher *Publisher, runner *Runner, rebuilds Rebuilds) *Admin {
	return &Admin{publisher: publisher, runner: runner, rebuilds: rebuilds, RebuildTimeout: 2 * time.Second}
}

// Figures returns publication's figures and every read model's checkpoint and lag, from the
// database alone.
func (a *Admin) Figures(ctx context.Context) (Stats, []Status, error) {
	stats, err := a.publisher.Stats(ctx)
	if err != nil {
		return Stats{}, nil, err
	}
	statuses, err := a.runner.Statuses(ctx, stats.LastPosition)
	if err != nil {
		return Stats{}, nil, err
	}
	return stats, statuses, nil
}

// Overview returns Figures with each read model's latest rebuild.
func (a *Admin) Overview(ctx context.Context) (Overview, error) {
	stats, statuses, err := a.Figures(ctx)
	if err != nil {
		return Overview{}, err
	}
	out := Overview{Outbox: stats, Projections: make([]ProjectionOverview, len(statuses))}
	for i, st := range statuses {
		out.Projections[i] = ProjectionOverview{Status: st}
		if a.rebuilds == nil {
			continue
		}
		rctx, cancel := context.WithTimeout(ctx, a.RebuildTimeout)
		out.Projections[i].Rebuild, err = a.rebuilds.LatestRebuild(rctx, st.Name)
		cancel()
		if err != nil {
			out.Projections[i].Rebuild, out.Projections[i].RebuildUnknown = nil, true
		}
	}
	return out, nil
}

// known returns ErrUnknownProjection unless a read model has that name.
func (a *Admin) known(name string) error {
	_, err := a.runner.get(name)
	return err
}

// Rebuild starts the rebuild of the named read model by replay and returns its workflow ID.
// Returns ErrUnknownProjection, ErrRebuildRunning, or ErrWorkflowsUnavailable when there is
// no workflow engine or it does not accept the rebuild.
func (a *Admin) Rebuild(ctx context.Context, name string) (string, error) {
	if err := a.known(name); err != nil {
		return "", err
	}
	if a.rebuilds == nil {
		return "", ErrWorkflowsUnavailable
	}
	id, err := a.rebuilds.StartRebuild(ctx, name)
	switch {
	case errors.Is(err, ErrRebuildRunning):
		return "", ErrRebuildRunning
	case err != nil && fault.KindOf(err) == fault.Internal:
		return "", ErrWorkflowsUnavailable.WithMessage("could not start the rebuild: the workflow engine did not accept it; try again shortly")
	case err != nil:
		return "", err
	}
	return id, nil
}

// ListParked lists parked events, of one read model if name is not empty, and only the open
// ones unless includeResolved. Returns ErrUnknownProjection for an unknown name.
func (a *Admin) ListParked(ctx context.Context, name string, includeResolved bool) ([]Parked, error) {
	return a.runner.ListParked(ctx, name, includeResolved)
}

// Redrive applies one parked event again and marks it resolved. Returns ErrUnknownProjection,
// ErrNotParked, or ErrRedriveFailed.
func (a *Admin) Redrive(ctx context.Context, name string, position int64) error {
	if err := a.known(name); err != nil {
		return err
	}
	if position < 1 {
		return ErrNotParked
	}
	return a.runner.Redrive(ctx, name, position)
}
