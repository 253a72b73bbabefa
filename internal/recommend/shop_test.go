package recommend_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/catalog"
	"github.com/acme/orders/internal/orders"
	"github.com/acme/orders/internal/platform/pgtest"
	"github.com/acme/orders/internal/projection"
	"github.com/acme/orders/internal/recommend"
)

var testDB *pgtest.DB

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, "recommend", &testDB)) }

// shop is a small world built through the real services, with the co_purchase read model.
type shop struct {
	cat    *catalog.Service
	orders *orders.Service
	users  *auth.Service
	runner *projection.Runner
}

func newShop() *shop {
	return &shop{
		cat:    catalog.NewService(catalog.NewPostgresStore(testDB.Pool)),
		orders: orders.NewService(orders.NewPostgresStore(testDB.Pool)),
		users:  auth.NewService(auth.NewPostgresStore(testDB.Pool), nil, 0),
		runner: projection.NewRunner(testDB.Pool, recommend.CoPurchase{}),
	}
}

func (s *shop) product(t *testing.T, name, category string, stock int32) catalog.Product {
	t.Helper()
	p, err := s.cat.Create(context.Background(), catalog.Product{SKU: "REC-" + strings.ToUpper(uuid.NewString()[:8]), Name: name,
		Category: category, PriceCents: 1000, Currency: "USD", Stock: stock})
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

// buy places one order of one unit of each product.
func (s *shop) buy(t *testing.T, user uuid.UUID, products ...catalog.Product) orders.Order {
	t.Helper()
	lines := make([]orders.Line, len(products))
	for i, p := range products {
		lines[i] = orders.Line{ProductID: p.ID, Quantity: 1}
	}
	o, _, err := s.orders.Place(context.Background(), user, lines, "")
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func (s *shop) cancel(t *testing.T, o orders.Order) {
	t.Helper()
	if _, err := s.orders.Cancel(context.Background(), orders.Caller{Staff: true}, o.ID); err != nil {
		t.Fatal(err)
	}
}

// catchUp publishes every pending event and applies the log to co_purchase. Publication waits
// for every older transaction on the server to end, so it polls until nothing is held back.
func (s *shop) catchUp(t *testing.T) {
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
			time.Sleep(10 * time.Millisecond)
		}
	}
	for {
		p, err := s.runner.ApplyNext(ctx, recommend.ProjectionName, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if p.Parked != 0 {
			t.Fatalf("co_purchase parked %d events", p.Parked)
		}
		if p.Lag() == 0 {
			return
		}
	}
}

// count runs a COUNT(*) style query.
func count(t *testing.T, sql string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := testDB.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
