package orders

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/events"
	"github.com/acme/orders/internal/fault"
)

// Service is the orders use cases.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns a Service over store.
func NewService(store Store) *Service { return &Service{store: store, now: time.Now} }

// errReplay ends a transaction whose Idempotency-Key was already used, so that it rolls back.
var errReplay = errors.New("idempotent replay")

// Place creates an order for userID. With a non-empty idempotency key, a repeat of the same
// request returns the first order and created=false, and nothing is written. Returns a
// validation error for bad lines, ErrUnknownProduct, ErrMixedCurrencies, ErrOutOfStock (with
// the short lines in its fields) or ErrIdempotencyMismatch; on any error nothing is written.
func (s *Service) Place(ctx context.Context, userID uuid.UUID, lines []Line, key string) (Order, bool, error) {
	lines, err := normalizeLines(lines)
	if err != nil {
		return Order{}, false, err
	}
	if len(key) > MaxKeyLen || !printable(key) {
		return Order{}, false, fault.ErrValidation.WithFields(fault.FieldError{Field: "Idempotency-Key", Message: "must be 1 to 255 printable ASCII characters"})
	}
	hash := requestHash(lines)
	var o Order
	var replayID uuid.UUID
	err = s.store.InTx(ctx, func(tx Store) error {
		// The transaction may run again after a deadlock or serialization failure: build the
		// order afresh each time, so nothing of a failed attempt carries over.
		o = Order{ID: uuid.Must(uuid.NewV7()), UserID: userID, Status: Placed, CreatedAt: s.now().UTC().Truncate(time.Microsecond)}
		o.UpdatedAt = o.CreatedAt
		claimed, reserved, err := tx.Reserve(ctx, Claim{UserID: userID, Key: key, RequestHash: hash, OrderID: o.ID}, lines)
		if err != nil {
			return err
		}
		if !claimed {
			firstHash, firstID, err := tx.IdempotencyKey(ctx, userID, key)
			if err != nil {
				return err
			}
			if !bytes.Equal(firstHash, hash) {
				return ErrIdempotencyMismatch
			}
			replayID = firstID
			return errReplay
		}
		if len(reserved) != len(lines) {
			return s.explainShortfall(ctx, tx, lines, reserved)
		}
		if err := o.fill(lines, reserved); err != nil {
			return err
		}
		return tx.Insert(ctx, o)
	})
	if errors.Is(err, errReplay) {
		first, err := s.store.Get(ctx, replayID)
		return first, false, err
	}
	if err != nil {
		return Order{}, false, err
	}
	return o, true, nil
}

// normalizeLines validates the lines and merges repeats of one product, sorted by product ID
// so that concurrent orders lock rows in the same order.
func normalizeLines(lines []Line) ([]Line, error) {
	var v fault.Validation
	v.Check(len(lines) >= 1 && len(lines) <= MaxLines, "items", fmt.Sprintf("must hold 1 to %d items", MaxLines))
	merged := map[uuid.UUID]int64{}
	for i, l := range lines {
		v.Check(l.ProductID != uuid.Nil, fmt.Sprintf("items[%d].product_id", i), "is required")
		v.Check(l.Quantity >= 1 && l.Quantity <= MaxQuantity, fmt.Sprintf("items[%d].quantity", i), fmt.Sprintf("must be 1 to %d", MaxQuantity))
		merged[l.ProductID] += int64(l.Quantity)
	}
	out := make([]Line, 0, len(merged))
	for id, q := range merged {
		v.Check(q <= MaxQuantity, "items", fmt.Sprintf("product %s is ordered more than %d times in total", id, MaxQuantity))
		out = append(out, Line{ProductID: id, Quantity: int32(min(q, MaxQuantity))})
	}
	slices.SortFunc(out, func(a, b Line) int { return bytes.Compare(a.ProductID[:], b.ProductID[:]) })
	return out, v.Err()
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// requestHash identifies an order request by its normalized lines.
func requestHash(lines []Line) []byte {
	h := sha256.New()
	for _, l := range lines {
		h.Write(l.ProductID[:])
		_ = binary.Write(h, binary.BigEndian, l.Quantity)
	}
	return h.Sum(nil)
}

// explainShortfall turns a partial reservation into the error that says which lines failed.
func (s *Service) explainShortfall(ctx context.Context, tx Store, lines []Line, reserved []Reserved) error {
	ok := map[uuid.UUID]bool{}
	for _, r := range reserved {
		ok[r.ProductID] = true
	}
	var missing []uuid.UUID
	for _, l := range lines {
		if !ok[l.ProductID] {
			missing = append(missing, l.ProductID)
		}
	}
	avail, err := tx.Availability(ctx, missing)
	if err != nil {
		return err
	}
	var unknown, short []fault.FieldError
	for _, id := range missing {
		a, found := avail[id]
		if !found || a.Deleted {
			unknown = append(unknown, fault.FieldError{Field: "items", Message: fmt.Sprintf("product %s does not exist or is no longer sold", id)})
			continue
		}
		short = append(short, fault.FieldError{Field: "items", Message: fmt.Sprintf("product %s has only %d in stock", id, a.Stock)})
	}
	if len(unknown) > 0 {
		return ErrUnknownProduct.WithFields(unknown...)
	}
	return ErrOutOfStock.WithFields(short...)
}

// fill sets the order's items, total and currency from the reserved lines' catalogue prices.
func (o *Order) fill(lines []Line, reserved []Reserved) error {
	byID := make(map[uuid.UUID]Reserved, len(reserved))
	for _, r := range reserved {
		byID[r.ProductID] = r
	}
	o.Items = make([]Item, 0, len(lines))
	for i, l := range lines {
		r := byID[l.ProductID]
		if i == 0 {
			o.Currency = r.Currency
		} else if r.Currency != o.Currency {
			return ErrMixedCurrencies
		}
		line := r.PriceCents * int64(l.Quantity)
		if r.PriceCents != 0 && line/r.PriceCents != int64(l.Quantity) || o.TotalCents > math.MaxInt64-line {
			return fault.ErrValidation.WithMessage("the order total is too large")
		}
		o.TotalCents += line
		o.Items = append(o.Items, Item{ProductID: l.ProductID, SKU: r.SKU, Name: r.Name, Quantity: l.Quantity, UnitPriceCents: r.PriceCents})
	}
	return nil
}

// PurgeIdempotencyKeys forgets Idempotency-Keys older than ttl: a retry after that places a
// new order. It returns how many keys it removed.
func (s *Service) PurgeIdempotencyKeys(ctx context.Context, ttl time.Duration) (int64, error) {
	return s.store.DeleteIdempotencyKeysBefore(ctx, s.now().Add(-ttl))
}

// Get returns an order the caller may see; ErrNotFound if it is missing or belongs to another
// customer (whether it exists is not revealed).
func (s *Service) Get(ctx context.Context, c Caller, id uuid.UUID) (Order, error) {
	o, err := s.store.Get(ctx, id)
	if err != nil {
		return Order{}, err
	}
	if !c.Staff && o.UserID != c.UserID {
		return Order{}, ErrNotFound
	}
	return o, nil
}

// Cancel moves the caller's placed order to cancelled and returns its stock. Returns
// ErrNotFound as Get does, and ErrInvalidTransition unless the order is placed.
func (s *Service) Cancel(ctx context.Context, c Caller, id uuid.UUID) (Order, error) {
	return s.move(ctx, c, id, Cancelled, []Status{Placed})
}

// SetStatus moves an order along placed → paid → shipped → delivered, or to cancelled from
// placed or paid (returning its stock). Only staff may call it. Returns a validation error for
// an unknown status, ErrNotFound, or ErrInvalidTransition.
func (s *Service) SetStatus(ctx context.Context, c Caller, id uuid.UUID, to Status) (Order, error) {
	if !c.Staff {
		return Order{}, fault.ErrForbidden
	}
	from, ok := transitions[to]
	if !to.Valid() {
		return Order{}, fault.ErrValidation.WithFields(fault.FieldError{Field: "status", Message: "must be one of placed, paid, shipped, delivered, cancelled"})
	}
	if !ok {
		return Order{}, ErrInvalidTransition.WithMessage("no order can move back to %s", to)
	}
	return s.move(ctx, c, id, to, from)
}

func (s *Service) move(ctx context.Context, c Caller, id uuid.UUID, to Status, from []Status) (Order, error) {
	current, err := s.Get(ctx, c, id)
	if err != nil {
		return Order{}, err
	}
	var out Order
	err = s.store.InTx(ctx, func(tx Store) error {
		o, ok, err := tx.Transition(ctx, id, from, to)
		if err != nil {
			return err
		}
		if !ok {
			if latest, err := tx.Get(ctx, id); err == nil {
				current = latest
			}
			return ErrInvalidTransition.WithMessage("the order is %s and cannot move to %s", current.Status, to)
		}
		o.Items = current.Items
		out = o
		if to == Cancelled {
			if err := tx.ReleaseStock(ctx, id); err != nil {
				return err
			}
			return tx.AppendEvent(ctx, events.OrderCancelled, id, o.UpdatedAt, cancelledPayload(o, current.Status))
		}
		return tx.AppendEvent(ctx, events.OrderStatusChanged, id, o.UpdatedAt, statusChangedPayload(o, current.Status))
	})
	return out, err
}
