// Command api serves the REST API: it reads the configuration from the environment, connects
// to PostgreSQL, Redis and Temporal, and serves until SIGINT or SIGTERM, then drains in-flight
// requests.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/acme/orders/internal/ai"
	"github.com/acme/orders/internal/assistant"
	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/catalog"
	"github.com/acme/orders/internal/httpapi"
	"github.com/acme/orders/internal/orders"
	"github.com/acme/orders/internal/platform/cache"
	"github.com/acme/orders/internal/platform/config"
	"github.com/acme/orders/internal/platform/postgres"
	"github.com/acme/orders/internal/platform/process"
	"github.com/acme/orders/internal/platform/telemetry"
	"github.com/acme/orders/internal/platform/temporal"
	"github.com/acme/orders/internal/projection"
	"github.com/acme/orders/internal/prompt"
	"github.com/acme/orders/internal/ratelimit"
	"github.com/acme/orders/internal/readmodel"
	"github.com/acme/orders/internal/recommend"
	"github.com/acme/orders/internal/search"
	"github.com/acme/orders/internal/webui"
)

func main() {
	process.Main("api", func(ctx context.Context) error {
		cfg, err := config.Load()
		if err != nil {
			return err
		}
		return run(ctx, cfg)
	})
}

func run(ctx context.Context, cfg config.Config) error {
	slog.SetDefault(slog.New(telemetry.LogHandler(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: cfg.LogLevel}))))
	// Before the pool and the Temporal client are made: they trace only if tracing is on then.
	stopTracing, err := telemetry.Setup(ctx, telemetry.ServiceAPI)
	if err != nil {
		return err
	}
	defer stopTracing.Flush(5 * time.Second)
	for _, w := range cfg.Warnings {
		slog.Warn(w)
	}

	pool, err := postgres.Open(ctx, cfg.DatabaseURL, postgres.Options{
		MaxConns: cfg.DBMaxConns, WriteConns: cfg.DBWriteConns,
		LockTimeout: cfg.DBLockTimeout, StatementTimeout: cfg.DBStatementTimeout,
	})
	if err != nil {
		return err
	}
	defer pool.Close()
	checks := []httpapi.Check{{Name: "postgres", Critical: true, Probe: func(ctx context.Context) error { return postgres.Probe(ctx, pool) }}}

	// The read models (order history, the search index, co-purchases) are derived state that
	// is already behind the writes by the pipeline's lag, so they can be read from a replica;
	// everything else, the catalogue and orders included, reads the primary.
	readModels := pool
	if cfg.DatabaseReplicaURL != "" {
		replica, err := postgres.Open(ctx, cfg.DatabaseReplicaURL, postgres.Options{
			MaxConns: cfg.DBMaxConns, StatementTimeout: cfg.DBStatementTimeout, ReadOnly: true,
		})
		if err != nil {
			return err
		}
		defer replica.Close()
		readModels = replica
		checks = append(checks, httpapi.Check{Name: "postgres_replica", Probe: func(ctx context.Context) error { return postgres.Probe(ctx, replica) }})
	}

	var rdb *redis.Client
	if cfg.RedisURL != "" {
		if rdb, err = cache.Open(cfg.RedisURL); err != nil {
			return err
		}
		defer rdb.Close()
		checks = append(checks, httpapi.Check{Name: "redis", Probe: func(ctx context.Context) error { return rdb.Ping(ctx).Err() }})
	}
	tc, err := temporal.NewLazy(temporal.Options{Address: cfg.TemporalAddress, Namespace: cfg.TemporalNamespace, Logger: slog.Default(),
		TLS: temporal.TLS(cfg.TemporalTLS), APIKey: cfg.TemporalAPIKey})
	if err != nil {
		return err
	}
	defer tc.Close()
	checks = append(checks, httpapi.Check{Name: "temporal", Probe: func(ctx context.Context) error { return temporal.Ping(ctx, tc) }})

	keys, err := auth.NewKeys(auth.KeysConfig{
		Secret: cfg.JWTSecret, OldSecrets: cfg.JWTOldSecrets, Issuer: cfg.JWTIssuer, Audience: cfg.JWTAudience, TTL: cfg.AccessTokenTTL,
	})
	if err != nil {
		return err
	}
	aiClient, err := newAI(cfg.AI)
	if err != nil {
		return err
	}
	searchIndex := search.Index{Embedder: search.WordVectors{M: aiClient.Local().Model()}}
	pipeline := &httpapi.Pipeline{
		History: readmodel.NewHistoryService(readmodel.NewHistoryReader(readModels), cache.NewResponses(rdb, cfg.CacheTTL)),
		Admin: projection.NewAdmin(projection.NewPublisher(pool),
			projection.NewRunner(pool, readmodel.OrderHistory{}, readmodel.ProductSales{}, searchIndex, recommend.CoPurchase{}),
			temporal.Rebuilds{Client: tc}),
	}
	var web http.Handler
	if cfg.WebDir != "" {
		if web, err = webui.New(os.DirFS(cfg.WebDir)); err != nil {
			return err
		}
	}
	catalogService := catalog.NewService(catalog.NewPostgresStore(pool))
	searchService := search.NewService(search.NewPostgresStore(readModels), searchIndex.Embedder)
	if cfg.AI.EmbedModel != "" {
		// Queries are embedded by the remote model once the re-embedding workflow has stored
		// its vectors of the catalogue; until then, and whenever it fails, by the offline one.
		searchService.WithRemoteEmbeddings(search.RemoteEmbeddings{
			Texts: search.RemoteTexts{Client: aiClient, Name: cfg.AI.EmbedModel}, Provider: aiClient.Provider()})
	}
	recsStore := recommend.NewPostgresStore(readModels)
	recs := recommend.NewService(recsStore, searchService)
	if aiClient.Capabilities().Generate {
		// With a language model, a workflow on the ai task queue reranks each customer's
		// candidates; the local ones answer until its result is stored.
		recs.WithReranking(recommend.Reranking{Store: recsStore, Requester: &temporal.Reranks{Client: tc}})
	}
	// Catalogue answers are kept rendered, in this process and in Redis; the worker bumps the
	// catalogue's version as it publishes the events that change it, and every API process
	// hears so (Listen).
	viewMetrics := cache.NewViewMetrics()
	var views httpapi.Views
	if cfg.ViewCacheMB > 0 {
		views.Catalog = cache.NewViews(rdb, cache.ViewsConfig{Namespace: "catalog", LocalBytes: uint64(cfg.ViewCacheMB) << 20,
			LocalTTL: cfg.ViewCacheTTL, RemoteTTL: cfg.CacheTTL}, viewMetrics)
		go views.Catalog.Listen(ctx)
	}
	api := httpapi.New(httpapi.Config{
		CORSOrigins: cfg.CORSOrigins, RequestTimeout: cfg.RequestTimeout,
		RateLimitAuth: cfg.RateLimitAuth, RateLimitAPI: cfg.RateLimitAPI, TrustProxyHeaders: cfg.TrustProxyHeaders,
		RefreshTokenTTL: cfg.RefreshTokenTTL,
	}, httpapi.Deps{
		Auth:       auth.NewService(auth.NewPostgresStore(pool), keys, cfg.RefreshTokenTTL).WithAuthzCache(cache.NewAuthzVersions(rdb)),
		Catalog:    catalogService,
		Orders:     orders.NewService(orders.NewPostgresStore(pool)),
		Pipeline:   pipeline,
		Limiter:    ratelimit.New(rdb),
		Throttle:   ratelimit.NewBackoff(rdb, ratelimit.DefaultBackoff),
		Pool:       pool,
		Checks:     checks,
		Search:     searchService,
		Assistant:  assistant.NewService(aiClient, searchService, catalogService),
		Recommend:  recs,
		Views:      views,
		Collectors: []prometheus.Collector{aiClient.Metrics(), prompt.Collector(), viewMetrics},
		Web:        web,
	})

	srv := &http.Server{
		Addr:              cfg.HTTPAddr,
		Handler:           api,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      cfg.RequestTimeout + 5*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	errc := make(chan error, 2)
	go func() {
		slog.Info("api listening", "addr", cfg.HTTPAddr, "env", cfg.Env)
		errc <- srv.ListenAndServe()
	}()
	if cfg.MetricsAddr != "" {
		msrv := &http.Server{Addr: cfg.MetricsAddr, Handler: metricsMux(api), ReadHeaderTimeout: 5 * time.Second}
		defer msrv.Close()
		go func() {
			slog.Info("metrics listening", "addr", cfg.MetricsAddr)
			errc <- msrv.ListenAndServe()
		}()
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Stopping: /readyz says so at once, requests are still served for SHUTDOWN_DELAY (while load
	// balancers notice), then no new connection is accepted, idle ones are closed, and the
	// requests in flight get SHUTDOWN_TIMEOUT to finish.
	api.Drain()
	slog.Info("stopping: /readyz answers 503; still serving", "for", cfg.ShutdownDelay)
	time.Sleep(cfg.ShutdownDelay)
	slog.Info("stopping: no new connections; draining in-flight requests", "within", cfg.ShutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("requests still running after %s: %w", cfg.ShutdownTimeout, err)
	}
	slog.Info("stopped")
	return nil
}

// metricsMux serves the API's metrics at /metrics, on a listener apart from the API's that only
// operators reach, and Go's profiles at /debug/pprof/ (e.g. go tool pprof
// http://127.0.0.1:9090/debug/pprof/profile?seconds=10).
func metricsMux(api *httpapi.API) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", api.MetricsHandler())
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	return mux
}

// newAI builds the AI client from the AI_* settings and says which provider is in use (never
// the key).
func newAI(c config.AI) (*ai.Client, error) {
	client, err := ai.New(c.Client(), ai.NewMetrics(nil))
	if err != nil {
		return nil, err
	}
	slog.Info("ai provider", "provider", client.Provider(), "chat_model", c.ChatModel, "embed_model", c.EmbedModel, "capabilities", client.Capabilities())
	return client, nil
}
