// Package projection keeps read models up to date from the event log, and publishes the event
// log itself.
//
// Publication gives each committed outbox row a gap-free position, in the order of its
// transaction ID, and only once every older transaction has finished, so no row can later
// appear behind one already published. A projection (one read model) applies published events
// in position order, in batches; each batch and the move of its checkpoint commit in one
// transaction under the checkpoint row's lock, so a crash, a retry or a duplicate delivery can
// never apply an event twice, and several appliers of one projection simply take turns.
//
// An event a projection cannot apply (a data error, not an outage) is isolated by halving the
// batch, retried a bounded number of times across restarts, then parked with its error so the
// projection goes on; an operator re-drives it once the cause is fixed.
package projection

import (
	"context"

	"github.com/acme/orders/db/sqlc"
	"github.com/acme/orders/internal/fault"
)

// Projection is one read model: how to apply published events to it, and how to empty it.
type Projection interface {
	// Name is the checkpoint's name, e.g. "order_history".
	Name() string
	// Apply applies every published event with after < position <= upto, set-based, through q
	// (bound to the transaction that also moves the checkpoint, after Apply). It must be
	// deterministic, skip events parked for this projection, and leave out events at or before
	// the projection's checkpoint, so that applying a range again changes nothing.
	Apply(ctx context.Context, q *sqlc.Queries, after, upto int64) error
	// Truncate empties the read model.
	Truncate(ctx context.Context, q *sqlc.Queries) error
	// Checksum summarises the read model's rows, to compare two builds of it.
	Checksum(ctx context.Context, q *sqlc.Queries) (rows int64, sum string, err error)
}

// Background is implemented by projections that no one waits for on a page (popularity,
// recommendation inputs): their worker may gather events for a moment before each round,
// which leaves the CPU to the projections people do wait for.
type Background interface {
	Background() bool
}

// Progress is where a projection stands.
type Progress struct {
	Name       string `json:"name"`
	Checkpoint int64  `json:"checkpoint"` // last position applied
	Latest     int64  `json:"latest"`     // last position published
	Applied    int64  `json:"applied"`    // positions applied by the call that returned this
	Parked     int64  `json:"parked"`     // events parked by that call
}

// Lag is how many published events the projection has still to apply.
func (p Progress) Lag() int64 { return max(0, p.Latest-p.Checkpoint) }

// Errors returned by this package.
var (
	ErrUnknownProjection = fault.New(fault.NotFound, "unknown-projection", "no read model has that name")
	ErrNotParked         = fault.New(fault.NotFound, "event-not-parked", "that event is not parked for that read model")
	ErrRedriveFailed     = fault.New(fault.Conflict, "redrive-failed", "the event still cannot be applied; it stays parked")
)
