package readmodel_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/catalog"
	"github.com/acme/orders/internal/orders"
	"github.com/acme/orders/internal/projection"
	"github.com/acme/orders/internal/readmodel"
)

// shop is a small world built through the real services.
type shop struct {
	cat    *catalog.Service
	orders *orders.Service
	users  *auth.Service
}

func newShop() *shop {
	return &shop{
		cat:    catalog.NewService(catalog.NewPostgresStore(testDB.Pool)),
		orders: orders.NewService(orders.NewPostgresStore(testDB.Pool)),
		users:  auth.NewService(auth.NewPostgresStore(testDB.Pool), nil, 0),
	}
}

func (s *shop) product(t *testing.T, name string, price int64) catalog.Product {
	t.Helper()
	p, err := s.cat.Create(context.Background(), catalog.Product{SKU: "RM-" + strings.ToUpper(uuid.NewString()[:8]), Name: name,
		Category: "Tests", PriceCents: price, Currency: "EUR", Stock: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (s *shop) customer(t *testing.T) uuid.UUID {
	t.Helper()
	u, err := s.users.CreateUser(context.Background(), auth.Registration{Email: uuid.NewString()[:12] + "@example.com", Password: "long enough", Name: "C"}, auth.RoleCustomer)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

func (s *shop) place(t *testing.T, user uuid.UUID, lines ...orders.Line) orders.Order {
	t.Helper()
	o, _, err := s.orders.Place(context.Background(), user, lines, "")
	if err != nil {
		t.Fatal(err)
	}
	return o
}

var staff = orders.Caller{Staff: true}

func runner() *projection.Runner {
	return projection.NewRunner(testDB.Pool, readmodel.OrderHistory{}, readmodel.ProductSales{})
}

// catchUp publishes every pending event and applies the log to both read models.
func catchUp(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	pub := projection.NewPublisher(testDB.Pool)
	for {
		round, err := pub.Publish(ctx, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if round.Published == 0 && round.HeldBack == 0 {
			break
		}
		if round.Published == 0 {
			time.Sleep(10 * time.Millisecond) // held back by a transaction elsewhere on the server
		}
	}
	r := runner()
	for _, name := range r.Names() {
		for {
			p, err := r.ApplyNext(ctx, name, 1000)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if p.Parked != 0 {
				t.Fatalf("%s parked %d events: the read model cannot read them", name, p.Parked)
			}
			if p.Lag() == 0 {
				break
			}
		}
	}
}
