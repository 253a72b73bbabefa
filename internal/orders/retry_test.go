package orders_test

import (
	"context"
	"os"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/acme/orders/internal/orders"
	"github.com/acme/orders/internal/platform/pgtest"
)

var testDB *pgtest.DB

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, "orders", &testDB)) }

// deadlockOnce is the real store, except that the first order insert fails the way
// PostgreSQL reports a deadlock, so that the service runs the transaction again.
type deadlockOnce struct {
	orders.Store
	tripped *atomic.Bool
}

func (s deadlockOnce) InTx(ctx context.Context, fn func(orders.Store) error) error {
	return s.Store.InTx(ctx, func(tx orders.Store) error { return fn(deadlockOnce{tx, s.tripped}) })
}

func (s deadlockOnce) Insert(ctx context.Context, o orders.Order) error {
	if s.tripped.CompareAndSwap(false, true) {
		return &pgconn.PgError{Code: "40P01", Message: "deadlock detected"}
	}
	return s.Store.Insert(ctx, o)
}

func newProduct(t *testing.T, stock int, price int64) uuid.UUID {
	t.Helper()
	id := uuid.Must(uuid.NewV7())
	_, err := testDB.Pool.Exec(context.Background(),
		`INSERT INTO products (id, sku, name, category, price_cents, currency, stock) VALUES ($1, $2, 'Retry test', 'Testing', $3, 'USD', $4)`,
		id, "RT-"+id.String(), price, stock)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// A transaction retried after a deadlock places the order once, with the total of its lines
// counted once, and takes the stock once.
func TestPlaceRetriedAfterADeadlock(t *testing.T) {
	ctx := context.Background()
	tripped := &atomic.Bool{}
	svc := orders.NewService(deadlockOnce{orders.NewPostgresStore(testDB.Pool), tripped})
	a, b := newProduct(t, 10, 250), newProduct(t, 10, 1000)
	user := uuid.Must(uuid.NewV7())
	if _, err := testDB.Pool.Exec(ctx, `INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, 'R', 'x')`, user, user.String()+"@example.com"); err != nil {
		t.Fatal(err)
	}
	o, created, err := svc.Place(ctx, user, []orders.Line{{ProductID: a, Quantity: 2}, {ProductID: b, Quantity: 1}}, "retry-key")
	if err != nil || !created {
		t.Fatalf("place: %v (created %v)", err, created)
	}
	if !tripped.Load() {
		t.Fatal("the deadlock was never raised: the test proved nothing")
	}
	if o.TotalCents != 1500 {
		t.Fatalf("total %d, want 1500", o.TotalCents)
	}
	stored, err := orders.NewPostgresStore(testDB.Pool).Get(ctx, o.ID)
	if err != nil || stored.TotalCents != 1500 || len(stored.Items) != 2 {
		t.Fatalf("stored order %+v, %v", stored, err)
	}
	var stock, events int
	if err := testDB.Pool.QueryRow(ctx, `SELECT sum(stock) FROM products WHERE id IN ($1, $2)`, a, b).Scan(&stock); err != nil || stock != 17 {
		t.Fatalf("stock left %d (%v), want 17", stock, err)
	}
	if err := testDB.Pool.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE type = 'OrderPlaced' AND (payload->>'total_cents')::bigint = 1500 AND aggregate_id = $1`, o.ID.String()).Scan(&events); err != nil || events != 1 {
		t.Fatalf("%d OrderPlaced events with the right total (%v)", events, err)
	}
}
