// Command ctl is the operator's tool: database migrations, user administration and demo data.
//
//	ctl migrate                                  apply pending migrations
//	ctl users create --email E --password P --role R [--name N]
//	ctl seed [--seed N] [--products N] [--customers N] [--orders N] [--if-empty]
//	ctl replay [--query Q] [--out DIR]           replay workflow histories against this code
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/acme/orders/internal/platform/config"
)

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
			fmt.Fprintln(os.Stderr, "ctl:", err)
		}
		os.Exit(1)
	}
}

const usage = `usage: ctl <command> [flags]

commands:
  migrate        apply pending database migrations (creates the database if missing)
  users create   create a user with a role: --email --password --role customer|staff|admin [--name]
  seed           load a deterministic demo catalogue, customers and orders
                 [--seed N] [--products N] [--customers N] [--orders N] [--if-empty]
  replay         replay this namespace's workflow histories against this code [--query Q] [--out DIR]

configuration comes from the environment (DATABASE_URL, ...); see .env.example`

func run(ctx context.Context, cfg config.Config, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(os.Stderr, usage)
		return nil
	}
	switch args[0] {
	case "migrate":
		return migrate(ctx, cfg, args[1:])
	case "users":
		if len(args) < 2 || args[1] != "create" {
			return fmt.Errorf("usage: ctl users create --email E --password P --role R [--name N]")
		}
		return createUser(ctx, cfg, args[2:])
	case "seed":
		return seed(ctx, cfg, args[1:])
	case "replay":
		return replay(ctx, cfg, args[1:])
	}
	return fmt.Errorf("unknown command %q\n\n%s", args[0], usage)
}
