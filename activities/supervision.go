package activities

import (
	"context"

	"go.temporal.io/sdk/activity"
)

// PipelineStarter starts whichever of the event pipeline's supervising workflows is not
// running, and returns the IDs of those it started.
type PipelineStarter interface {
	StartMissing(ctx context.Context) ([]string, error)
}

// EmbeddingsStarter starts the re-embedding of each embedding model whose search documents lack
// current embeddings, and returns the IDs of the workflows it started.
type EmbeddingsStarter interface {
	StartStale(ctx context.Context) ([]string, error)
}

// Supervision carries what the pipeline check needs. Register a *Supervision with the worker;
// workflows refer to its methods through a nil *Supervision.
type Supervision struct {
	Pipeline   PipelineStarter
	Embeddings EmbeddingsStarter // nil: no re-embedding
}

// StartedResult lists the workflows a check started; empty when everything was running.
type StartedResult struct {
	Started []string
}

// StartMissingPipelineWorkflows starts the publisher or any projection workflow that is not
// running (terminated by an operator to change its settings, or by mistake), with this
// worker's pipeline settings, and the re-embedding of any model with stale search documents.
// Errors are Temporal or PostgreSQL being unreachable, and are retried.
func (s *Supervision) StartMissingPipelineWorkflows(ctx context.Context) (StartedResult, error) {
	started, err := s.Pipeline.StartMissing(ctx)
	if err == nil && s.Embeddings != nil {
		var more []string
		more, err = s.Embeddings.StartStale(ctx)
		started = append(started, more...)
	}
	if len(started) > 0 {
		activity.GetLogger(ctx).Info("pipeline workflows started again", "workflows", started)
	}
	return StartedResult{Started: started}, err
}
