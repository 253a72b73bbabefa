// Command eval measures the quality of search and recommendations on the seeded demo
// catalogue and prints the tables in docs/ai-evaluation.md.
//
// It reads the database named by DATABASE_URL, which must hold the demo data (`ctl seed`),
// first brings every read model up to date in process (publisher and projections, as the
// worker does), then runs each suite and prints its table in Markdown. It exits non-zero
// when a suite's claim does not hold (for search: hybrid beats every single signal; for
// recommendations: ours beat popularity), so `make eval` fails loudly.
//
//	eval [-suite search,recs]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/acme/orders/internal/platform/config"
	"github.com/acme/orders/internal/platform/postgres"
)

// env is what every suite gets: the seeded database, caught up.
type env struct {
	Pool *pgxpool.Pool
}

// suite is one evaluation. run returns the Markdown it prints and whether its claim holds.
type suite struct {
	name string
	run  func(ctx context.Context, e *env) (report string, ok bool, err error)
}

// suites are registered by the files that define them, in init, and run in name order.
var suites []suite

func register(s suite) { suites = append(suites, s) }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})))
	cfg, err := config.Load()
	if err == nil {
		err = run(ctx, cfg, os.Args[1:])
	}
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "eval:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	only := fs.String("suite", "", "comma-separated suites to run (default: all)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	pool, err := postgres.Open(ctx, cfg.DatabaseURL, postgres.Options{MaxConns: 8})
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := catchUp(ctx, pool); err != nil {
		return fmt.Errorf("bring the read models up to date: %w", err)
	}
	e := &env{Pool: pool}
	slices.SortFunc(suites, func(a, b suite) int { return strings.Compare(a.name, b.name) })
	var failed []string
	for _, s := range suites {
		if *only != "" && !slices.Contains(strings.Split(*only, ","), s.name) {
			continue
		}
		report, ok, err := s.run(ctx, e)
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		fmt.Println(report)
		if !ok {
			failed = append(failed, s.name)
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("the claim of %s does not hold (see the table)", strings.Join(failed, ", "))
	}
	return nil
}
