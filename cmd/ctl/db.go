package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/platform/config"
	"github.com/acme/orders/internal/platform/postgres"
)

// connect opens a pool on the configured database, creating and migrating it first.
func connect(ctx context.Context, cfg config.Config) (*pgxpool.Pool, error) {
	created, err := postgres.EnsureDatabase(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	if created {
		slog.Info("created database")
	}
	pool, err := postgres.Open(ctx, cfg.DatabaseURL, postgres.Options{MaxConns: 8})
	if err != nil {
		return nil, err
	}
	applied, err := postgres.Migrate(ctx, pool)
	if err != nil {
		pool.Close()
		return nil, err
	}
	if len(applied) > 0 {
		slog.Info("applied migrations", "versions", applied)
	}
	return pool, nil
}

func migrate(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	if err := fs.Parse(args); err != nil {
		return err
	}
	pool, err := connect(ctx, cfg)
	if err != nil {
		return err
	}
	pool.Close()
	fmt.Println("database is up to date")
	return nil
}

func createUser(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("users create", flag.ContinueOnError)
	email := fs.String("email", "", "email address (required)")
	password := fs.String("password", "", "password, 8 to 128 characters (required)")
	role := fs.String("role", "customer", "customer, staff or admin")
	name := fs.String("name", "", "display name (default: the part of the email before @)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *name == "" {
		for i, c := range *email {
			if c == '@' {
				*name = (*email)[:i]
				break
			}
		}
	}
	pool, err := connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	svc := auth.NewService(auth.NewPostgresStore(pool), nil, 0)
	u, err := svc.CreateUser(ctx, auth.Registration{Email: *email, Password: *password, Name: *name}, auth.Role(*role))
	if err != nil {
		return describe(err)
	}
	fmt.Printf("created %s %s (%s)\n", u.Role, u.Email, u.ID)
	return nil
}
