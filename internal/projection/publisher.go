package projection

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/acme/orders/db/sqlc"
	"github.com/acme/orders/internal/platform/postgres"
	"github.com/acme/orders/internal/platform/telemetry"
)

// Channels the database notifies on: OutboxChannel when a transaction that wrote outbox rows
// commits, PublishedChannel when a publication commits.
const (
	OutboxChannel    = "outbox"
	PublishedChannel = "outbox_published"
)

// Publisher assigns positions to committed outbox rows.
type Publisher struct{ pool *pgxpool.Pool }

// NewPublisher returns a Publisher over pool.
func NewPublisher(pool *pgxpool.Pool) *Publisher { return &Publisher{pool: pool} }

// PublishBatch publishes up to size rows in one transaction and returns how many it published
// and the last position handed out. Concurrent callers take turns on the publisher row.
func (p *Publisher) PublishBatch(ctx context.Context, size int) (published, last int64, err error) {
	r, err := p.Publish(ctx, size)
	return r.Published, r.LastPosition, err
}

// Round is what one publication transaction did.
type Round struct {
	Published    int64    // rows given a position
	LastPosition int64    // last position handed out so far
	HeldBack     int64    // committed-or-running rows left unpublished behind an older running transaction
	Types        []string // the distinct event types published, in no particular order
}

// Publish publishes up to size rows in one transaction (see PublishBatch) and also says how
// many rows it had to leave for a later round. With tracing on, a round that published
// events (or failed) is a span linked to the traces that wrote them; see tracing.go.
func (p *Publisher) Publish(ctx context.Context, size int) (Round, error) {
	start := time.Now()
	var (
		round Round
		prev  int64
	)
	err := postgres.InTx(ctx, p.pool, func(tx pgx.Tx) error {
		q := sqlc.New(tx)
		var err error
		if prev, err = q.LockPublisher(ctx); err != nil {
			return err
		}
		res, err := q.PublishPending(ctx, sqlc.PublishPendingParams{BatchSize: int32(size), LastPosition: prev})
		if err != nil {
			return err
		}
		round = Round{Published: res.Published, LastPosition: res.LastPosition, HeldBack: res.HeldBack, Types: res.Types}
		return nil
	})
	if telemetry.Enabled() && (round.Published > 0 || err != nil) {
		p.traceRound(ctx, start, prev, round, err)
	}
	return round, err
}

// Stats is the state of publication.
type Stats struct {
	Pending              int64   // rows not yet published
	OldestPendingSeconds float64 // age of the oldest of them
	LastPosition         int64   // last position handed out
}

// Stats reads the publication figures.
func (p *Publisher) Stats(ctx context.Context) (Stats, error) {
	q := sqlc.New(p.pool)
	pending, err := q.PendingStats(ctx)
	if err != nil {
		return Stats{}, postgres.Classify(err)
	}
	last, err := q.PublishedPosition(ctx)
	if err != nil {
		return Stats{}, postgres.Classify(err)
	}
	return Stats{Pending: pending.Pending, OldestPendingSeconds: pending.OldestPendingSeconds, LastPosition: last}, nil
}
