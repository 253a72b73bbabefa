// Package recommend suggests products: "similar products" for a product page, and
// recommendations for a signed-in customer.
//
// Three signals are blended, each explainable in words:
//   - bought together: the co_purchase read model (CoPurchase) counts, for every two products,
//     the live orders that held both; two products are close when the damped cosine
//     co(i,j) / (sqrt(n_i·n_j) + λ) is high, n_i being the orders that held i. The damping λ
//     keeps a single shared order between two rarely sold products from looking certain;
//   - similar content: the cosine similarity of the products' embeddings in the search index
//     (a ContentIndex), so a new product with no sales still has neighbours;
//   - popularity: the most ordered products, in the customer's categories (or overall for a
//     customer who has not ordered yet).
//
// The scorers (ScoreSimilar, ScoreForUser) are pure functions of plain inputs, so the offline
// evaluation runs exactly the code the API runs, on counts computed from training orders. The
// read model follows the event log a moment behind: an order counts once its events are
// applied.
package recommend

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/fault"
)

// Product is a catalogue entry as recommendations show it.
type Product struct {
	ID          uuid.UUID
	SKU         string
	Name        string
	Description string
	Category    string
	PriceCents  int64
	Currency    string
	Stock       int32
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Item is one suggested product: its score in [0, 1], the signals behind it (strongest first)
// and the same in words.
type Item struct {
	Product Product
	Score   float64
	Signals []string
	Reason  string
}

// Recommendations are a customer's suggestions and where they come from.
type Recommendations struct {
	Items       []Item
	Source      string // SourceLocal: scored here from the read model
	Provider    string // what produced them: "local"
	GeneratedAt time.Time
	// Refreshing says that a language model's ordering is being made for the customer in the
	// background: asking again in a few seconds may return it.
	Refreshing bool
}

// Where recommendations come from.
const (
	SourceLocal   = "local" // scored in process by ScoreForUser
	ProviderLocal = "local"
)

// Purchase is a product a customer bought, as the recommender sees it.
type Purchase struct {
	ProductID uuid.UUID
	Name      string
	Category  string
	Orders    int64     // the customer's live orders that held it
	LastAt    time.Time // when the latest of them was placed
}

// Partner is a product bought together with another one.
type Partner struct {
	ID       uuid.UUID
	Together int64 // live orders that held both
	Orders   int64 // live orders that held the partner (its n_j)
}

// Popular is a much-ordered product.
type Popular struct {
	ID       uuid.UUID
	Category string
	Orders   int64 // live orders that held it
}

// Filter narrows the products a Store returns.
type Filter struct {
	InStock     bool       // only products in stock
	NotBoughtBy *uuid.UUID // leave out what this customer bought
}

// Store is what recommendations read from PostgreSQL: the co_purchase read model and the
// live catalogue.
type Store interface {
	// Product returns the live product with id, or ErrProductNotFound.
	Product(ctx context.Context, id uuid.UUID) (Product, error)
	// Products returns the live products among ids that pass f, by ID.
	Products(ctx context.Context, ids []uuid.UUID, f Filter) (map[uuid.UUID]Product, error)
	// Partners returns, for each of ids that was ever ordered, its partners most often bought
	// with it first (at most per each), and how many orders held it.
	Partners(ctx context.Context, ids []uuid.UUID, per int) (map[uuid.UUID][]Partner, map[uuid.UUID]int64, error)
	// Purchases returns what user bought in live orders, most recent first, at most max.
	Purchases(ctx context.Context, user uuid.UUID, max int) ([]Purchase, error)
	// Popular returns the most ordered live products in stock: the first per of each of
	// categories, or overall when categories is empty.
	Popular(ctx context.Context, categories []string, per int) ([]Popular, error)
}

// ContentIndex finds products whose content is alike; the search index implements it.
type ContentIndex interface {
	// Related returns up to k products most like product id, with their cosine similarity;
	// none when the index does not hold the product.
	Related(ctx context.Context, id uuid.UUID, k int) (map[uuid.UUID]float32, error)
}

// Errors returned by this package.
var (
	// ErrProductNotFound is returned for a product that does not exist or was deleted.
	ErrProductNotFound = fault.New(fault.NotFound, "product-not-found", "no such product")
)

// errLimit is the validation error for a list size outside 1..max.
func errLimit(max int) error {
	return fault.ErrBadQuery.WithFields(fault.FieldError{Field: "page_size", Message: fmt.Sprintf("must be from 1 to %d", max)})
}
