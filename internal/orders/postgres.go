package orders

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/acme/orders/db/sqlc"
	"github.com/acme/orders/internal/events"
	"github.com/acme/orders/internal/platform/postgres"
)

// PostgresStore is the Store on the sqlc queries.
type PostgresStore struct{ q postgres.Queries }

// NewPostgresStore returns a Store over pool.
func NewPostgresStore(pool *pgxpool.Pool) *PostgresStore {
	return &PostgresStore{q: postgres.NewQueries(pool)}
}

// InTx implements Store.
func (s *PostgresStore) InTx(ctx context.Context, fn func(Store) error) error {
	return s.q.InTx(ctx, func(q postgres.Queries) error { return fn(&PostgresStore{q: q}) })
}

// IdempotencyKey implements Store.
func (s *PostgresStore) IdempotencyKey(ctx context.Context, userID uuid.UUID, key string) ([]byte, uuid.UUID, error) {
	r, err := s.q.GetIdempotencyKey(ctx, sqlc.GetIdempotencyKeyParams{UserID: userID, Key: key})
	return r.RequestHash, r.OrderID, postgres.Classify(err)
}

// Reserve implements Store.
func (s *PostgresStore) Reserve(ctx context.Context, c Claim, lines []Line) (bool, []Reserved, error) {
	p := sqlc.ReserveOrderParams{UserID: c.UserID, Key: c.Key, RequestHash: c.RequestHash, OrderID: c.OrderID,
		ProductIds: make([]uuid.UUID, len(lines)), Quantities: make([]int32, len(lines))}
	for i, l := range lines {
		p.ProductIds[i], p.Quantities[i] = l.ProductID, l.Quantity
	}
	rows, err := s.q.ReserveOrder(ctx, p)
	if err != nil {
		return false, nil, postgres.Classify(err)
	}
	claimed := len(rows) > 0 && rows[0].Claimed
	var out []Reserved
	for _, r := range rows {
		if r.Reserved {
			out = append(out, Reserved{ProductID: r.ProductID, SKU: r.Sku, Name: r.Name, PriceCents: r.PriceCents, Currency: r.Currency})
		}
	}
	return claimed, out, nil
}

// Availability implements Store.
func (s *PostgresStore) Availability(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]Availability, error) {
	rows, err := s.q.ProductsAvailability(ctx, ids)
	if err != nil {
		return nil, postgres.Classify(err)
	}
	out := make(map[uuid.UUID]Availability, len(rows))
	for _, r := range rows {
		out[r.ID] = Availability{Stock: r.Stock, Deleted: r.Deleted}
	}
	return out, nil
}

// Insert implements Store. The OrderPlaced row is made by events.Append, as every event is,
// and written by the same statement as the order.
func (s *PostgresStore) Insert(ctx context.Context, o Order) error {
	var ev eventRow
	if err := events.Append(ctx, &ev, events.OrderPlaced, events.AggregateOrder, o.ID, o.CreatedAt, placedPayload(o)); err != nil {
		return err
	}
	p := sqlc.InsertPlacedOrderParams{ID: o.ID, UserID: o.UserID, TotalCents: o.TotalCents, Currency: o.Currency, CreatedAt: o.CreatedAt,
		EventID: ev.EventID, EventType: ev.Type, AggregateType: ev.AggregateType, AggregateID: ev.AggregateID,
		Payload: ev.Payload, Version: ev.Version, OccurredAt: ev.OccurredAt, TraceContext: ev.TraceContext}
	for _, it := range o.Items {
		p.ProductIds = append(p.ProductIds, it.ProductID)
		p.Skus = append(p.Skus, it.SKU)
		p.Names = append(p.Names, it.Name)
		p.Quantities = append(p.Quantities, it.Quantity)
		p.UnitPrices = append(p.UnitPrices, it.UnitPriceCents)
	}
	return postgres.Classify(s.q.InsertPlacedOrder(ctx, p))
}

// eventRow is the events.Appender of a statement that writes an outbox row together with the
// change it describes: it keeps the row instead of inserting it.
type eventRow struct{ sqlc.AppendEventParams }

func (e *eventRow) AppendEvent(_ context.Context, arg sqlc.AppendEventParams) error {
	e.AppendEventParams = arg
	return nil
}

// Get implements Store.
func (s *PostgresStore) Get(ctx context.Context, id uuid.UUID) (Order, error) {
	r, err := s.q.GetOrder(ctx, id)
	if postgres.IsNoRows(err) {
		return Order{}, ErrNotFound
	}
	if err != nil {
		return Order{}, postgres.Classify(err)
	}
	o := fromRow(r)
	items, err := s.q.ListOrderItems(ctx, id)
	if err != nil {
		return Order{}, postgres.Classify(err)
	}
	o.Items = make([]Item, len(items))
	for i, it := range items {
		o.Items[i] = Item{ProductID: it.ProductID, SKU: it.Sku, Name: it.Name, Quantity: it.Quantity, UnitPriceCents: it.UnitPriceCents}
	}
	return o, nil
}

func fromRow(r sqlc.Order) Order {
	return Order{ID: r.ID, UserID: r.UserID, Status: Status(r.Status), TotalCents: r.TotalCents, Currency: r.Currency,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// Transition implements Store.
func (s *PostgresStore) Transition(ctx context.Context, id uuid.UUID, from []Status, to Status) (Order, bool, error) {
	fs := make([]string, len(from))
	for i, f := range from {
		fs[i] = string(f)
	}
	r, err := s.q.TransitionOrder(ctx, sqlc.TransitionOrderParams{ID: id, ToStatus: string(to), FromStatuses: fs})
	if postgres.IsNoRows(err) {
		return Order{}, false, nil
	}
	if err != nil {
		return Order{}, false, postgres.Classify(err)
	}
	return fromRow(r), true, nil
}

// ReleaseStock implements Store.
func (s *PostgresStore) ReleaseStock(ctx context.Context, id uuid.UUID) error {
	return postgres.Classify(s.q.ReleaseStock(ctx, id))
}

// DeleteIdempotencyKeysBefore implements Store.
func (s *PostgresStore) DeleteIdempotencyKeysBefore(ctx context.Context, t time.Time) (int64, error) {
	n, err := s.q.DeleteIdempotencyKeysBefore(ctx, t)
	return n, postgres.Classify(err)
}

// AppendEvent implements Store.
func (s *PostgresStore) AppendEvent(ctx context.Context, typ string, orderID uuid.UUID, at time.Time, payload events.Payload) error {
	return postgres.Classify(events.Append(ctx, s.q.Queries, typ, events.AggregateOrder, orderID, at, payload))
}
