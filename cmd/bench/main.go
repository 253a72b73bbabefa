// Command bench measures the platform under load on this machine: a Go load generator
// drives POST /api/v1/orders and GET /api/v1/products against the real API binary at a fixed
// concurrency, then pgbench runs the identical order transaction straight against PostgreSQL
// for the physical limit (and the transaction the API ran before, for comparison), and the
// report prints the ratio of the API's rate to the identical transaction's; then the event
// pipeline (lag, drain, rebuild), GET /api/v1/search on the demo catalogue, and the search's
// in-process vector scan at 100,000 and 1,000,000 vectors. When named, it also measures what
// docs/scaling.md rests on: how many activities and workflows a Temporal dev server starts a
// second, and the outbox publisher and a projection partitioned by aggregate, N partitions
// against one PostgreSQL, checked for exactly-once, gap-free, per-aggregate ordered delivery.
// With -api-procs the API's loads also run with GOMAXPROCS limited, for requests per core.
//
// It creates its own databases (dropped at the end) and starts bin/api on a free port.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

type options struct {
	serverURL   string
	apiBin      string
	products    int
	users       int
	concurrency int
	duration    time.Duration
	warmup      time.Duration
	keep        bool
	backlog     int
	batch       int
	phases      string

	searchConcurrency int
	searchQueries     string

	serveBare, serveAddr string // run as the catalogue phase's bare handler instead

	apiProcs string // GOMAXPROCS values of the API in the api phase's per-core runs

	partCounts     string // partition counts of the partitions phase
	partWriters    int
	partPerTx      int
	partAggregates int
	partBacklog    int
	partLayouts    string

	temporalFanOut int // activities per fan-out workflow of the temporal phase
	temporalC      int // workflows in flight in the temporal phase
}

func main() {
	var o options
	flag.StringVar(&o.serverURL, "server", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "maintenance URL of the PostgreSQL server")
	flag.StringVar(&o.apiBin, "api", "bin/api", "API binary to start")
	flag.IntVar(&o.products, "products", 10000, "products in the catalogue")
	flag.IntVar(&o.users, "users", 200, "customers placing orders")
	flag.IntVar(&o.concurrency, "c", 16, "concurrent clients (HTTP requests in flight; pgbench clients)")
	flag.DurationVar(&o.duration, "d", 15*time.Second, "measured time of each phase")
	flag.DurationVar(&o.warmup, "warmup", 3*time.Second, "unmeasured warm-up before each phase")
	flag.BoolVar(&o.keep, "keep", false, "keep the benchmark database")
	flag.IntVar(&o.backlog, "backlog", 100000, "events in the drain and rebuild phases")
	flag.IntVar(&o.batch, "batch", 20000, "events per transaction while draining (the worker's PIPELINE_BATCH_SIZE default)")
	flag.StringVar(&o.phases, "phases", "api,lag,pipeline,catalogue,search,vectors", "comma-separated phases to run: api (orders, products, pgbench; per core with -api-procs), lag (and catalogue freshness), pipeline (drain, rebuild), catalogue (cached reads beside a bare handler, with wrk), search (GET /search on the demo catalogue), vectors (the in-process scan at 100k and 1M); run only when named (about 10 minutes together): temporal (activity and workflow starts on a dev server), partitions (the outbox publisher and a projection partitioned by aggregate, N partitions, checked)")
	flag.StringVar(&o.apiProcs, "api-procs", "", "comma-separated GOMAXPROCS values (e.g. 1,2): the api phase also runs its order and product loads against an API limited to each, and prints req/s per core")
	flag.StringVar(&o.partCounts, "part-n", "1,2,4,8", "partition counts of the partitions phase")
	flag.IntVar(&o.partWriters, "part-writers", 16, "concurrent writers of the partitions phase (one transaction in flight each)")
	flag.IntVar(&o.partPerTx, "part-per-tx", 4, "events per writer transaction in the partitions phase (one per aggregate, distinct aggregates)")
	flag.IntVar(&o.partAggregates, "part-aggregates", 100000, "aggregates the partitions phase writes events for")
	flag.IntVar(&o.partBacklog, "part-backlog", 200000, "events of the backlog each partition count drains in the partitions phase")
	flag.StringVar(&o.partLayouts, "part-layouts", "one,split", "outbox layouts of the partitions phase: one (one table, rows of all partitions side by side) and split (a table per partition)")
	flag.IntVar(&o.temporalFanOut, "temporal-fanout", 200, "activities per fan-out workflow in the temporal phase")
	flag.IntVar(&o.temporalC, "temporal-c", 16, "workflows in flight at once in the temporal phase")
	flag.IntVar(&o.searchConcurrency, "search-c", 64, "concurrent clients of the search phase")
	flag.StringVar(&o.searchQueries, "search-queries", "cmd/eval/testdata/search-judgments.json", "judged queries the search phase draws from")
	flag.StringVar(&o.serveBare, "serve-bare", "", "internal: serve the recorded bodies in this file as the bare handler")
	flag.StringVar(&o.serveAddr, "serve-addr", "", "internal: the bare handler's address")
	flag.Parse()
	if o.serveBare != "" {
		if err := serveBare(o.serveBare, o.serveAddr); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	fmt.Printf("machine: %d CPUs; concurrency %d; %s per phase after %s warm-up\n", numCPU(), o.concurrency, o.duration, o.warmup)
	phases := map[string]bool{}
	for _, p := range strings.Split(o.phases, ",") {
		phases[strings.TrimSpace(p)] = true
	}
	if phases["api"] || phases["lag"] || phases["pipeline"] {
		if err := writePhases(ctx, o, phases); err != nil {
			return err
		}
	}
	if phases["catalogue"] {
		if err := cataloguePhase(ctx, o); err != nil {
			return err
		}
	}
	if phases["search"] {
		if err := searchPhase(ctx, o); err != nil {
			return err
		}
	}
	if phases["vectors"] {
		vectorsPhase()
	}
	if phases["temporal"] {
		if err := temporalPhase(ctx, o); err != nil {
			return err
		}
	}
	if phases["partitions"] {
		if err := partitionsPhase(ctx, o); err != nil {
			return err
		}
	}
	return nil
}

// writePhases run on the benchmark catalogue of o.products products and o.users customers.
func writePhases(ctx context.Context, o options, phases map[string]bool) error {
	db, err := prepareDatabase(ctx, o)
	if err != nil {
		return err
	}
	if !o.keep {
		defer db.drop()
	}
	tokens, err := issueTokens(o.users)
	if err != nil {
		return err
	}
	if phases["api"] {
		if err := apiPhases(ctx, o, db.url, tokens); err != nil {
			return err
		}
	}
	if phases["lag"] {
		if err := lagPhase(ctx, o, db.url, tokens); err != nil {
			return err
		}
	}
	if phases["pipeline"] {
		if err := pipelinePhases(ctx, o, db.url); err != nil {
			return err
		}
	}
	return nil
}
