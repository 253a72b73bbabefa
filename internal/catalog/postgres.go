package catalog

import (
	"context"
	"strings"
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

// productRow is the column set every product query returns; sqlc generates one struct per
// query, all of this shape.
type productRow = sqlc.GetProductRow

func fromRow(r productRow) Product {
	return Product{ID: r.ID, SKU: r.Sku, Name: r.Name, Description: r.Description, Category: r.Category,
		PriceCents: r.PriceCents, Currency: r.Currency, Stock: r.Stock, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// InTx implements Store.
func (s *PostgresStore) InTx(ctx context.Context, fn func(Store) error) error {
	return s.q.InTx(ctx, func(q postgres.Queries) error { return fn(&PostgresStore{q: q}) })
}

// List implements Store.
func (s *PostgresStore) List(ctx context.Context, f Filter) ([]Product, int64, error) {
	var category, query *string
	if f.Category != "" {
		category = &f.Category
	}
	if f.Query != "" {
		q := postgres.EscapeLike(strings.ToLower(f.Query))
		query = &q
	}
	rows, err := s.q.ListProducts(ctx, sqlc.ListProductsParams{
		Category: category, Query: query, MinPrice: f.MinPrice, MaxPrice: f.MaxPrice, InStock: f.InStock,
		Sort: f.Sort, PageLimit: int32(f.Limit), PageOffset: int32(f.Offset),
	})
	if err != nil {
		return nil, 0, postgres.Classify(err)
	}
	total, err := s.q.CountProducts(ctx, sqlc.CountProductsParams{
		Category: category, Query: query, MinPrice: f.MinPrice, MaxPrice: f.MaxPrice, InStock: f.InStock,
	})
	if err != nil {
		return nil, 0, postgres.Classify(err)
	}
	out := make([]Product, len(rows))
	for i, r := range rows {
		out[i] = fromRow(productRow(r))
	}
	return out, total, nil
}

// Get implements Store.
func (s *PostgresStore) Get(ctx context.Context, id uuid.UUID) (Product, error) {
	r, err := s.q.GetProduct(ctx, id)
	if postgres.IsNoRows(err) {
		return Product{}, ErrNotFound
	}
	if err != nil {
		return Product{}, postgres.Classify(err)
	}
	return fromRow(r), nil
}

// Insert implements Store.
func (s *PostgresStore) Insert(ctx context.Context, p Product) (Product, error) {
	r, err := s.q.CreateProduct(ctx, sqlc.CreateProductParams{
		ID: p.ID, Sku: p.SKU, Name: p.Name, Description: p.Description, Category: p.Category,
		PriceCents: p.PriceCents, Currency: p.Currency, Stock: p.Stock, At: p.CreatedAt,
	})
	if postgres.IsUniqueViolation(err, "products_sku_key") {
		return Product{}, ErrDuplicateSKU
	}
	if err != nil {
		return Product{}, postgres.Classify(err)
	}
	return fromRow(productRow(r)), nil
}

// Update implements Store.
func (s *PostgresStore) Update(ctx context.Context, id uuid.UUID, p Patch, at time.Time) (Product, error) {
	r, err := s.q.UpdateProduct(ctx, sqlc.UpdateProductParams{
		ID: id, Sku: p.SKU, Name: p.Name, Description: p.Description, Category: p.Category,
		PriceCents: p.PriceCents, Currency: p.Currency, Stock: p.Stock, At: at,
	})
	switch {
	case postgres.IsNoRows(err):
		return Product{}, ErrNotFound
	case postgres.IsUniqueViolation(err, "products_sku_key"):
		return Product{}, ErrDuplicateSKU
	case err != nil:
		return Product{}, postgres.Classify(err)
	}
	return fromRow(productRow(r)), nil
}

// SoftDelete implements Store.
func (s *PostgresStore) SoftDelete(ctx context.Context, id uuid.UUID, at time.Time) (string, error) {
	r, err := s.q.SoftDeleteProduct(ctx, sqlc.SoftDeleteProductParams{ID: id, At: at})
	if postgres.IsNoRows(err) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", postgres.Classify(err)
	}
	return r.Sku, nil
}

// AppendEvent implements Store.
func (s *PostgresStore) AppendEvent(ctx context.Context, typ string, productID uuid.UUID, at time.Time, payload events.Payload) error {
	return postgres.Classify(events.Append(ctx, s.q.Queries, typ, events.AggregateProduct, productID, at, payload))
}

// Categories implements Store.
func (s *PostgresStore) Categories(ctx context.Context) ([]Category, error) {
	rows, err := s.q.ListCategories(ctx)
	if err != nil {
		return nil, postgres.Classify(err)
	}
	out := make([]Category, len(rows))
	for i, r := range rows {
		out[i] = Category{Name: r.Category, ProductCount: r.ProductCount}
	}
	return out, nil
}
