package httpapi_test

import (
	"context"
	"testing"
	"time"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/orders"
)

// TestHousekeepingForgetsOnlyWhatIsPastItsUse: old Idempotency-Keys and long-expired refresh
// tokens are deleted; recent ones stay and keep working.
func TestHousekeepingForgetsOnlyWhatIsPastItsUse(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	c := e.newAccount(auth.RoleCustomer)
	p := e.newProduct(10, 100)
	for _, key := range []string{"old-key", "new-key"} {
		expectStatus(t, e.do(req{method: "POST", path: "/api/v1/orders", token: c.Token, body: items(p.ID, 1), header: map[string]string{"Idempotency-Key": key}}), 201)
	}
	if _, err := e.pool.Exec(ctx, "UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE user_id = $1 AND key = 'old-key'", c.ID); err != nil {
		t.Fatal(err)
	}
	old := e.newAccount(auth.RoleCustomer)
	if _, err := e.pool.Exec(ctx, "UPDATE refresh_tokens SET expires_at = now() - interval '8 days' WHERE user_id = $1", old.ID); err != nil {
		t.Fatal(err)
	}

	svc := orders.NewService(orders.NewPostgresStore(e.pool))
	if n, err := svc.PurgeIdempotencyKeys(ctx, 24*time.Hour); err != nil || n < 1 {
		t.Fatalf("purged %d keys: %v", n, err)
	}
	if n, err := e.auth.PurgeExpiredRefreshTokens(ctx); err != nil || n < 1 {
		t.Fatalf("purged %d tokens: %v", n, err)
	}
	// The forgotten key places a new order; the remembered one still replays.
	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/orders", token: c.Token, body: items(p.ID, 1), header: map[string]string{"Idempotency-Key": "old-key"}}), 201)
	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/orders", token: c.Token, body: items(p.ID, 1), header: map[string]string{"Idempotency-Key": "new-key"}}), 200)
	if got := e.count("SELECT count(*) FROM refresh_tokens WHERE user_id = $1", old.ID); got != 0 {
		t.Fatalf("%d long-expired refresh tokens left", got)
	}
	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/auth/refresh", body: map[string]string{"refresh_token": c.Refresh}}), 200)
}
