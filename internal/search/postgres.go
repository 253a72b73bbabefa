package search

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/acme/orders/db/sqlc"
)

// PostgresStore is the Store on the search_documents read model and the products table.
type PostgresStore struct {
	pool *pgxpool.Pool
	q    *sqlc.Queries
}

// NewPostgresStore returns a Store over pool.
func NewPostgresStore(pool *pgxpool.Pool) *PostgresStore {
	return &PostgresStore{pool: pool, q: sqlc.New(pool)}
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// FullText implements Store.
func (s *PostgresStore) FullText(ctx context.Context, q Query, fieldWeights [4]float32, max int) ([]Ranked, error) {
	rows, err := s.q.SearchFullText(ctx, sqlc.SearchFullTextParams{Query: q.Text, AnyWords: anyWords(q.Text), Weights: fieldWeights[:],
		Category: optional(q.Category), MinPrice: q.MinPrice, MaxPrice: q.MaxPrice, InStock: q.InStock, MaxRows: int32(max)})
	if err != nil {
		return nil, err
	}
	out := make([]Ranked, len(rows))
	for i, r := range rows {
		out[i] = Ranked{r.ID, r.Rank}
	}
	return out, nil
}

// anyWords is text as a to_tsquery expression that matches any of its words: its runs of
// letters and digits joined by |. Nothing else of the text reaches the expression, so it
// always parses.
func anyWords(text string) string {
	words := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	return strings.Join(words, " | ")
}

// Trigram implements Store. The threshold is set for one read-only transaction, so that the
// <<% operator, which the trigram index serves, applies it.
func (s *PostgresStore) Trigram(ctx context.Context, q Query, threshold float32, max int) ([]Ranked, error) {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	qtx := s.q.WithTx(tx)
	if err := qtx.SearchSetTrigramThreshold(ctx, strconv.FormatFloat(float64(threshold), 'f', -1, 32)); err != nil {
		return nil, err
	}
	rows, err := qtx.SearchTrigram(ctx, sqlc.SearchTrigramParams{Query: q.Text, Category: optional(q.Category),
		MinPrice: q.MinPrice, MaxPrice: q.MaxPrice, InStock: q.InStock, MaxRows: int32(max)})
	if err != nil {
		return nil, err
	}
	out := make([]Ranked, len(rows))
	for i, r := range rows {
		out[i] = Ranked{r.ID, r.Similarity}
	}
	return out, nil
}

// Products implements Store.
func (s *PostgresStore) Products(ctx context.Context, ids []uuid.UUID, q Query) (map[uuid.UUID]Product, error) {
	rows, err := s.q.SearchFilterProducts(ctx, sqlc.SearchFilterProductsParams{Ids: ids, Category: optional(q.Category),
		MinPrice: q.MinPrice, MaxPrice: q.MaxPrice, InStock: q.InStock})
	if err != nil {
		return nil, err
	}
	out := make(map[uuid.UUID]Product, len(rows))
	for _, r := range rows {
		out[r.ID] = Product{ID: r.ID, SKU: r.Sku, Name: r.Name, Description: r.Description, Category: r.Category,
			PriceCents: r.PriceCents, Currency: r.Currency, Stock: r.Stock, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	}
	return out, nil
}

// VectorsVersion implements Store.
func (s *PostgresStore) VectorsVersion(ctx context.Context) (string, error) {
	r, err := s.q.SearchVectorsVersion(ctx)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d/%d/%d/%d", r.Documents, r.Embedded, r.Position, r.PositionSum), nil
}

// LoadVectors implements Store.
func (s *PostgresStore) LoadVectors(ctx context.Context, model string) ([]Item, error) {
	rows, err := s.q.SearchLoadVectors(ctx, model)
	if err != nil {
		return nil, err
	}
	return decodeItems(rows, func(r sqlc.SearchLoadVectorsRow) (uuid.UUID, string, []byte) {
		return r.ProductID, r.Category, r.Embedding
	})
}

// decodeItems turns stored embeddings into Items, whatever query read them.
func decodeItems[Row any](rows []Row, fields func(Row) (id uuid.UUID, category string, embedding []byte)) ([]Item, error) {
	out := make([]Item, 0, len(rows))
	for _, r := range rows {
		id, category, embedding := fields(r)
		v, err := DecodeVector(embedding)
		if err != nil {
			return nil, err
		}
		out = append(out, Item{ID: id, Category: category, Vector: v})
	}
	return out, nil
}

// RemoteVectorsVersion implements Store.
func (s *PostgresStore) RemoteVectorsVersion(ctx context.Context, model string) (string, int64, int64, error) {
	r, err := s.q.EmbeddingsRemoteVersion(ctx, model)
	if err != nil {
		return "", 0, 0, err
	}
	return fmt.Sprintf("%d/%d/%d/%d", r.Documents, r.Current, r.PositionSum, r.Latest.UnixMicro()), r.Documents, r.Current, nil
}

// LoadRemoteVectors implements Store.
func (s *PostgresStore) LoadRemoteVectors(ctx context.Context, model string) ([]Item, error) {
	rows, err := s.q.EmbeddingsLoadRemote(ctx, model)
	if err != nil {
		return nil, err
	}
	return decodeItems(rows, func(r sqlc.EmbeddingsLoadRemoteRow) (uuid.UUID, string, []byte) {
		return r.ProductID, r.Category, r.Embedding
	})
}
