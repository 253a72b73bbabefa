package projection_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/catalog"
	"github.com/acme/orders/internal/orders"
	"github.com/acme/orders/internal/platform/pgtest"
	"github.com/acme/orders/internal/projection"
	"github.com/acme/orders/internal/readmodel"
)

var testDB *pgtest.DB

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, "projection", &testDB)) }

// TestPublicationFollowsCommitOrder: transaction A starts writing first but inserts its outbox
// row after B; A commits first, B later. A reader of "id > last seen" skips B's row for good;
// the publisher hands out A then B, with consecutive positions, and never publishes B while it
// could still commit behind A.
func TestPublicationFollowsCommitOrder(t *testing.T) {
	ctx := context.Background()
	pub := projection.NewPublisher(testDB.Pool)
	drain(t, pub)
	_, base, err := pub.PublishBatch(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	connA, connB := conn(t), conn(t)
	txA, _ := connA.Begin(ctx)
	txB, _ := connB.Begin(ctx)
	mustExec(t, txA, "SELECT pg_current_xact_id()") // A takes its transaction ID first
	idB := insertEvent(t, txB, "B")                 // B inserts first: the smaller id
	idA := insertEvent(t, txA, "A")
	if idB >= idA {
		t.Fatalf("setup: ids %d, %d", idB, idA)
	}
	if err := txA.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	// A naive reader now sees A's row and moves past B's id.
	var naiveLast int64
	if err := testDB.Pool.QueryRow(ctx, "SELECT max(id) FROM outbox").Scan(&naiveLast); err != nil {
		t.Fatal(err)
	}
	if n := publishSome(t, pub); n != 1 {
		t.Fatalf("published %d while B runs, want A alone", n)
	}
	if err := txB.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	var naiveSees int
	if err := testDB.Pool.QueryRow(ctx, "SELECT count(*) FROM outbox WHERE id > $1", naiveLast).Scan(&naiveSees); err != nil {
		t.Fatal(err)
	}
	if naiveSees != 0 {
		t.Fatalf("the naive reader would see %d rows; the test no longer shows the pitfall", naiveSees)
	}
	if n := publishSome(t, pub); n != 1 {
		t.Fatalf("published %d after B commits, want 1", n)
	}
	var posA, posB int64
	_ = testDB.Pool.QueryRow(ctx, "SELECT position FROM outbox WHERE id = $1", idA).Scan(&posA)
	_ = testDB.Pool.QueryRow(ctx, "SELECT position FROM outbox WHERE id = $1", idB).Scan(&posB)
	if posA != base+1 || posB != base+2 {
		t.Fatalf("positions A=%d B=%d, want %d and %d (commit order)", posA, posB, base+1, base+2)
	}
}

// TestPositionsAreGapFreeUnderConcurrentWriters: 50 writers append events while two publishers
// race; every row gets a unique position and the positions are exactly 1..N.
func TestPositionsAreGapFreeUnderConcurrentWriters(t *testing.T) {
	if testing.Short() {
		t.Skip("concurrency drill: 50 writers")
	}
	ctx := context.Background()
	pub := projection.NewPublisher(testDB.Pool)
	stop := make(chan struct{})
	var pubs sync.WaitGroup
	for range 2 {
		pubs.Add(1)
		go func() {
			defer pubs.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, _, err := pub.PublishBatch(ctx, 7); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	var writers sync.WaitGroup
	for w := range 50 {
		writers.Add(1)
		go func() {
			defer writers.Done()
			for i := range 20 {
				tx, err := testDB.Pool.Begin(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				insertEvent(t, tx, fmt.Sprintf("w%d-%d", w, i))
				if rand.IntN(3) == 0 {
					time.Sleep(time.Duration(rand.IntN(3)) * time.Millisecond) // hold the transaction open a little
				}
				if err := tx.Commit(ctx); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	writers.Wait()
	close(stop)
	pubs.Wait()
	drain(t, pub)
	var rows, distinct, maxPos, unpublished int64
	err := testDB.Pool.QueryRow(ctx, `SELECT count(*), count(DISTINCT position), COALESCE(max(position), 0), count(*) FILTER (WHERE NOT published) FROM outbox`).
		Scan(&rows, &distinct, &maxPos, &unpublished)
	if err != nil {
		t.Fatal(err)
	}
	if unpublished != 0 || distinct != rows || maxPos != rows {
		t.Fatalf("rows %d, distinct positions %d, max position %d, unpublished %d: want all equal and 0 unpublished", rows, distinct, maxPos, unpublished)
	}
}

// publishSome publishes the next batch, waiting while everything pending is held back by a
// transaction elsewhere on the server (transaction IDs are server-wide, so another test
// package's open transaction can hold publication back for a moment). It returns how many
// events it published.
func publishSome(t *testing.T, pub *projection.Publisher) int64 {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		n, _, err := pub.PublishBatch(context.Background(), 100)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 || time.Now().After(deadline) {
			return n
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func conn(t *testing.T) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(context.Background(), testDB.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

func mustExec(t *testing.T, tx pgx.Tx, sql string) {
	t.Helper()
	if _, err := tx.Exec(context.Background(), sql); err != nil {
		t.Fatal(err)
	}
}

// insertEvent appends a test event in tx and returns its outbox id.
func insertEvent(t *testing.T, tx pgx.Tx, label string) int64 {
	t.Helper()
	var id int64
	err := tx.QueryRow(context.Background(), `INSERT INTO outbox (event_id, type, aggregate_type, aggregate_id, payload)
		VALUES ($1, 'TestEvent', 'test', $2, '{}') RETURNING id`, uuid.New(), label).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func drain(t *testing.T, pub *projection.Publisher) int64 {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		n, last, err := pub.PublishBatch(context.Background(), 10000)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			continue
		}
		// Nothing publishable: done, unless rows wait for a transaction elsewhere on the server
		// (transaction IDs are server-wide) to end before they may be published.
		var waiting int
		if err := testDB.Pool.QueryRow(context.Background(), `SELECT count(*) FROM outbox WHERE NOT published`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting == 0 {
			return last
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d events still unpublished after a minute", waiting)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// world is a catalogue with customers placing, cancelling and moving orders through the real
// services, so that the event log holds every event type the projections read.
type world struct {
	products []catalog.Product
	users    []uuid.UUID
	orders   *orders.Service
}

func newWorld(t *testing.T, nProducts, nUsers int) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{orders: orders.NewService(orders.NewPostgresStore(testDB.Pool))}
	cat := catalog.NewService(catalog.NewPostgresStore(testDB.Pool))
	for i := range nProducts {
		p, err := cat.Create(ctx, catalog.Product{SKU: "W-" + strings.ToUpper(uuid.NewString()[:8]), Name: fmt.Sprintf("Item %d", i),
			Category: "World", PriceCents: int64(100 + i*25), Currency: "USD", Stock: 1_000_000})
		if err != nil {
			t.Fatal(err)
		}
		w.products = append(w.products, p)
	}
	svc := auth.NewService(auth.NewPostgresStore(testDB.Pool), nil, 0)
	for range nUsers {
		u, err := svc.CreateUser(ctx, auth.Registration{Email: uuid.NewString()[:12] + "@example.com", Password: "long enough", Name: "W"}, auth.RoleCustomer)
		if err != nil {
			t.Fatal(err)
		}
		w.users = append(w.users, u.ID)
	}
	return w
}

// activity places n orders with up to three lines and moves some of them along.
func (w *world) activity(t *testing.T, rng *rand.Rand, n int) {
	t.Helper()
	ctx := context.Background()
	staff := orders.Caller{Staff: true}
	for range n {
		var lines []orders.Line
		for range 1 + rng.IntN(3) {
			lines = append(lines, orders.Line{ProductID: w.products[rng.IntN(len(w.products))].ID, Quantity: int32(1 + rng.IntN(3))})
		}
		o, _, err := w.orders.Place(ctx, w.users[rng.IntN(len(w.users))], lines, "")
		if err != nil {
			t.Fatal(err)
		}
		switch rng.IntN(4) {
		case 0:
			_, err = w.orders.Cancel(ctx, staff, o.ID)
		case 1:
			_, err = w.orders.SetStatus(ctx, staff, o.ID, orders.Paid)
			if err == nil {
				_, err = w.orders.SetStatus(ctx, staff, o.ID, orders.Shipped)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

func newRunner() *projection.Runner {
	return projection.NewRunner(testDB.Pool, readmodel.OrderHistory{}, readmodel.ProductSales{})
}

// catchUp applies until every projection has reached the last published position.
func catchUp(t *testing.T, r *projection.Runner, batch int) {
	t.Helper()
	for _, name := range r.Names() {
		for {
			p, err := r.ApplyNext(context.Background(), name, batch)
			var poison *projection.PoisonError
			if errors.As(err, &poison) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Lag() == 0 {
				break
			}
		}
	}
}

func checksums(t *testing.T, r *projection.Runner) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, name := range r.Names() {
		rows, sum, err := r.Checksum(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = fmt.Sprintf("%d rows %s", rows, sum)
	}
	return out
}
