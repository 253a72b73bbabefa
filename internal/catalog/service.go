package catalog

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/events"
	"github.com/acme/orders/internal/fault"
)

// Service is the catalogue's use cases.
type Service struct {
	store Store
	now   func() time.Time
}

// Option configures a Service.
type Option func(*Service)

// WithClock makes the Service read the time from now instead of time.Now.
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// NewService returns a Service over store.
func NewService(store Store, opts ...Option) *Service {
	s := &Service{store: store, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	return s
}

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

// at is the time a change made now is stamped with, at the database's precision.
func (s *Service) at() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// Create validates and inserts a product, and writes its ProductCreated event in the same
// transaction. Returns a validation error naming each bad field, or ErrDuplicateSKU; on any
// error nothing is written.
func (s *Service) Create(ctx context.Context, p Product) (Product, error) {
	p.SKU, p.Name, p.Category = strings.TrimSpace(p.SKU), strings.TrimSpace(p.Name), strings.TrimSpace(p.Category)
	patch := Patch{SKU: &p.SKU, Name: &p.Name, Description: &p.Description, Category: &p.Category,
		PriceCents: &p.PriceCents, Currency: &p.Currency, Stock: &p.Stock}
	if err := patch.validate(); err != nil {
		return Product{}, err
	}
	var out Product
	err := s.store.InTx(ctx, func(tx Store) error {
		p.ID = uuid.Must(uuid.NewV7())
		p.CreatedAt = s.at()
		p.UpdatedAt = p.CreatedAt
		created, err := tx.Insert(ctx, p)
		if err != nil {
			return err
		}
		out = created
		return tx.AppendEvent(ctx, events.ProductCreated, created.ID, created.UpdatedAt, events.ProductCreatedV1(productPayload(created)))
	})
	if err != nil {
		return Product{}, err
	}
	return out, nil
}

// Update validates and applies a partial update, and writes ProductUpdated with the whole
// product after it in the same transaction. An empty patch is a validation error; returns
// ErrNotFound or ErrDuplicateSKU as well. On any error nothing is written.
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
	var out Product
	err := s.store.InTx(ctx, func(tx Store) error {
		updated, err := tx.Update(ctx, id, p, s.at())
		if err != nil {
			return err
		}
		out = updated
		return tx.AppendEvent(ctx, events.ProductUpdated, updated.ID, updated.UpdatedAt, events.ProductUpdatedV1(productPayload(updated)))
	})
	if err != nil {
		return Product{}, err
	}
	return out, nil
}

// Delete soft-deletes a product and writes ProductDeleted in the same transaction; ErrNotFound
// if it is missing or already deleted.
func (s *Service) Delete(ctx context.Context, id uuid.UUID) error {
	return s.store.InTx(ctx, func(tx Store) error {
		at := s.at()
		sku, err := tx.SoftDelete(ctx, id, at)
		if err != nil {
			return err
		}
		return tx.AppendEvent(ctx, events.ProductDeleted, id, at, events.ProductDeletedV1{ProductID: id, SKU: sku})
	})
}

// productPayload is the whole product, as ProductCreated and ProductUpdated carry it.
func productPayload(p Product) events.ProductV1 {
	return events.ProductV1{ProductID: p.ID, SKU: p.SKU, Name: p.Name, Description: p.Description, Category: p.Category,
		PriceCents: p.PriceCents, Currency: p.Currency, Stock: p.Stock, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}
