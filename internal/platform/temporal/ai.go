package temporal

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/acme/orders/workflows"
)

// StaleEmbeddings is one embedding model's view of the search index: how many documents lack
// a current embedding of it (search.Reembedder implements it).
type StaleEmbeddings interface {
	Model() string
	Stale(ctx context.Context) (int64, error)
}

// Reembeds starts the re-embedding workflow of each model that has stale documents: after
// AI_EMBED_MODEL changes, after the offline model's file changes, and for products created or
// edited since the last run of a remote model. The pipeline check runs it on its schedule.
type Reembeds struct {
	Client client.Client
	Models []StaleEmbeddings
}

// StartStale starts ReembedCatalog on the ai task queue for every model with stale documents
// whose re-embedding is not running, and returns the IDs of the workflows it started.
func (r Reembeds) StartStale(ctx context.Context) ([]string, error) {
	var started []string
	for _, m := range r.Models {
		n, err := m.Stale(ctx)
		if err != nil {
			return started, err
		}
		if n == 0 {
			continue
		}
		id := workflows.ReembedWorkflowID(m.Model())
		ok, err := startOnce(ctx, r.Client, id, workflows.AITaskQueue, workflows.ReembedCatalog, workflows.ReembedInput{Model: m.Model()})
		if err != nil {
			return started, err
		}
		if ok {
			started = append(started, id)
		}
	}
	return started, nil
}

// Reranks starts the reranking workflow of customers' recommendations, in the background: the
// API answers with the local recommendations at once, and serves the model's ordering on a
// later call. Requests for a customer whose workflow is running join it (one at a time per
// customer, through its ID).
type Reranks struct {
	Client  client.Client
	Timeout time.Duration // for the start call (default 5s)
	Logger  *slog.Logger  // where failed starts are reported (default slog.Default())

	inflight sync.Map // user ID → struct{}: a start call under way from this process
}

// RequestRerank implements recommend.Requester.
func (r *Reranks) RequestRerank(ctx context.Context, user uuid.UUID) {
	if _, busy := r.inflight.LoadOrStore(user, struct{}{}); busy {
		return
	}
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	go func() {
		defer r.inflight.Delete(user)
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
		defer cancel()
		_, err := r.Client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
			ID:                       workflows.RecommendationsWorkflowID(user),
			TaskQueue:                workflows.AITaskQueue,
			WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
			WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		}, workflows.Recommendations, workflows.RecommendationsInput{UserID: user})
		if err != nil {
			logger := r.Logger
			if logger == nil {
				logger = slog.Default()
			}
			logger.Warn("could not start the reranking of recommendations; the local ones are served", "user_id", user, "error", err)
		}
	}()
}
