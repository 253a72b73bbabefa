package catalog_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/catalog"
	"github.com/acme/orders/internal/events"
	"github.com/acme/orders/internal/fault"
)

// outboxRow is an event row as the outbox holds it, with whether it was written by the
// transaction that last wrote the product row.
type outboxRow struct {
	Type, AggregateType string
	Version             int32
	OccurredAt          time.Time
	Payload             []byte
	SameTx              bool
}

// eventsFor returns the outbox rows about a product, oldest first.
func eventsFor(t *testing.T, id uuid.UUID) []outboxRow {
	t.Helper()
	rows, err := testDB.Pool.Query(context.Background(), `
		SELECT o.type, o.aggregate_type, o.version, o.occurred_at, o.payload,
		       (o.xid::text::bigint % 4294967296) = (SELECT p.xmin::text::bigint FROM products p WHERE p.id = $1)
		FROM outbox o WHERE o.aggregate_id = $1::text ORDER BY o.id`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []outboxRow
	for rows.Next() {
		var r outboxRow
		if err := rows.Scan(&r.Type, &r.AggregateType, &r.Version, &r.OccurredAt, &r.Payload, &r.SameTx); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// counts returns the number of products and of outbox rows.
func counts(t *testing.T) (products, outbox int64) {
	t.Helper()
	err := testDB.Pool.QueryRow(context.Background(), "SELECT (SELECT count(*) FROM products), (SELECT count(*) FROM outbox)").Scan(&products, &outbox)
	if err != nil {
		t.Fatal(err)
	}
	return products, outbox
}

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newService(c *clock) *catalog.Service {
	return catalog.NewService(catalog.NewPostgresStore(testDB.Pool), catalog.WithClock(c.now))
}

func decode(t *testing.T, r outboxRow) events.Payload {
	t.Helper()
	p, err := events.Decode(r.Type, r.Version, r.Payload)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestChangesWriteTheirEventInTheSameTransaction: create, update and delete each write the
// product and one event, in one transaction, stamped with the service's clock.
func TestChangesWriteTheirEventInTheSameTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := &clock{t: time.Date(2026, 3, 4, 5, 6, 7, 891234567, time.FixedZone("X", 7200))}
	svc := newService(c)

	p, err := svc.Create(ctx, catalog.Product{SKU: " EV-CREATE-1 ", Name: "Kettle", Description: "Steel", Category: "Kitchen", PriceCents: 3499, Currency: "USD", Stock: 7})
	if err != nil {
		t.Fatal(err)
	}
	created := c.t.UTC().Truncate(time.Microsecond)
	if p.SKU != "EV-CREATE-1" || !p.CreatedAt.Equal(created) || !p.UpdatedAt.Equal(created) || p.ID.Version() != 7 {
		t.Fatalf("created %+v", p)
	}
	rows := eventsFor(t, p.ID)
	if len(rows) != 1 || rows[0].Type != events.ProductCreated || rows[0].AggregateType != "product" || rows[0].Version != 1 ||
		!rows[0].OccurredAt.Equal(created) || !rows[0].SameTx {
		t.Fatalf("after create: %+v", rows)
	}
	want := events.ProductCreatedV1{ProductID: p.ID, SKU: "EV-CREATE-1", Name: "Kettle", Description: "Steel", Category: "Kitchen",
		PriceCents: 3499, Currency: "USD", Stock: 7, CreatedAt: created, UpdatedAt: created}
	if got := decode(t, rows[0]).(events.ProductCreatedV1); !sameProduct(events.ProductV1(got), events.ProductV1(want)) {
		t.Fatalf("ProductCreated = %+v, want %+v", got, want)
	}

	c.t = c.t.Add(time.Hour)
	price, name := int64(2999), "Kettle, 1.7 l"
	u, err := svc.Update(ctx, p.ID, catalog.Patch{PriceCents: &price, Name: &name})
	if err != nil {
		t.Fatal(err)
	}
	updated := c.t.UTC().Truncate(time.Microsecond)
	rows = eventsFor(t, p.ID)
	if len(rows) != 2 || rows[1].Type != events.ProductUpdated || !rows[1].OccurredAt.Equal(updated) || !rows[1].SameTx || !u.UpdatedAt.Equal(updated) {
		t.Fatalf("after update: %+v (product %+v)", rows, u)
	}
	wantU := events.ProductV1(want)
	wantU.Name, wantU.PriceCents, wantU.UpdatedAt = name, price, updated
	if got := decode(t, rows[1]).(events.ProductUpdatedV1); !sameProduct(events.ProductV1(got), wantU) {
		t.Fatalf("ProductUpdated = %+v, want %+v", got, wantU)
	}

	c.t = c.t.Add(time.Hour)
	if err := svc.Delete(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	rows = eventsFor(t, p.ID)
	if len(rows) != 3 || rows[2].Type != events.ProductDeleted || !rows[2].OccurredAt.Equal(c.t.UTC().Truncate(time.Microsecond)) || !rows[2].SameTx {
		t.Fatalf("after delete: %+v", rows)
	}
	if got := decode(t, rows[2]); got != (events.ProductDeletedV1{ProductID: p.ID, SKU: "EV-CREATE-1"}) {
		t.Fatalf("ProductDeleted = %+v", got)
	}
	if _, err := svc.Get(ctx, p.ID); !errors.Is(err, catalog.ErrNotFound) {
		t.Fatalf("deleted product: %v", err)
	}
}

func sameProduct(a, b events.ProductV1) bool {
	ca, cb, ua, ub := a.CreatedAt, b.CreatedAt, a.UpdatedAt, b.UpdatedAt
	a.CreatedAt, b.CreatedAt, a.UpdatedAt, b.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return a == b && ca.Equal(cb) && ua.Equal(ub)
}

// TestRefusedChangesWriteNothing: a change refused for bad input, a taken SKU, a missing
// product, or a failure while writing its event leaves neither the product nor an event.
func TestRefusedChangesWriteNothing(t *testing.T) {
	ctx := context.Background()
	c := &clock{t: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)}
	svc := newService(c)
	existing, err := svc.Create(ctx, catalog.Product{SKU: "EV-TAKEN", Name: "Taken", Category: "Misc", PriceCents: 100, Currency: "USD", Stock: 1})
	if err != nil {
		t.Fatal(err)
	}
	bad, empty, taken := "lower case", "", "EV-TAKEN"
	negative := int32(-1)
	missing := uuid.Must(uuid.NewV7())
	failing := catalog.NewService(failingAppends{catalog.NewPostgresStore(testDB.Pool)}, catalog.WithClock(c.now))
	newName := "Renamed"
	cases := []struct {
		name string
		call func() error
		want error
	}{
		{"create with bad fields", func() error {
			_, err := svc.Create(ctx, catalog.Product{SKU: bad, Name: "", Category: "x", PriceCents: -5, Currency: "usd", Stock: -1})
			return err
		}, fault.ErrValidation},
		{"create with a taken SKU", func() error {
			_, err := svc.Create(ctx, catalog.Product{SKU: taken, Name: "Again", Category: "Misc", PriceCents: 1, Currency: "USD"})
			return err
		}, catalog.ErrDuplicateSKU},
		{"empty patch", func() error { _, err := svc.Update(ctx, existing.ID, catalog.Patch{}); return err }, fault.ErrValidation},
		{"bad patch", func() error {
			_, err := svc.Update(ctx, existing.ID, catalog.Patch{Name: &empty, Stock: &negative})
			return err
		}, fault.ErrValidation},
		{"update of a missing product", func() error { _, err := svc.Update(ctx, missing, catalog.Patch{Name: &newName}); return err }, catalog.ErrNotFound},
		{"delete of a missing product", func() error { return svc.Delete(ctx, missing) }, catalog.ErrNotFound},
		{"create whose event fails", func() error {
			_, err := failing.Create(ctx, catalog.Product{SKU: "EV-ROLLBACK", Name: "Gone", Category: "Misc", PriceCents: 1, Currency: "USD"})
			return err
		}, errAppend},
		{"update whose event fails", func() error { _, err := failing.Update(ctx, existing.ID, catalog.Patch{Name: &newName}); return err }, errAppend},
		{"delete whose event fails", func() error { return failing.Delete(ctx, existing.ID) }, errAppend},
	}
	for _, tc := range cases {
		products, outbox := counts(t)
		if err := tc.call(); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
		if p, o := counts(t); p != products || o != outbox {
			t.Errorf("%s: products %d → %d, outbox %d → %d", tc.name, products, p, outbox, o)
		}
	}
	got, err := svc.Get(ctx, existing.ID)
	if err != nil || got.Name != "Taken" || !got.UpdatedAt.Equal(existing.UpdatedAt) {
		t.Fatalf("the product changed: %+v, %v", got, err)
	}
	if rows := eventsFor(t, existing.ID); len(rows) != 1 {
		t.Fatalf("events about the product: %+v", rows)
	}
}

var errAppend = errors.New("append failed")

// failingAppends is the real store, except that appending an event fails.
type failingAppends struct{ catalog.Store }

func (f failingAppends) InTx(ctx context.Context, fn func(catalog.Store) error) error {
	return f.Store.InTx(ctx, func(tx catalog.Store) error { return fn(failingAppends{tx}) })
}

func (failingAppends) AppendEvent(context.Context, string, uuid.UUID, time.Time, events.Payload) error {
	return errAppend
}
