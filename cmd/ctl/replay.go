package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/acme/orders/internal/platform/config"
	"github.com/acme/orders/internal/platform/temporal"
	"github.com/acme/orders/workflows"
)

// replay fetches the histories of this namespace's workflows and replays them against the
// code of this binary, reporting any non-determinism: run it before deploying a change to a
// workflow. --out saves the histories as JSON (e.g. into workflows/testdata).
func replay(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	query := fs.String("query", "", `visibility query selecting executions, e.g. 'WorkflowType="Projection"' (default: all)`)
	out := fs.String("out", "", "also save each history as JSON into this folder")
	if err := fs.Parse(args); err != nil {
		return err
	}
	// The client's own log lines are dropped: errors are reported by the command.
	c, err := temporal.Dial(ctx, temporal.Options{Address: cfg.TemporalAddress, Namespace: cfg.TemporalNamespace,
		TLS: temporal.TLS(cfg.TemporalTLS), APIKey: cfg.TemporalAPIKey})
	if err != nil {
		return err
	}
	defer c.Close()
	if *out != "" {
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return err
		}
	}
	results, err := workflows.ReplayNamespace(ctx, c, cfg.TemporalNamespace, *query, *out)
	if err != nil {
		return err
	}
	failed := 0
	for _, r := range results {
		status := "ok"
		if r.Err != nil {
			status, failed = "NON-DETERMINISTIC: "+r.Err.Error(), failed+1
		}
		fmt.Printf("%-18s %-28s %s  %4d events  %s\n", r.Type, r.WorkflowID, r.RunID, r.Events, status)
	}
	fmt.Printf("replayed %d histories: %d ok, %d failed\n", len(results), len(results)-failed, failed)
	if failed > 0 {
		return fmt.Errorf("%d histories do not replay against this code", failed)
	}
	return nil
}
