// Package process runs a long-lived command (the API, the worker) with the exit status an
// orchestrator expects: 0 when SIGINT or SIGTERM stopped it, at whatever point of its start or
// its life the signal arrived, and 1 when it failed on its own.
package process

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// Main calls run with a context that ends on SIGINT or SIGTERM and exits the process when run
// returns. An error that follows a signal is the signal's doing (a start-up step cancelled
// half-way, say a schedule being created) and is logged, not reported as a failure: the
// process was asked to stop and it stopped.
func Main(name string, run func(context.Context) error) {
	os.Exit(main(name, run))
}

func main(name string, run func(context.Context) error) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx)
	switch {
	case err == nil:
		return 0
	case ctx.Err() != nil:
		slog.Info(name+" stopped by a signal before it was fully up", "interrupted", err.Error())
		return 0
	default:
		fmt.Fprintln(os.Stderr, name+":", err)
		return 1
	}
}
