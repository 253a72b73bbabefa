package orders_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/events"
	"github.com/acme/orders/internal/fault"
	"github.com/acme/orders/internal/orders"
)

// What the order transaction guarantees, on the real PostgreSQL: refusals, concurrent buyers,
// concurrent retries with one Idempotency-Key, and the event it writes.

func fieldsOf(t *testing.T, err error) []fault.FieldError {
	t.Helper()
	var fe *fault.Error
	if !errors.As(err, &fe) {
		t.Fatalf("%v is not a *fault.Error", err)
	}
	return fe.Fields
}

// Many customers race for the last unit of a product: exactly one order is placed, the others
// are told it is out of stock, and the stock ends at zero.
func TestLastUnitGoesToExactlyOneOrder(t *testing.T) {
	ctx := context.Background()
	svc := orders.NewService(orders.NewPostgresStore(testDB.Pool))
	last := newProduct(t, 1, 700)
	const buyers = 16
	customers := make([]uuid.UUID, buyers)
	for i := range customers {
		customers[i] = newCustomer(t)
	}
	errs := make([]error, buyers)
	var wg sync.WaitGroup
	for i := range buyers {
		wg.Go(func() {
			_, _, errs[i] = svc.Place(ctx, customers[i], []orders.Line{{ProductID: last, Quantity: 1}}, "")
		})
	}
	wg.Wait()
	placed := 0
	for _, err := range errs {
		switch {
		case err == nil:
			placed++
		case errors.Is(err, orders.ErrOutOfStock):
			want := []fault.FieldError{{Field: "items", Message: fmt.Sprintf("product %s has only 0 in stock", last)}}
			if got := fieldsOf(t, err); !slices.Equal(got, want) {
				t.Fatalf("fields %+v, want %+v", got, want)
			}
		default:
			t.Fatalf("unexpected error: %v", err)
		}
	}
	if placed != 1 {
		t.Fatalf("%d orders placed for the last unit", placed)
	}
	if n := countRows(t, `SELECT stock FROM products WHERE id = $1`, last); n != 0 {
		t.Fatalf("stock %d", n)
	}
	if n := countRows(t, `SELECT count(*) FROM order_items WHERE product_id = $1`, last); n != 1 {
		t.Fatalf("%d order lines for the last unit", n)
	}
	if n := countRows(t, `SELECT count(*) FROM outbox WHERE type = 'OrderPlaced' AND payload->'items'->0->>'product_id' = $1`, last.String()); n != 1 {
		t.Fatalf("%d OrderPlaced events for the last unit", n)
	}
}

// Concurrent orders of several lines each, in every order of their lines, over products with
// little stock: the stock never goes below zero and each product lost exactly what the placed
// orders took.
func TestConcurrentOrdersNeverOversell(t *testing.T) {
	ctx := context.Background()
	svc := orders.NewService(orders.NewPostgresStore(testDB.Pool))
	products := []uuid.UUID{newProduct(t, 5, 100), newProduct(t, 5, 200), newProduct(t, 5, 300)}
	customer := newCustomer(t)
	const attempts = 24
	type outcome struct {
		o   orders.Order
		err error
	}
	results := make([]outcome, attempts)
	var wg sync.WaitGroup
	for i := range attempts {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(i), 1))
			lines := []orders.Line{{ProductID: products[0], Quantity: 1}, {ProductID: products[1], Quantity: int32(1 + r.IntN(2))}, {ProductID: products[2], Quantity: 1}}
			r.Shuffle(len(lines), func(a, b int) { lines[a], lines[b] = lines[b], lines[a] })
			o, _, err := svc.Place(ctx, customer, lines[:2+r.IntN(2)], "")
			results[i] = outcome{o, err}
		})
	}
	wg.Wait()
	taken := map[uuid.UUID]int{}
	for _, r := range results {
		if r.err != nil {
			if !errors.Is(r.err, orders.ErrOutOfStock) {
				t.Fatalf("unexpected error: %v", r.err)
			}
			continue
		}
		for _, it := range r.o.Items {
			taken[it.ProductID] += int(it.Quantity)
		}
	}
	for _, p := range products {
		left := countRows(t, `SELECT stock FROM products WHERE id = $1`, p)
		if left < 0 || left != 5-taken[p] {
			t.Fatalf("product %s: %d left, placed orders took %d of 5", p, left, taken[p])
		}
		if n := countRows(t, `SELECT COALESCE(sum(quantity), 0) FROM order_items WHERE product_id = $1`, p); n != taken[p] {
			t.Fatalf("product %s: order lines hold %d, the answers said %d", p, n, taken[p])
		}
	}
}

// An order with one line that cannot be served is refused with the problem that names that
// line, and leaves no trace: no order, no line, no stock taken, no outbox row and no
// Idempotency-Key, so that the same key can be used again.
func TestRefusedOrderWritesNothing(t *testing.T) {
	ctx := context.Background()
	svc := orders.NewService(orders.NewPostgresStore(testDB.Pool))
	customer := newCustomer(t)
	plenty, scarce, gone := newProduct(t, 50, 100), newProduct(t, 1, 100), newProduct(t, 5, 100)
	if _, err := testDB.Pool.Exec(ctx, `UPDATE products SET deleted_at = now() WHERE id = $1`, gone); err != nil {
		t.Fatal(err)
	}
	unknown := uuid.Must(uuid.NewV7())
	cases := []struct {
		name   string
		lines  []orders.Line
		want   error
		fields []fault.FieldError
	}{
		{"short", []orders.Line{{ProductID: plenty, Quantity: 1}, {ProductID: scarce, Quantity: 2}}, orders.ErrOutOfStock,
			[]fault.FieldError{{Field: "items", Message: fmt.Sprintf("product %s has only 1 in stock", scarce)}}},
		{"unknown", []orders.Line{{ProductID: plenty, Quantity: 1}, {ProductID: unknown, Quantity: 1}}, orders.ErrUnknownProduct,
			[]fault.FieldError{{Field: "items", Message: fmt.Sprintf("product %s does not exist or is no longer sold", unknown)}}},
		{"deleted", []orders.Line{{ProductID: gone, Quantity: 1}, {ProductID: plenty, Quantity: 1}}, orders.ErrUnknownProduct,
			[]fault.FieldError{{Field: "items", Message: fmt.Sprintf("product %s does not exist or is no longer sold", gone)}}},
	}
	events := countRows(t, `SELECT count(*) FROM outbox`)
	for _, tc := range cases {
		for _, key := range []string{"", "refused-" + tc.name} {
			_, _, err := svc.Place(ctx, customer, tc.lines, key)
			if !errors.Is(err, tc.want) {
				t.Fatalf("%s (key %q): %v, want %v", tc.name, key, err, tc.want)
			}
			if got := fieldsOf(t, err); !slices.Equal(got, tc.fields) {
				t.Fatalf("%s: fields %+v, want %+v", tc.name, got, tc.fields)
			}
		}
	}
	if n := countRows(t, `SELECT count(*) FROM orders WHERE user_id = $1`, customer); n != 0 {
		t.Fatalf("refused orders wrote %d orders", n)
	}
	if n := countRows(t, `SELECT count(*) FROM idempotency_keys WHERE user_id = $1`, customer); n != 0 {
		t.Fatalf("refused orders kept %d Idempotency-Keys", n)
	}
	if n := countRows(t, `SELECT count(*) FROM outbox`); n != events {
		t.Fatalf("refused orders wrote %d outbox rows", n-events)
	}
	if n := countRows(t, `SELECT sum(stock) FROM products WHERE id IN ($1, $2, $3)`, plenty, scarce, gone); n != 56 {
		t.Fatalf("refused orders took stock: %d left of 56", n)
	}
	// The key of a refused order was not used up.
	o, created, err := svc.Place(ctx, customer, []orders.Line{{ProductID: plenty, Quantity: 1}}, "refused-short")
	if err != nil || !created {
		t.Fatalf("the key of a refused order: created %v, %v", created, err)
	}
	if _, created, err := svc.Place(ctx, customer, []orders.Line{{ProductID: plenty, Quantity: 1}}, "refused-short"); err != nil || created {
		t.Fatalf("its replay: created %v, %v (order %s)", created, err, o.ID)
	}
}

// Concurrent requests with one Idempotency-Key place one order: every request with the first
// request's body gets that order, every other body is refused as a reuse of the key, and the
// stock is taken once.
func TestConcurrentClaimsOfOneKeyPlaceOneOrder(t *testing.T) {
	ctx := context.Background()
	svc := orders.NewService(orders.NewPostgresStore(testDB.Pool))
	customer := newCustomer(t)
	a, b := newProduct(t, 100, 100), newProduct(t, 100, 100)
	bodies := [][]orders.Line{{{ProductID: a, Quantity: 1}}, {{ProductID: b, Quantity: 2}}}
	const requests = 16
	type outcome struct {
		o       orders.Order
		created bool
		err     error
	}
	results := make([]outcome, requests)
	var wg sync.WaitGroup
	for i := range requests {
		wg.Go(func() {
			o, created, err := svc.Place(ctx, customer, bodies[i%2], "checkout-1")
			results[i] = outcome{o, created, err}
		})
	}
	wg.Wait()
	var first orders.Order
	for _, r := range results {
		if r.created {
			if first.ID != uuid.Nil {
				t.Fatal("two requests with one key placed an order each")
			}
			first = r.o
		}
	}
	if first.ID == uuid.Nil {
		t.Fatal("no request placed the order")
	}
	for i, r := range results {
		sameBody := bodies[i%2][0].ProductID == first.Items[0].ProductID
		switch {
		case sameBody && (r.err != nil || r.o.ID != first.ID):
			t.Fatalf("request %d with the first body: order %s, %v; want order %s", i, r.o.ID, r.err, first.ID)
		case !sameBody && !errors.Is(r.err, orders.ErrIdempotencyMismatch):
			t.Fatalf("request %d with another body: %v", i, r.err)
		}
	}
	if n := countRows(t, `SELECT count(*) FROM orders WHERE user_id = $1`, customer); n != 1 {
		t.Fatalf("%d orders", n)
	}
	if n := countRows(t, `SELECT 100 - stock FROM products WHERE id = $1`, first.Items[0].ProductID); n != int(first.Items[0].Quantity) {
		t.Fatalf("%d taken from the stock, want %d", n, first.Items[0].Quantity)
	}
	if n := countRows(t, `SELECT count(*) FROM outbox WHERE type = 'OrderPlaced' AND aggregate_id = $1`, first.ID.String()); n != 1 {
		t.Fatalf("%d OrderPlaced events", n)
	}
}

// The OrderPlaced row is what events.Append writes for the order's OrderPlacedV1 payload: the
// same JSON document, version, aggregate and time.
func TestOrderPlacedEventIsThePayloadStruct(t *testing.T) {
	ctx := context.Background()
	svc := orders.NewService(orders.NewPostgresStore(testDB.Pool))
	customer := newCustomer(t)
	a, b := newProduct(t, 10, 1299), newProduct(t, 10, 3499)
	if _, err := testDB.Pool.Exec(ctx, `UPDATE products SET name = $2 WHERE id = $1`, b, `Kettle "1.7 l" <steel> & co, été`); err != nil {
		t.Fatal(err)
	}
	o, _, err := svc.Place(ctx, customer, []orders.Line{{ProductID: b, Quantity: 1}, {ProductID: a, Quantity: 3}}, "")
	if err != nil {
		t.Fatal(err)
	}
	want := events.OrderPlacedV1{OrderID: o.ID, UserID: customer, Status: "placed", TotalCents: 3*1299 + 3499, Currency: "USD", CreatedAt: o.CreatedAt}
	for _, it := range o.Items {
		want.Items = append(want.Items, events.OrderLineV1{ProductID: it.ProductID, SKU: it.SKU, Name: it.Name, Quantity: it.Quantity, UnitPriceCents: it.UnitPriceCents})
	}
	body, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var (
		payload                  []byte
		version                  int32
		aggregateType, aggregate string
		sameJSON, sameOccurrence bool
	)
	err = testDB.Pool.QueryRow(ctx, `SELECT payload::text, version, aggregate_type, aggregate_id, payload = $2::jsonb, occurred_at = $3
		FROM outbox WHERE type = 'OrderPlaced' AND aggregate_id = $1`, o.ID.String(), string(body), o.CreatedAt).
		Scan(&payload, &version, &aggregateType, &aggregate, &sameJSON, &sameOccurrence)
	if err != nil {
		t.Fatal(err)
	}
	if !sameJSON || version != 1 || aggregateType != events.AggregateOrder || aggregate != o.ID.String() || !sameOccurrence {
		t.Fatalf("outbox row: version %d, aggregate %s %s, occurred at the order's time %v, payload\n%s\nwant\n%s", version, aggregateType, aggregate, sameOccurrence, payload, body)
	}
	decoded, err := events.Decode(events.OrderPlaced, version, payload)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := json.Marshal(decoded); string(got) != string(body) {
		t.Fatalf("decoded payload\n%s\nwant\n%s", got, body)
	}
}
