package workflows

import (
	"time"

	"github.com/google/uuid"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/acme/orders/activities"
	"github.com/acme/orders/internal/search"
)

// ReembedWorkflowID is the ID of the re-embedding of the search index with the named model;
// one runs at a time per model.
func ReembedWorkflowID(model string) string { return "reembed-" + model }

// ReembedInput says which model to embed with, and carries the progress across
// continue-as-new.
type ReembedInput struct {
	Model     string
	BatchSize int // documents per provider call (default 128)
	// BatchesPerRun is how many batches one run executes before it continues as new, keeping
	// its history short on large catalogues (default 500).
	BatchesPerRun int
	Progress      *ReembedProgress // nil on the first run
}

// ReembedProgress is the answer to the "progress" query and the workflow's result.
type ReembedProgress struct {
	Model      string
	State      string // counting, embedding, pruning, done
	Total      int64  // documents that lacked a current embedding when the run began
	Embedded   int64  // vectors stored so far
	Batches    int
	Pruned     int64 // vectors of deleted products removed at the end
	StartedAt  time.Time
	FinishedAt time.Time
	After      string // the last product ID done, where a continued run resumes
}

// Percent is how far the re-embedding has come, 0 to 100.
func (p ReembedProgress) Percent() float64 {
	if p.State == "done" || p.Total == 0 {
		return 100
	}
	return min(100, 100*float64(p.Embedded)/float64(p.Total))
}

// ReembedCatalog re-embeds every search document that lacks a current embedding of the model,
// in batches of one provider call each, in product-ID order, then removes the vectors of
// products that are gone. It runs on the ai task queue: that queue's rate limit paces the
// provider calls, and Temporal retries a failed batch with backoff. The "progress" query
// answers how far it is. Documents changed while it runs are picked up by the next run (the
// pipeline check starts one whenever stale documents remain).
func ReembedCatalog(ctx workflow.Context, in ReembedInput) (ReembedProgress, error) {
	if in.BatchSize <= 0 {
		in.BatchSize = 128
	}
	if in.BatchesPerRun <= 0 {
		in.BatchesPerRun = 500
	}
	p := ReembedProgress{Model: in.Model, State: "counting", StartedAt: workflow.Now(ctx)}
	if in.Progress != nil {
		p = *in.Progress
	}
	if err := workflow.SetQueryHandler(ctx, ProgressQuery, func() (ReembedProgress, error) { return p, nil }); err != nil {
		return p, err
	}
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 2 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    2 * time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    5 * time.Minute,
			MaximumAttempts:    20,
		},
	})
	var a *activities.AI
	if in.Progress == nil {
		if err := workflow.ExecuteActivity(ctx, a.CountStaleEmbeddings, in.Model).Get(ctx, &p.Total); err != nil {
			return p, err
		}
		p.State = "embedding"
	}
	var after uuid.UUID
	if p.After != "" {
		after = uuid.MustParse(p.After)
	}
	for run := 0; p.State == "embedding"; run++ {
		if run == in.BatchesPerRun {
			in.Progress = &p
			return p, workflow.NewContinueAsNewError(ctx, ReembedCatalog, in)
		}
		var b search.Batch
		if err := workflow.ExecuteActivity(ctx, a.ReembedBatch, activities.ReembedInput{Model: in.Model, After: after, Size: in.BatchSize}).Get(ctx, &b); err != nil {
			return p, err
		}
		if b.Read == 0 {
			p.State = "pruning"
			break
		}
		p.Embedded += b.Embedded
		p.Batches++
		after = b.Last
		p.After = b.Last.String()
	}
	if err := workflow.ExecuteActivity(ctx, a.PruneEmbeddings, in.Model).Get(ctx, &p.Pruned); err != nil {
		return p, err
	}
	p.State, p.FinishedAt = "done", workflow.Now(ctx)
	return p, nil
}
