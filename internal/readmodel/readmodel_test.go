package readmodel_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/catalog"
	"github.com/acme/orders/internal/orders"
	"github.com/acme/orders/internal/platform/pgtest"
	"github.com/acme/orders/internal/readmodel"
)

var testDB *pgtest.DB

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, "readmodel", &testDB)) }

// historyRow is an order_history row.
type historyRow struct {
	UserID               uuid.UUID
	Status, Currency     string
	TotalCents           int64
	ItemCount            int32
	Summary              string
	Items                []byte
	CreatedAt, UpdatedAt time.Time
	Position             int64
}

func historyOf(t *testing.T, orderID uuid.UUID) historyRow {
	t.Helper()
	var h historyRow
	err := testDB.Pool.QueryRow(context.Background(), `
		SELECT user_id, status, currency, total_cents, item_count, items_summary, items, created_at, updated_at, position
		FROM order_history WHERE order_id = $1`, orderID).
		Scan(&h.UserID, &h.Status, &h.Currency, &h.TotalCents, &h.ItemCount, &h.Summary, &h.Items, &h.CreatedAt, &h.UpdatedAt, &h.Position)
	if err != nil {
		t.Fatalf("order %s in order_history: %v", orderID, err)
	}
	return h
}

// lastPosition is the position of the latest event about an aggregate.
func lastPosition(t *testing.T, id uuid.UUID) int64 {
	t.Helper()
	var pos int64
	if err := testDB.Pool.QueryRow(context.Background(), "SELECT max(position) FROM outbox WHERE aggregate_id = $1::text", id).Scan(&pos); err != nil {
		t.Fatal(err)
	}
	return pos
}

// checkHistory compares an order's read-model row with the order as the service returned it.
func checkHistory(t *testing.T, o orders.Order, status orders.Status, updatedAt time.Time, summary string) {
	t.Helper()
	h := historyOf(t, o.ID)
	var lines []struct {
		ProductID      uuid.UUID `json:"product_id"`
		SKU            string    `json:"sku"`
		Name           string    `json:"name"`
		Quantity       int32     `json:"quantity"`
		UnitPriceCents int64     `json:"unit_price_cents"`
	}
	if err := json.Unmarshal(h.Items, &lines); err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprintf("%s %s %s %d %d %q", h.UserID, h.Status, h.Currency, h.TotalCents, h.ItemCount, h.Summary)
	want := fmt.Sprintf("%s %s %s %d %d %q", o.UserID, status, o.Currency, o.TotalCents, len(o.Items), summary)
	if got != want {
		t.Errorf("order %s: %s, want %s", o.ID, got, want)
	}
	if !h.CreatedAt.Equal(o.CreatedAt) || !h.UpdatedAt.Equal(updatedAt) || h.Position != lastPosition(t, o.ID) {
		t.Errorf("order %s: created %s updated %s position %d, want %s %s %d", o.ID, h.CreatedAt, h.UpdatedAt, h.Position, o.CreatedAt, updatedAt, lastPosition(t, o.ID))
	}
	if len(lines) != len(o.Items) {
		t.Fatalf("order %s: %d lines in items, want %d", o.ID, len(lines), len(o.Items))
	}
	for i, it := range o.Items {
		l := lines[i]
		if l.ProductID != it.ProductID || l.SKU != it.SKU || l.Name != it.Name || l.Quantity != it.Quantity || l.UnitPriceCents != it.UnitPriceCents {
			t.Errorf("order %s line %d: %+v, want %+v", o.ID, i, l, it)
		}
	}
}

// salesRow is a product_sales row.
type salesRow struct {
	Units, Revenue, Orders, Buyers int64
	UpdatedAt                      time.Time
}

func salesOf(t *testing.T, productID uuid.UUID) (salesRow, bool) {
	t.Helper()
	var s salesRow
	err := testDB.Pool.QueryRow(context.Background(), `
		SELECT units_sold, revenue_cents, order_count, distinct_buyers, updated_at FROM product_sales WHERE product_id = $1`, productID).
		Scan(&s.Units, &s.Revenue, &s.Orders, &s.Buyers, &s.UpdatedAt)
	if err != nil && !strings.Contains(err.Error(), "no rows") {
		t.Fatal(err)
	}
	return s, err == nil
}

// occurredAt is when the latest event of the given type about an aggregate happened.
func occurredAt(t *testing.T, id uuid.UUID, typ string) time.Time {
	t.Helper()
	var at time.Time
	err := testDB.Pool.QueryRow(context.Background(), "SELECT max(occurred_at) FROM outbox WHERE aggregate_id = $1::text AND type = $2", id, typ).Scan(&at)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

func summaryOf(o orders.Order) string {
	parts := make([]string, len(o.Items))
	for i, it := range o.Items {
		parts[i] = fmt.Sprintf("%d × %s", it.Quantity, it.Name)
	}
	return strings.Join(parts, ", ")
}

// TestProjectionsReadWhatTheServicesWrite: events written by the real catalogue and orders
// services (create, update and delete products; place, pay, ship and cancel orders) build read
// models whose every field matches what the services returned. A payload field renamed on
// the write side leaves a read-model field empty or an event unappliable, and fails here.
func TestProjectionsReadWhatTheServicesWrite(t *testing.T) {
	ctx := context.Background()
	s := newShop()
	kettle, tea, gone := s.product(t, "Kettle", 3000), s.product(t, "Tea", 250), s.product(t, "Discontinued", 99)
	price := int64(3200)
	if _, err := s.cat.Update(ctx, kettle.ID, catalog.Patch{PriceCents: &price}); err != nil {
		t.Fatal(err)
	}
	if err := s.cat.Delete(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	ada, bob := s.customer(t), s.customer(t)

	first := s.place(t, ada, orders.Line{ProductID: kettle.ID, Quantity: 2}, orders.Line{ProductID: tea.ID, Quantity: 1})
	second := s.place(t, bob, orders.Line{ProductID: tea.ID, Quantity: 3})
	third := s.place(t, ada, orders.Line{ProductID: kettle.ID, Quantity: 1})
	if _, err := s.orders.SetStatus(ctx, staff, first.ID, orders.Paid); err != nil {
		t.Fatal(err)
	}
	shipped, err := s.orders.SetStatus(ctx, staff, first.ID, orders.Shipped)
	if err != nil {
		t.Fatal(err)
	}
	cancelled, err := s.orders.Cancel(ctx, orders.Caller{UserID: bob}, second.ID)
	if err != nil {
		t.Fatal(err)
	}
	catchUp(t)

	checkHistory(t, first, orders.Shipped, shipped.UpdatedAt, summaryOf(first))
	checkHistory(t, second, orders.Cancelled, cancelled.UpdatedAt, "3 × Tea")
	checkHistory(t, third, orders.Placed, third.CreatedAt, "1 × Kettle")
	if first.TotalCents != 2*3200+250 {
		t.Fatalf("setup: the first order's total %d does not use the updated price", first.TotalCents)
	}

	cases := []struct {
		name string
		id   uuid.UUID
		want salesRow
	}{
		// Ada bought 2 + 1 kettles at the updated price, in two orders.
		{"kettle", kettle.ID, salesRow{Units: 3, Revenue: 3 * 3200, Orders: 2, Buyers: 1, UpdatedAt: occurredAt(t, third.ID, "OrderPlaced")}},
		// Ada's tea stays; Bob's three are cancelled, and Bob is no longer a buyer.
		{"tea", tea.ID, salesRow{Units: 1, Revenue: 250, Orders: 1, Buyers: 1, UpdatedAt: occurredAt(t, second.ID, "OrderCancelled")}},
	}
	for _, c := range cases {
		got, ok := salesOf(t, c.id)
		if !ok {
			t.Fatalf("%s: no product_sales row", c.name)
		}
		if got.Units != c.want.Units || got.Revenue != c.want.Revenue || got.Orders != c.want.Orders || got.Buyers != c.want.Buyers || !got.UpdatedAt.Equal(c.want.UpdatedAt) {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
	if _, ok := salesOf(t, gone.ID); ok {
		t.Error("a product never ordered has sales figures")
	}
	var buyers int
	err = testDB.Pool.QueryRow(ctx, `SELECT count(*) FROM product_sales_buyers
		WHERE (product_id, user_id, units) IN (($1::uuid, $3::uuid, 3), ($2::uuid, $3::uuid, 1), ($2::uuid, $4::uuid, 0))`,
		kettle.ID, tea.ID, ada, bob).Scan(&buyers)
	if err != nil || buyers != 3 {
		t.Fatalf("product_sales_buyers: %d of 3 expected rows (%v)", buyers, err)
	}
}

// TestHistoryServiceScopesAndCaches: a customer sees only its own history and is refused
// another's; staff see anyone's; a page is cached until the customer's history changes.
func TestHistoryServiceScopesAndCaches(t *testing.T) {
	ctx := context.Background()
	s := newShop()
	p := s.product(t, "Mug", 800)
	ada, bob := s.customer(t), s.customer(t)
	s.place(t, ada, orders.Line{ProductID: p.ID, Quantity: 1})
	s.place(t, bob, orders.Line{ProductID: p.ID, Quantity: 2})
	catchUp(t)

	responses := newResponses(t)
	svc := readmodel.NewHistoryService(readmodel.NewHistoryReader(testDB.Pool), responses)
	renders := 0
	render := func(pg readmodel.HistoryPage) ([]byte, error) {
		renders++
		ids := make([]string, len(pg.Entries))
		for i, e := range pg.Entries {
			ids[i] = e.UserID.String()
		}
		return []byte(strings.Join(ids, ",")), nil
	}
	page := func(v readmodel.Viewer, user *uuid.UUID) (string, readmodel.CacheStatus, error) {
		body, from, err := svc.Page(ctx, v, readmodel.HistoryQuery{UserID: user, Limit: 50}, render)
		return string(body), from, err
	}

	customer := readmodel.Viewer{UserID: ada}
	if body, from, err := page(customer, nil); err != nil || body != ada.String() || from != readmodel.CacheMiss {
		t.Fatalf("own history: %q %v %v", body, from, err)
	}
	if body, from, err := page(customer, &ada); err != nil || body != ada.String() || from != readmodel.CacheHit || renders != 1 {
		t.Fatalf("own history again: %q %v %v (%d renders)", body, from, err, renders)
	}
	if _, _, err := page(customer, &bob); !errors.Is(err, readmodel.ErrOthersHistory) {
		t.Fatalf("another's history: %v", err)
	}
	if body, _, err := page(readmodel.Viewer{UserID: ada, Staff: true}, &bob); err != nil || body != bob.String() {
		t.Fatalf("staff reading bob's history: %q %v", body, err)
	}
	s.place(t, ada, orders.Line{ProductID: p.ID, Quantity: 3})
	pos := lastPublished(t)
	catchUp(t)
	if err := readmodel.DropChangedHistory(testDB.Pool, responses)(ctx, "order_history", pos, lastPublished(t)); err != nil {
		t.Fatal(err)
	}
	if body, from, err := page(customer, nil); err != nil || body != ada.String()+","+ada.String() || from != readmodel.CacheMiss {
		t.Fatalf("after a new order: %q %v %v", body, from, err)
	}
}
