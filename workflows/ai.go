package workflows

import (
	"errors"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/acme/orders/activities"
	"github.com/acme/orders/internal/ai"
	"github.com/acme/orders/internal/recommend"
	"github.com/acme/orders/internal/search"
)

// ReembedWorkflowID is the ID of the re-embedding of the search index with the named model,
// one at a time per model: "reembed-" and the model's name up to its first space, with
// characters other than letters, digits, '.', '_' and '-' as '-'.
func ReembedWorkflowID(model string) string {
	name, _, _ := strings.Cut(strings.TrimSpace(model), " ")
	return "reembed-" + strings.Map(func(r rune) rune {
		if r == '.' || r == '_' || r == '-' || (r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))) {
			return r
		}
		return '-'
	}, name)
}

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

// RecommendationsWorkflowID is the ID of the reranking of one customer's recommendations: one
// runs at a time per customer, however many requests ask for it.
func RecommendationsWorkflowID(user uuid.UUID) string { return "recommendations-" + user.String() }

// RecommendationsInput names the customer.
type RecommendationsInput struct {
	UserID uuid.UUID
	// Attempts is how many times the model is asked before the local result stands (default 4).
	Attempts int32
}

// RecommendationsResult says what the run stored.
type RecommendationsResult struct {
	Source   string // "llm": the model's order was stored; "local": the local result stands
	Provider string
	Model    string
	Items    int
	Fallback string // why the local result stands
}

// Recommendations reranks one customer's recommendations with the configured language model:
// it gathers the local recommender's candidates and the customer's recent purchases, asks the
// model to order them with a one-line reason each (the reply is validated: only candidate IDs),
// and stores the result, which the API serves with "source": "llm" until the customer's
// purchases change. Provider failures are retried by Temporal with backoff; when the retries
// are spent, it stores that the model could not answer, and the local result stands.
func Recommendations(ctx workflow.Context, in RecommendationsInput) (RecommendationsResult, error) {
	if in.Attempts <= 0 {
		in.Attempts = 4
	}
	short := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute, MaximumAttempts: 10},
	})
	var a *activities.AI
	var req activities.RerankRequest
	if err := workflow.ExecuteActivity(short, a.GatherRecommendationInput, in.UserID).Get(ctx, &req); err != nil {
		return RecommendationsResult{}, err
	}
	if len(req.Input.Candidates) == 0 {
		return RecommendationsResult{Source: "local", Fallback: "no candidates"}, nil
	}
	model := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 2 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: 5 * time.Second, BackoffCoefficient: 2, MaximumInterval: 2 * time.Minute,
			MaximumAttempts: in.Attempts, NonRetryableErrorTypes: []string{activities.ErrTypeNoModel}},
	})
	var r recommend.Reranked
	if err := workflow.ExecuteActivity(model, a.RerankRecommendations, req).Get(ctx, &r); err != nil {
		r = recommend.Reranked{UserID: in.UserID, Basis: req.Basis, Provider: ai.Local, Fallback: failure(err)}
	}
	r.GeneratedAt = workflow.Now(ctx)
	if err := workflow.ExecuteActivity(short, a.SaveRecommendations, r).Get(ctx, nil); err != nil {
		return RecommendationsResult{}, err
	}
	if r.Provider == ai.Local {
		return RecommendationsResult{Source: "local", Provider: ai.Local, Fallback: r.Fallback}, nil
	}
	return RecommendationsResult{Source: "llm", Provider: r.Provider, Model: r.Model, Items: len(r.Items)}, nil
}

// failure is an activity error's own message, without Temporal's wrapping.
func failure(err error) string {
	var app *temporal.ApplicationError
	if errors.As(err, &app) {
		return app.Error()
	}
	return err.Error()
}
