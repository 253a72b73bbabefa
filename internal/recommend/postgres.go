package recommend

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/acme/orders/db/sqlc"
	"github.com/acme/orders/internal/platform/postgres"
)

// PostgresStore is the Store on the co_purchase read model and the products table.
type PostgresStore struct{ q *sqlc.Queries }

// NewPostgresStore returns a Store over pool.
func NewPostgresStore(pool *pgxpool.Pool) *PostgresStore { return &PostgresStore{q: sqlc.New(pool)} }

// Product implements Store.
func (s *PostgresStore) Product(ctx context.Context, id uuid.UUID) (Product, error) {
	r, err := s.q.RecommendProduct(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return Product{}, ErrProductNotFound
	}
	if err != nil {
		return Product{}, postgres.Classify(err)
	}
	return toProduct(sqlc.RecommendProductsRow(r)), nil
}

// Products implements Store.
func (s *PostgresStore) Products(ctx context.Context, ids []uuid.UUID, f Filter) (map[uuid.UUID]Product, error) {
	rows, err := s.q.RecommendProducts(ctx, sqlc.RecommendProductsParams{Ids: ids, InStock: f.InStock, UserID: f.NotBoughtBy})
	if err != nil {
		return nil, postgres.Classify(err)
	}
	out := make(map[uuid.UUID]Product, len(rows))
	for _, r := range rows {
		out[r.ID] = toProduct(r)
	}
	return out, nil
}

// Partners implements Store.
func (s *PostgresStore) Partners(ctx context.Context, ids []uuid.UUID, per int) (map[uuid.UUID][]Partner, map[uuid.UUID]int64, error) {
	rows, err := s.q.RecommendPartners(ctx, sqlc.RecommendPartnersParams{ProductIds: ids, PerProduct: int32(per)})
	if err != nil {
		return nil, nil, postgres.Classify(err)
	}
	partners, orders := map[uuid.UUID][]Partner{}, map[uuid.UUID]int64{}
	for _, r := range rows {
		partners[r.ProductID] = append(partners[r.ProductID], Partner{ID: r.OtherID, Together: r.Together, Orders: r.OtherOrders})
		orders[r.ProductID] = r.ProductOrders
	}
	return partners, orders, nil
}

// Purchases implements Store.
func (s *PostgresStore) Purchases(ctx context.Context, user uuid.UUID, max int) ([]Purchase, error) {
	rows, err := s.q.RecommendPurchases(ctx, sqlc.RecommendPurchasesParams{UserID: user, MaxRows: int32(max)})
	if err != nil {
		return nil, postgres.Classify(err)
	}
	out := make([]Purchase, len(rows))
	for i, r := range rows {
		out[i] = Purchase{ProductID: r.ProductID, Name: r.Name, Category: r.Category, Orders: r.Orders, LastAt: r.LastAt.UTC()}
	}
	return out, nil
}

// Popular implements Store.
func (s *PostgresStore) Popular(ctx context.Context, categories []string, per int) ([]Popular, error) {
	if categories == nil {
		categories = []string{}
	}
	rows, err := s.q.RecommendPopular(ctx, sqlc.RecommendPopularParams{Categories: categories, PerCategory: int64(per)})
	if err != nil {
		return nil, postgres.Classify(err)
	}
	out := make([]Popular, len(rows))
	for i, r := range rows {
		out[i] = Popular(r)
	}
	return out, nil
}

func toProduct(r sqlc.RecommendProductsRow) Product {
	return Product{ID: r.ID, SKU: r.Sku, Name: r.Name, Description: r.Description, Category: r.Category, PriceCents: r.PriceCents,
		Currency: r.Currency, Stock: r.Stock, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// LatestReranked implements RerankStore.
func (s *PostgresStore) LatestReranked(ctx context.Context, user uuid.UUID) (Reranked, bool, error) {
	row, err := s.q.LLMRecommendationsGet(ctx, user)
	if errors.Is(err, pgx.ErrNoRows) {
		return Reranked{}, false, nil
	}
	if err != nil {
		return Reranked{}, false, postgres.Classify(err)
	}
	r := Reranked{UserID: row.UserID, Provider: row.Provider, Model: row.Model, Prompt: row.Prompt, Basis: row.Basis,
		Fallback: row.Fallback, GeneratedAt: row.GeneratedAt}
	if err := json.Unmarshal(row.Items, &r.Items); err != nil {
		return Reranked{}, false, fmt.Errorf("recommend: stored reranking of %s: %w", user, err)
	}
	return r, true, nil
}

// SaveReranked implements RerankStore.
func (s *PostgresStore) SaveReranked(ctx context.Context, r Reranked) error {
	if r.Items == nil {
		r.Items = []RerankedItem{}
	}
	items, err := json.Marshal(r.Items)
	if err != nil {
		return err
	}
	return postgres.Classify(s.q.LLMRecommendationsSave(ctx, sqlc.LLMRecommendationsSaveParams{UserID: r.UserID, Items: items,
		Provider: r.Provider, Model: r.Model, Prompt: r.Prompt, Basis: r.Basis, Fallback: r.Fallback, GeneratedAt: r.GeneratedAt}))
}
