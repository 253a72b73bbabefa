// Command worker runs the Temporal worker: the event pipeline's workflows and activities on
// the "events" task queue. Run any number of replicas, apart from the API; at start each makes
// sure the publisher and projection workflows are running, and serves Prometheus metrics.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"

	"github.com/acme/orders/activities"
	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/orders"
	"github.com/acme/orders/internal/platform/cache"
	"github.com/acme/orders/internal/platform/config"
	"github.com/acme/orders/internal/platform/postgres"
	"github.com/acme/orders/internal/projection"
	"github.com/acme/orders/internal/readmodel"
	"github.com/acme/orders/workflows"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	slog.SetDefault(slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: cfg.LogLevel})))

	pool, err := postgres.Open(ctx, cfg.DatabaseURL, postgres.Options{MaxConns: cfg.DBMaxConns, AsyncCommit: true})
	if err != nil {
		return err
	}
	defer pool.Close()

	c, err := client.DialContext(ctx, client.Options{
		HostPort: cfg.TemporalAddress, Namespace: cfg.TemporalNamespace,
		Logger: tlog.NewStructuredLogger(slog.Default().With("component", "temporal")),
	})
	if err != nil {
		return fmt.Errorf("connect to Temporal at %s: %w", cfg.TemporalAddress, err)
	}
	defer c.Close()

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	runner := projection.NewRunner(pool, readmodel.OrderHistory{}, readmodel.ProductSales{})
	runner.MaxAttempts = cfg.Pipeline.MaxAttempts
	var rdb *redis.Client
	if cfg.RedisURL != "" {
		if rdb, err = cache.Open(cfg.RedisURL); err != nil {
			return err
		}
		defer rdb.Close()
	}
	pipeline := &activities.Pipeline{Pool: pool, Publisher: projection.NewPublisher(pool), Runner: runner, Metrics: activities.NewMetrics(reg),
		Changed: readmodel.DropChangedHistory(pool, cache.NewResponses(rdb, cfg.CacheTTL))}

	w := worker.New(c, workflows.EventsTaskQueue, worker.Options{})
	for _, wf := range workflows.All() {
		w.RegisterWorkflow(wf)
	}
	w.RegisterActivity(pipeline)
	if err := w.Start(); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	defer w.Stop()

	supervisor := workflows.SupervisorInput{
		HeartbeatTimeout: cfg.Pipeline.HeartbeatTimeout,
		RunsPerExecution: cfg.Pipeline.RunsPerExecution,
		Loop:             activities.LoopInput{RunFor: cfg.Pipeline.RunFor, BatchSize: cfg.Pipeline.BatchSize, PollInterval: cfg.Pipeline.PollInterval, BackoffBase: cfg.Pipeline.BackoffBase, Linger: cfg.Pipeline.Linger},
	}
	projections := map[string]workflows.SupervisorInput{}
	for _, name := range runner.Names() {
		in := supervisor
		if runner.IsBackground(name) {
			in.Loop.Linger = cfg.Pipeline.BackgroundLinger
		}
		projections[name] = in
	}
	if err := workflows.EnsurePipeline(ctx, c, supervisor, projections); err != nil {
		return err
	}
	slog.Info("worker running", "task_queue", workflows.EventsTaskQueue, "projections", runner.Names(), "metrics", cfg.WorkerMetricsAddr)

	srv := &http.Server{Addr: cfg.WorkerMetricsAddr, Handler: promhttp.HandlerFor(reg, promhttp.HandlerOpts{}), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	// Keep the pipeline's workflows running: one that was terminated (by an operator, to change
	// its settings, or by mistake) is started again within a tick.
	tick := time.NewTicker(30 * time.Second)
	defer tick.Stop()
	// Forget what is past its use: expired refresh tokens and old Idempotency-Keys.
	housekeeping := time.NewTicker(10 * time.Minute)
	defer housekeeping.Stop()
	authSvc := auth.NewService(auth.NewPostgresStore(pool), nil, 0)
	orderSvc := orders.NewService(orders.NewPostgresStore(pool))
	purge := func() {
		tokens, err1 := authSvc.PurgeExpiredRefreshTokens(ctx)
		keys, err2 := orderSvc.PurgeIdempotencyKeys(ctx, cfg.IdempotencyKeyTTL)
		if err := errors.Join(err1, err2); err != nil && ctx.Err() == nil {
			slog.Warn("housekeeping failed", "error", err)
			return
		}
		slog.Info("housekeeping", "refresh_tokens_deleted", tokens, "idempotency_keys_deleted", keys)
	}
	purge()
	for running := true; running; {
		select {
		case <-housekeeping.C:
			purge()
		case <-ctx.Done():
			running = false
		case err := <-errc:
			if !errors.Is(err, http.ErrServerClosed) {
				return fmt.Errorf("metrics server: %w", err)
			}
			running = false
		case <-tick.C:
			if err := workflows.EnsurePipeline(ctx, c, supervisor, projections); err != nil && ctx.Err() == nil {
				slog.Warn("could not make sure the pipeline workflows run", "error", err)
			}
		}
	}
	slog.Info("worker stopping")
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}
