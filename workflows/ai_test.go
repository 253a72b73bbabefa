package workflows

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/acme/orders/activities"
	"github.com/acme/orders/internal/prompt"
	"github.com/acme/orders/internal/recommend"
	"github.com/acme/orders/internal/search"
)

var aiActs *activities.AI

// fakeCatalog is a catalogue of n stale documents with IDs 1..n, embedded batch by batch; a
// batch fails once when failAt matches its first ID.
type fakeCatalog struct {
	n, failAt int
	failed    bool
	calls     int
}

func id(i int) uuid.UUID { var u uuid.UUID; u[15] = byte(i); return u }

func (f *fakeCatalog) batch(_ context.Context, in activities.ReembedInput) (search.Batch, error) {
	f.calls++
	start := int(in.After[15]) + 1
	if start == f.failAt && !f.failed {
		f.failed = true
		return search.Batch{}, errors.New("ai: openai answered HTTP 503")
	}
	if start > f.n {
		return search.Batch{Last: in.After}, nil
	}
	end := min(f.n, start+in.Size-1)
	return search.Batch{Embedded: int64(end - start + 1), Read: end - start + 1, Last: id(end)}, nil
}

func TestReembedCatalogEmbedsInBatchesRetriesAndReportsProgress(t *testing.T) {
	t.Parallel()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterActivity(aiActs)
	f := &fakeCatalog{n: 10, failAt: 5}
	env.OnActivity(aiActs.CountStaleEmbeddings, mock.Anything, "m").Return(int64(10), nil).Once()
	env.OnActivity(aiActs.ReembedBatch, mock.Anything, mock.Anything).Return(f.batch)
	env.OnActivity(aiActs.PruneEmbeddings, mock.Anything, "m").Return(int64(2), nil).Once()
	env.ExecuteWorkflow(ReembedCatalog, ReembedInput{Model: "m", BatchSize: 4})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var p ReembedProgress
	if err := env.GetWorkflowResult(&p); err != nil {
		t.Fatal(err)
	}
	// Batches 1-4, 5-8 (failed once, retried), 9-10, then an empty read ends the loop.
	if p.State != "done" || p.Total != 10 || p.Embedded != 10 || p.Batches != 3 || p.Pruned != 2 {
		t.Fatalf("progress = %+v", p)
	}
	if f.calls != 5 {
		t.Fatalf("batch activity ran %d times, want 5 (one retry)", f.calls)
	}
	v, err := env.QueryWorkflow(ProgressQuery)
	if err != nil {
		t.Fatal(err)
	}
	var q ReembedProgress
	if err := v.Get(&q); err != nil || q.Embedded != 10 {
		t.Fatalf("query = %+v, %v", q, err)
	}
	env.AssertExpectations(t)
}

// A long re-embedding continues as new, carrying its progress; the next run resumes after the
// last product done without counting again.
func TestReembedCatalogContinuesAsNewWithItsProgress(t *testing.T) {
	t.Parallel()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterActivity(aiActs)
	f := &fakeCatalog{n: 10}
	env.OnActivity(aiActs.CountStaleEmbeddings, mock.Anything, "m").Return(int64(10), nil).Once()
	env.OnActivity(aiActs.ReembedBatch, mock.Anything, mock.Anything).Return(f.batch)
	env.ExecuteWorkflow(ReembedCatalog, ReembedInput{Model: "m", BatchSize: 3, BatchesPerRun: 2})
	var can *workflow.ContinueAsNewError
	if err := env.GetWorkflowError(); !errors.As(err, &can) {
		t.Fatalf("want continue-as-new, got %v", err)
	}
	var next ReembedInput
	if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &next); err != nil {
		t.Fatal(err)
	}
	if next.Progress == nil || next.Progress.Embedded != 6 || next.Progress.After != id(6).String() || next.Progress.State != "embedding" {
		t.Fatalf("carried progress = %+v", next.Progress)
	}

	env2 := s.NewTestWorkflowEnvironment()
	env2.RegisterActivity(aiActs)
	env2.OnActivity(aiActs.ReembedBatch, mock.Anything, mock.Anything).Return(f.batch)
	env2.OnActivity(aiActs.PruneEmbeddings, mock.Anything, "m").Return(int64(0), nil).Once()
	next.BatchesPerRun = 10
	env2.ExecuteWorkflow(ReembedCatalog, next)
	var p ReembedProgress
	if err := env2.GetWorkflowResult(&p); err != nil {
		t.Fatal(err)
	}
	if p.State != "done" || p.Embedded != 10 || p.Total != 10 {
		t.Fatalf("progress = %+v", p)
	}
}

func rerankRequest(user uuid.UUID, n int) activities.RerankRequest {
	req := activities.RerankRequest{UserID: user, Basis: "2/2/1"}
	for i := range n {
		req.Input.Candidates = append(req.Input.Candidates, prompt.Candidate{ID: id(i + 1), Name: fmt.Sprint("p", i)})
	}
	return req
}

func TestRecommendationsStoresTheModelsOrder(t *testing.T) {
	t.Parallel()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterActivity(aiActs)
	user := uuid.New()
	env.OnActivity(aiActs.GatherRecommendationInput, mock.Anything, user).Return(rerankRequest(user, 3), nil).Once()
	env.OnActivity(aiActs.RerankRecommendations, mock.Anything, mock.Anything).Return(recommend.Reranked{UserID: user, Basis: "2/2/1",
		Provider: "openai", Model: "m", Items: []recommend.RerankedItem{{ProductID: id(3), Reason: "r"}}}, nil).Once()
	var saved recommend.Reranked
	env.OnActivity(aiActs.SaveRecommendations, mock.Anything, mock.Anything).Return(func(_ context.Context, r recommend.Reranked) error {
		saved = r
		return nil
	}).Once()
	env.ExecuteWorkflow(Recommendations, RecommendationsInput{UserID: user})
	var res RecommendationsResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if res.Source != "llm" || res.Items != 1 || saved.Provider != "openai" || saved.GeneratedAt.IsZero() || saved.Basis != "2/2/1" {
		t.Fatalf("result = %+v, saved = %+v", res, saved)
	}
}

// The model failing on every attempt is retried by Temporal up to Attempts times; then the
// run stores that the local result stands, with the reason, and succeeds.
func TestRecommendationsFallsBackToLocalAfterTheRetries(t *testing.T) {
	t.Parallel()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterActivity(aiActs)
	user := uuid.New()
	env.OnActivity(aiActs.GatherRecommendationInput, mock.Anything, user).Return(rerankRequest(user, 3), nil).Once()
	calls := 0
	env.OnActivity(aiActs.RerankRecommendations, mock.Anything, mock.Anything).Return(func(context.Context, activities.RerankRequest) (recommend.Reranked, error) {
		calls++
		return recommend.Reranked{}, temporal.NewApplicationError("the model gave no valid answer: server_error", activities.ErrTypeModelFailed)
	})
	var saved recommend.Reranked
	env.OnActivity(aiActs.SaveRecommendations, mock.Anything, mock.Anything).Return(func(_ context.Context, r recommend.Reranked) error {
		saved = r
		return nil
	}).Once()
	env.ExecuteWorkflow(Recommendations, RecommendationsInput{UserID: user, Attempts: 3})
	var res RecommendationsResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if calls != 3 {
		t.Fatalf("rerank ran %d times, want 3", calls)
	}
	if res.Source != "local" || saved.Provider != "local" || !strings.Contains(saved.Fallback, "server_error") || len(saved.Items) != 0 {
		t.Fatalf("result = %+v, saved = %+v", res, saved)
	}
}

// Without a language model the rerank fails at once (not retryable); a customer without
// candidates needs no model at all.
func TestRecommendationsWithoutAModelOrCandidates(t *testing.T) {
	t.Parallel()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterActivity(aiActs)
	user := uuid.New()
	env.OnActivity(aiActs.GatherRecommendationInput, mock.Anything, user).Return(rerankRequest(user, 2), nil).Once()
	env.OnActivity(aiActs.RerankRecommendations, mock.Anything, mock.Anything).
		Return(recommend.Reranked{}, temporal.NewNonRetryableApplicationError("no language model", activities.ErrTypeNoModel, nil)).Once()
	env.OnActivity(aiActs.SaveRecommendations, mock.Anything, mock.Anything).Return(nil).Once()
	env.ExecuteWorkflow(Recommendations, RecommendationsInput{UserID: user})
	var res RecommendationsResult
	if err := env.GetWorkflowResult(&res); err != nil || res.Source != "local" {
		t.Fatalf("result = %+v, %v", res, err)
	}
	env.AssertExpectations(t)

	env2 := s.NewTestWorkflowEnvironment()
	env2.RegisterActivity(aiActs)
	env2.OnActivity(aiActs.GatherRecommendationInput, mock.Anything, user).Return(rerankRequest(user, 0), nil).Once()
	env2.ExecuteWorkflow(Recommendations, RecommendationsInput{UserID: user})
	if err := env2.GetWorkflowResult(&res); err != nil || res.Source != "local" || res.Fallback != "no candidates" {
		t.Fatalf("result = %+v, %v", res, err)
	}
	env2.AssertExpectations(t)
}

func TestReembedWorkflowID(t *testing.T) {
	t.Parallel()
	for model, want := range map[string]string{
		"glove-100d-idf-d0e288ed8da0 (int8)": "reembed-glove-100d-idf-d0e288ed8da0",
		"text-embedding-3-small":             "reembed-text-embedding-3-small",
		"nomic-embed-text:latest":            "reembed-nomic-embed-text-latest",
		"org/model é":                        "reembed-org-model",
	} {
		if got := ReembedWorkflowID(model); got != want {
			t.Errorf("ReembedWorkflowID(%q) = %q, want %q", model, got, want)
		}
	}
}
