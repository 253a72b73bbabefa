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

// Create implements Store.
func (s *PostgresStore) Create(ctx context.Context, p Product) (Product, error) {
	var out Product
	err := s.q.InTx(ctx, func(q postgres.Queries) error {
		r, err := q.CreateProduct(ctx, sqlc.CreateProductParams{
			ID: p.ID, Sku: p.SKU, Name: p.Name, Description: p.Description, Category: p.Category,
			PriceCents: p.PriceCents, Currency: p.Currency, Stock: p.Stock,
		})
		if postgres.IsUniqueViolation(err, "products_sku_key") {
			return ErrDuplicateSKU
		}
		if err != nil {
			return err
		}
		out = fromRow(productRow(r))
		return events.Append(ctx, q.Queries, events.ProductCreated, events.AggregateProduct, out.ID, out.UpdatedAt, Payload(out))
	})
	return out, err
}

// Update implements Store.
func (s *PostgresStore) Update(ctx context.Context, id uuid.UUID, p Patch) (Product, error) {
	var out Product
	err := s.q.InTx(ctx, func(q postgres.Queries) error {
		r, err := q.UpdateProduct(ctx, sqlc.UpdateProductParams{
			ID: id, Sku: p.SKU, Name: p.Name, Description: p.Description, Category: p.Category,
			PriceCents: p.PriceCents, Currency: p.Currency, Stock: p.Stock,
		})
		switch {
		case postgres.IsNoRows(err):
			return ErrNotFound
		case postgres.IsUniqueViolation(err, "products_sku_key"):
			return ErrDuplicateSKU
		case err != nil:
			return err
		}
		out = fromRow(productRow(r))
		return events.Append(ctx, q.Queries, events.ProductUpdated, events.AggregateProduct, out.ID, out.UpdatedAt, Payload(out))
	})
	return out, err
}

// Delete implements Store.
func (s *PostgresStore) Delete(ctx context.Context, id uuid.UUID) error {
	return s.q.InTx(ctx, func(q postgres.Queries) error {
		r, err := q.SoftDeleteProduct(ctx, id)
		if postgres.IsNoRows(err) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		return events.Append(ctx, q.Queries, events.ProductDeleted, events.AggregateProduct, id, time.Now(),
			map[string]any{"product_id": r.ID, "sku": r.Sku})
	})
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

// Payload is the body of ProductCreated and ProductUpdated events: the whole product.
func Payload(p Product) map[string]any {
	return map[string]any{
		"product_id": p.ID, "sku": p.SKU, "name": p.Name, "description": p.Description,
		"category": p.Category, "price_cents": p.PriceCents, "currency": p.Currency, "stock": p.Stock,
		"created_at": p.CreatedAt, "updated_at": p.UpdatedAt,
	}
}
