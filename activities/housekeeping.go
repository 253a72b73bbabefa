package activities

import (
	"context"
	"time"

	"go.temporal.io/sdk/activity"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/orders"
)

// Housekeeping carries what the housekeeping activities need: they forget what is past its
// use. Register a *Housekeeping with the worker; workflows refer to its methods through a nil
// *Housekeeping. Each purge is one DELETE, so running one twice (a retry, or two schedules
// firing close together) is harmless.
type Housekeeping struct {
	Auth              *auth.Service
	Orders            *orders.Service
	IdempotencyKeyTTL time.Duration // keys older than this are deleted
}

// PurgeResult is what one purge deleted.
type PurgeResult struct {
	Deleted int64
}

// PurgeIdempotencyKeys deletes Idempotency-Keys older than IdempotencyKeyTTL; a retry with
// such a key afterwards places a new order.
func (h *Housekeeping) PurgeIdempotencyKeys(ctx context.Context) (PurgeResult, error) {
	n, err := h.Orders.PurgeIdempotencyKeys(ctx, h.IdempotencyKeyTTL)
	if err != nil {
		return PurgeResult{}, err
	}
	activity.GetLogger(ctx).Info("housekeeping: idempotency keys deleted", "deleted", n, "older_than", h.IdempotencyKeyTTL.String())
	return PurgeResult{Deleted: n}, nil
}

// PurgeRefreshTokens deletes refresh tokens that expired longer ago than
// auth.RefreshTokenRetention; until then a spent, expired token presented again still
// revokes its family.
func (h *Housekeeping) PurgeRefreshTokens(ctx context.Context) (PurgeResult, error) {
	n, err := h.Auth.PurgeExpiredRefreshTokens(ctx)
	if err != nil {
		return PurgeResult{}, err
	}
	activity.GetLogger(ctx).Info("housekeeping: expired refresh tokens deleted", "deleted", n)
	return PurgeResult{Deleted: n}, nil
}
