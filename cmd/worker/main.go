// Command worker runs the Temporal worker: the event pipeline's workflows and activities, and
// the scheduled housekeeping and pipeline check, on the "events" task queue. Run any number
// of replicas, apart from the API. At start each makes sure the publisher and projection
// workflows run and that the cluster's schedules exist, then serves Prometheus metrics.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"
	"go.temporal.io/sdk/worker"

	"github.com/acme/orders/activities"
	"github.com/acme/orders/internal/ai"
	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/catalog"
	"github.com/acme/orders/internal/orders"
	"github.com/acme/orders/internal/platform/cache"
	"github.com/acme/orders/internal/platform/config"
	"github.com/acme/orders/internal/platform/postgres"
	"github.com/acme/orders/internal/platform/process"
	"github.com/acme/orders/internal/platform/telemetry"
	"github.com/acme/orders/internal/platform/temporal"
	"github.com/acme/orders/internal/projection"
	"github.com/acme/orders/internal/readmodel"
	"github.com/acme/orders/internal/recommend"
	"github.com/acme/orders/internal/search"
	"github.com/acme/orders/workflows"
)

func main() {
	process.Main("worker", func(ctx context.Context) error {
		cfg, err := config.Load()
		if err != nil {
			return err
		}
		return run(ctx, cfg)
	})
}

// catalogBumpEvery is the shortest time between two bumps of the catalogue's cache version:
// a product change waits at most this long behind the one before, well inside the README's
// one-second bound.
const catalogBumpEvery = 100 * time.Millisecond

func run(ctx context.Context, cfg config.Config) error {
	slog.SetDefault(slog.New(telemetry.LogHandler(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: cfg.LogLevel}))))
	// Before the pool and the Temporal client are made: they trace only if tracing is on then.
	stopTracing, err := telemetry.Setup(ctx, telemetry.ServiceWorker)
	if err != nil {
		return err
	}
	defer stopTracing.Flush(5 * time.Second)

	pool, err := postgres.Open(ctx, cfg.DatabaseURL, postgres.Options{MaxConns: cfg.DBMaxConns, AsyncCommit: true})
	if err != nil {
		return err
	}
	defer pool.Close()
	c, err := temporal.Dial(ctx, temporal.Options{Address: cfg.TemporalAddress, Namespace: cfg.TemporalNamespace, Logger: slog.Default(),
		TLS: temporal.TLS(cfg.TemporalTLS), APIKey: cfg.TemporalAPIKey})
	if err != nil {
		return err
	}
	defer c.Close()
	var rdb *redis.Client
	if cfg.RedisURL != "" {
		if rdb, err = cache.Open(cfg.RedisURL); err != nil {
			return err
		}
		defer rdb.Close()
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	aiClient, err := ai.New(cfg.AI.Client(), ai.NewMetrics(reg))
	if err != nil {
		return err
	}
	words := aiClient.Local().Model()
	runner := projection.NewRunner(pool, readmodel.OrderHistory{}, readmodel.ProductSales{}, search.Index{Embedder: search.WordVectors{M: words}},
		recommend.CoPurchase{})
	runner.MaxAttempts = cfg.Pipeline.MaxAttempts
	pipeline := temporal.NewPipeline(c, cfg.Pipeline, runner.Names(), runner.IsBackground)

	// On SIGTERM the workers stop polling, and running activities get SHUTDOWN_TIMEOUT to finish:
	// the pipeline's loops return after the batch in hand (see activities.Pipeline), so their
	// workflows go on at once on another worker, from a committed checkpoint.
	w := worker.New(c, workflows.EventsTaskQueue, worker.Options{WorkerStopTimeout: cfg.ShutdownTimeout})
	for _, wf := range workflows.EventsWorkflows() {
		w.RegisterWorkflow(wf)
	}
	// The API's catalogue answers (products, categories, search, similar products) are dropped
	// as the events that change them are published, and again once the search index or the
	// co-purchase read model has applied them (or a batch of embeddings is stored): a few times a
	// second at most under a stream of orders.
	catalogChanged := cache.NewBumper(rdb, "catalog", catalogBumpEvery)
	go catalogChanged.Run(ctx)
	dropHistory := readmodel.DropChangedHistory(pool, cache.NewResponses(rdb, cfg.CacheTTL))
	w.RegisterActivity(&activities.Pipeline{Pool: pool, Publisher: projection.NewPublisher(pool), Runner: runner,
		Metrics: activities.NewMetrics(reg),
		Published: func(types []string) {
			if catalog.ChangedBy(types) {
				catalogChanged.Touch()
			}
		},
		Changed: func(ctx context.Context, name string, after, upto int64) error {
			if name == search.ProjectionName || name == recommend.ProjectionName {
				catalogChanged.Touch()
			}
			return dropHistory(ctx, name, after, upto)
		}})
	w.RegisterActivity(&activities.Housekeeping{Auth: auth.NewService(auth.NewPostgresStore(pool), nil, 0),
		Orders: orders.NewService(orders.NewPostgresStore(pool)), IdempotencyKeyTTL: cfg.IdempotencyKeyTTL})
	reembedders := []*search.Reembedder{search.NewReembedder(pool, search.LocalTexts{M: words})}
	if cfg.AI.EmbedModel != "" {
		reembedders = append(reembedders, search.NewReembedder(pool, search.RemoteTexts{Client: aiClient, Name: cfg.AI.EmbedModel}))
	}
	reembeds := temporal.Reembeds{Client: c}
	for _, r := range reembedders {
		reembeds.Models = append(reembeds.Models, r)
	}
	w.RegisterActivity(&activities.Supervision{Pipeline: pipeline, Embeddings: reembeds})
	if err := w.Start(); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	defer w.Stop()

	// The AI pipelines have a task queue of their own, so they never delay the event pipeline,
	// with a rate limit across all workers that protects the provider's quota.
	aiw := worker.New(c, workflows.AITaskQueue, worker.Options{TaskQueueActivitiesPerSecond: float64(cfg.AI.CallsPerMinute) / 60,
		WorkerStopTimeout: cfg.ShutdownTimeout})
	for _, wf := range workflows.AIWorkflows() {
		aiw.RegisterWorkflow(wf)
	}
	recsStore := recommend.NewPostgresStore(pool)
	recs := recommend.NewService(recsStore, search.NewService(search.NewPostgresStore(pool), search.WordVectors{M: words})).
		WithReranking(recommend.Reranking{Store: recsStore})
	aiw.RegisterActivity(&activities.AI{Reembedders: reembedders, Client: aiClient, Recommender: recs, Embedded: catalogChanged.Touch})
	if err := aiw.Start(); err != nil {
		return fmt.Errorf("start ai worker: %w", err)
	}
	defer aiw.Stop()

	// The pipeline runs at once, and the re-embedding of any model with stale documents;
	// afterwards the pipeline-ensure schedule keeps both going.
	if _, err := pipeline.StartMissing(ctx); err != nil {
		return err
	}
	if _, err := reembeds.StartStale(ctx); err != nil {
		return err
	}
	schedules, err := temporal.EnsureSchedules(ctx, c)
	if err != nil {
		return err
	}
	slog.Info("worker running", "task_queues", []string{workflows.EventsTaskQueue, workflows.AITaskQueue}, "projections", runner.Names(),
		"ai_provider", aiClient.Provider(), "embedding_models", models(reembedders),
		"schedules", schedules, "metrics", cfg.WorkerMetricsAddr)
	return serve(ctx, &http.Server{Addr: cfg.WorkerMetricsAddr, Handler: promhttp.HandlerFor(reg, promhttp.HandlerOpts{}), ReadHeaderTimeout: 5 * time.Second})
}

// serve runs the metrics server until ctx ends, then shuts it down.
func serve(ctx context.Context, srv *http.Server) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("metrics server: %w", err)
	case <-ctx.Done():
	}
	slog.Info("worker stopping")
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// models names the embedding models the worker re-embeds with.
func models(rs []*search.Reembedder) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Model()
	}
	return out
}
