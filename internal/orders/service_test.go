package orders_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/orders"
)

func newCustomer(t *testing.T) uuid.UUID {
	t.Helper()
	id := uuid.Must(uuid.NewV7())
	if _, err := testDB.Pool.Exec(context.Background(), `INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, 'C', 'x')`, id, id.String()+"@example.com"); err != nil {
		t.Fatal(err)
	}
	return id
}

func countRows(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := testDB.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The orders use cases at the service level, on the real PostgreSQL: a refused order writes
// nothing, a repeated Idempotency-Key returns the first order, cancelling returns the stock,
// and a customer cannot see another customer's order.
func TestOrderUseCases(t *testing.T) {
	ctx := context.Background()
	svc := orders.NewService(orders.NewPostgresStore(testDB.Pool))
	alice, bob := newCustomer(t), newCustomer(t)
	scarce, plenty := newProduct(t, 2, 500), newProduct(t, 100, 120)

	_, _, err := svc.Place(ctx, alice, []orders.Line{{ProductID: plenty, Quantity: 1}, {ProductID: scarce, Quantity: 3}}, "")
	if !errors.Is(err, orders.ErrOutOfStock) {
		t.Fatalf("3 of a product with 2 in stock: %v", err)
	}
	if n := countRows(t, `SELECT count(*) FROM orders WHERE user_id = $1`, alice); n != 0 {
		t.Fatalf("a refused order wrote %d orders", n)
	}
	if n := countRows(t, `SELECT stock FROM products WHERE id = $1`, plenty); n != 100 {
		t.Fatalf("a refused order took stock: %d left", n)
	}

	lines := []orders.Line{{ProductID: scarce, Quantity: 2}, {ProductID: plenty, Quantity: 1}}
	first, created, err := svc.Place(ctx, alice, lines, "k-1")
	if err != nil || !created || first.TotalCents != 1120 {
		t.Fatalf("place: %+v created %v: %v", first, created, err)
	}
	again, created, err := svc.Place(ctx, alice, lines, "k-1")
	if err != nil || created || again.ID != first.ID {
		t.Fatalf("replay: %+v created %v: %v", again, created, err)
	}
	if _, _, err := svc.Place(ctx, alice, lines[1:], "k-1"); !errors.Is(err, orders.ErrIdempotencyMismatch) {
		t.Fatalf("the same key with another body: %v", err)
	}
	// Another customer may use the same key for its own order.
	if _, created, err := svc.Place(ctx, bob, lines[1:], "k-1"); err != nil || !created {
		t.Fatalf("bob's k-1: created %v, %v", created, err)
	}
	if n := countRows(t, `SELECT count(*) FROM outbox WHERE type = 'OrderPlaced' AND aggregate_id = $1`, first.ID.String()); n != 1 {
		t.Fatalf("%d OrderPlaced events for one order", n)
	}

	if _, err := svc.Get(ctx, orders.Caller{UserID: bob}, first.ID); !errors.Is(err, orders.ErrNotFound) {
		t.Fatalf("bob reading alice's order: %v", err)
	}
	if _, err := svc.Cancel(ctx, orders.Caller{UserID: bob}, first.ID); !errors.Is(err, orders.ErrNotFound) {
		t.Fatalf("bob cancelling alice's order: %v", err)
	}
	cancelled, err := svc.Cancel(ctx, orders.Caller{UserID: alice}, first.ID)
	if err != nil || cancelled.Status != orders.Cancelled {
		t.Fatalf("cancel: %+v %v", cancelled, err)
	}
	if n := countRows(t, `SELECT stock FROM products WHERE id = $1`, scarce); n != 2 {
		t.Fatalf("stock after the cancel: %d, want 2", n)
	}
	if _, err := svc.Cancel(ctx, orders.Caller{UserID: alice}, first.ID); !errors.Is(err, orders.ErrInvalidTransition) {
		t.Fatalf("cancelling twice: %v", err)
	}
	if _, err := svc.SetStatus(ctx, orders.Caller{UserID: alice}, first.ID, orders.Paid); err == nil {
		t.Fatal("a customer moved an order's status")
	}
}
