// Package catalog owns products and categories: listing with filters and sorting, and the
// staff-only changes, each of which writes its event to the outbox in the same transaction.
// Products are soft-deleted so that order history keeps pointing at them.
package catalog

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

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

// Store is the persistence the catalogue service needs.
type Store interface {
	// List returns a page of live products and the number matching the filter.
	List(ctx context.Context, f Filter) ([]Product, int64, error)
	// Get returns a live product or ErrNotFound.
	Get(ctx context.Context, id uuid.UUID) (Product, error)
	// Create inserts a product and its ProductCreated event; ErrDuplicateSKU on a taken SKU.
	Create(ctx context.Context, p Product) (Product, error)
	// Update applies a patch and writes ProductUpdated; ErrNotFound, ErrDuplicateSKU.
	Update(ctx context.Context, id uuid.UUID, p Patch) (Product, error)
	// Delete soft-deletes and writes ProductDeleted; ErrNotFound if missing or already deleted.
	Delete(ctx context.Context, id uuid.UUID) error
	Categories(ctx context.Context) ([]Category, error)
}

// Service is the catalogue's use cases.
type Service struct{ store Store }

// NewService returns a Service over store.
func NewService(store Store) *Service { return &Service{store: store} }

// List returns a page of products; fault.ErrBadQuery for an unknown sort, a negative or
// inverted price range, or an overlong query.
func (s *Service) List(ctx context.Context, f Filter) ([]Product, int64, error) {
	if f.Sort == "" {
		f.Sort = "name"
	}
	var v fault.Validation
	v.Check(validSort(f.Sort), "sort", "must be one of "+strings.Join(Sorts, ", "))
	v.Check(f.MinPrice == nil || *f.MinPrice >= 0, "min_price_cents", "must be zero or more")
	v.Check(f.MaxPrice == nil || *f.MaxPrice >= 0, "max_price_cents", "must be zero or more")
	v.Check(f.MinPrice == nil || f.MaxPrice == nil || *f.MinPrice <= *f.MaxPrice, "max_price_cents", "must not be below min_price_cents")
	v.Check(utf8.RuneCountInString(f.Query) <= 200, "q", "must be at most 200 characters")
	if err := v.ErrAs(fault.ErrBadQuery); err != nil {
		return nil, 0, err
	}
	f.Query = strings.TrimSpace(f.Query)
	return s.store.List(ctx, f)
}

func validSort(s string) bool {
	for _, k := range Sorts {
		if k == s {
			return true
		}
	}
	return false
}

// Get returns a live product or ErrNotFound.
func (s *Service) Get(ctx context.Context, id uuid.UUID) (Product, error) {
	return s.store.Get(ctx, id)
}

// Categories returns every category with live products, sorted by name.
func (s *Service) Categories(ctx context.Context) ([]Category, error) { return s.store.Categories(ctx) }

// Create validates and inserts a product; validation errors name each bad field.
func (s *Service) Create(ctx context.Context, p Product) (Product, error) {
	p.SKU, p.Name, p.Category = strings.TrimSpace(p.SKU), strings.TrimSpace(p.Name), strings.TrimSpace(p.Category)
	patch := Patch{SKU: &p.SKU, Name: &p.Name, Description: &p.Description, Category: &p.Category,
		PriceCents: &p.PriceCents, Currency: &p.Currency, Stock: &p.Stock}
	if err := patch.validate(); err != nil {
		return Product{}, err
	}
	p.ID = uuid.Must(uuid.NewV7())
	return s.store.Create(ctx, p)
}

// Update validates and applies a partial update; an empty patch is a validation error.
func (s *Service) Update(ctx context.Context, id uuid.UUID, p Patch) (Product, error) {
	for _, f := range []*string{p.SKU, p.Name, p.Category} {
		if f != nil {
			*f = strings.TrimSpace(*f)
		}
	}
	if p == (Patch{}) {
		return Product{}, fault.ErrValidation.WithMessage("the patch changes nothing; send at least one field")
	}
	if err := p.validate(); err != nil {
		return Product{}, err
	}
	return s.store.Update(ctx, id, p)
}

// Delete soft-deletes a product; ErrNotFound if it is missing or already deleted.
func (s *Service) Delete(ctx context.Context, id uuid.UUID) error { return s.store.Delete(ctx, id) }

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
