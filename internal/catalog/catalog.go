// Package catalog owns products and categories: listing with filters and sorting, and the
// staff-only changes. The Service opens one transaction per change and writes the change's
// event to the outbox in it, so both commit or neither does.
// Products are soft-deleted so that order history keeps pointing at them.
package catalog

import (
	"context"
	"fmt"
	"regexp"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/events"
	"github.com/acme/orders/internal/fault"
)

// Product is a catalogue entry. Prices are integer cents in Currency.
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

// Category is a category name and how many live products it has.
type Category struct {
	Name         string
	ProductCount int64
}

// Sorts lists the accepted sort keys; a leading '-' means descending.
var Sorts = []string{"name", "-name", "price_cents", "-price_cents", "created_at", "-created_at"}

// Filter selects a page of products.
type Filter struct {
	Query    string // substring of name, category or description, case-insensitive
	Category string
	MinPrice *int64
	MaxPrice *int64
	InStock  bool
	Sort     string // one of Sorts; empty means "name"
	Limit    int
	Offset   int
}

// Patch is a partial update: nil fields are left as they are.
type Patch struct {
	SKU         *string
	Name        *string
	Description *string
	Category    *string
	PriceCents  *int64
	Currency    *string
	Stock       *int32
}

// Errors returned by this package.
var (
	ErrNotFound     = fault.New(fault.NotFound, "product-not-found", "no such product")
	ErrDuplicateSKU = fault.New(fault.Conflict, "duplicate-sku", "a product with this SKU already exists")
)

// Store is the persistence the catalogue service needs. It runs statements and maps database
// errors to this package's errors; the Store passed to InTx's function runs every method in
// that one transaction.
type Store interface {
	// InTx runs fn with a Store bound to one new transaction (or to the one this Store is
	// already bound to), committing if fn returns nil.
	InTx(ctx context.Context, fn func(Store) error) error
	// List returns a page of live products and the number matching the filter.
	List(ctx context.Context, f Filter) ([]Product, int64, error)
	// Get returns a live product or ErrNotFound.
	Get(ctx context.Context, id uuid.UUID) (Product, error)
	// Categories returns every category with live products, sorted by name.
	Categories(ctx context.Context) ([]Category, error)
	// Insert inserts p as given (ID and timestamps included) and returns the stored row;
	// ErrDuplicateSKU on a taken SKU.
	Insert(ctx context.Context, p Product) (Product, error)
	// Update applies a patch to a live product, stamping it updated at `at`, and returns the
	// product after it; ErrNotFound, ErrDuplicateSKU.
	Update(ctx context.Context, id uuid.UUID, p Patch, at time.Time) (Product, error)
	// SoftDelete marks a live product deleted at `at` and returns its SKU; ErrNotFound if it
	// is missing or already deleted.
	SoftDelete(ctx context.Context, id uuid.UUID, at time.Time) (sku string, err error)
	// AppendEvent writes an event about the product in the store's transaction.
	AppendEvent(ctx context.Context, typ string, productID uuid.UUID, at time.Time, payload events.Payload) error
}

var (
	skuPattern      = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{0,31}$`)
	currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)
)

// MaxStock bounds stock levels far below the column's int32 range, so that returning the
// stock of cancelled orders can never overflow it.
const MaxStock = 10_000_000

// MaxPriceCents bounds prices to keep totals far from int64 overflow.
const MaxPriceCents = 100_000_000_00

func (p Patch) validate() error {
	var v fault.Validation
	if p.SKU != nil {
		v.Check(skuPattern.MatchString(*p.SKU), "sku", "must be 1 to 32 characters of A-Z, 0-9 and '-', starting with a letter or digit")
	}
	if p.Name != nil {
		n := utf8.RuneCountInString(*p.Name)
		v.Check(n >= 1 && n <= 200, "name", "must be 1 to 200 characters")
	}
	if p.Description != nil {
		v.Check(utf8.RuneCountInString(*p.Description) <= 5000, "description", "must be at most 5000 characters")
	}
	if p.Category != nil {
		n := utf8.RuneCountInString(*p.Category)
		v.Check(n >= 1 && n <= 100, "category", "must be 1 to 100 characters")
	}
	if p.PriceCents != nil {
		v.Check(*p.PriceCents >= 0 && *p.PriceCents <= MaxPriceCents, "price_cents", "must be from 0 to 10000000000")
	}
	if p.Currency != nil {
		v.Check(currencyPattern.MatchString(*p.Currency), "currency", "must be a three-letter ISO 4217 code in capitals, such as USD")
	}
	if p.Stock != nil {
		v.Check(*p.Stock >= 0 && *p.Stock <= MaxStock, "stock", fmt.Sprintf("must be from 0 to %d", MaxStock))
	}
	return v.Err()
}

// ChangedBy reports whether events of these types change what catalogue reads answer: the
// product events, and orders placed and cancelled, which move stock.
func ChangedBy(types []string) bool {
	for _, t := range types {
		switch t {
		case events.ProductCreated, events.ProductUpdated, events.ProductDeleted, events.OrderPlaced, events.OrderCancelled:
			return true
		}
	}
	return false
}
