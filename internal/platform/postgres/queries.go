package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/acme/orders/db/sqlc"
)

// Queries is the sqlc query set bound either to the pool or to one transaction; domain stores
// embed it so that their InTx can hand a transaction-bound copy of themselves to a service.
type Queries struct {
	*sqlc.Queries
	pool *pgxpool.Pool
	inTx bool
}

// NewQueries returns queries that run on pool, each statement in its own transaction.
func NewQueries(pool *pgxpool.Pool) Queries {
	return Queries{Queries: sqlc.New(pool), pool: pool}
}

// InTx runs fn with queries bound to a new transaction (see InTx for retries and errors). If q
// is already bound to a transaction, fn joins it.
func (q Queries) InTx(ctx context.Context, fn func(Queries) error) error {
	if q.inTx {
		return fn(q)
	}
	return InTx(ctx, q.pool, func(tx pgx.Tx) error {
		return fn(Queries{Queries: q.Queries.WithTx(tx), pool: q.pool, inTx: true})
	})
}
