package temporal

import (
	"context"

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
