package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/catalog"
	"github.com/acme/orders/internal/demo"
	"github.com/acme/orders/internal/fault"
	"github.com/acme/orders/internal/orders"
	"github.com/acme/orders/internal/platform/config"
)

// DemoPassword is the password of every seeded account. Seeding refuses to run in production.
const DemoPassword = "demo-password"

func seed(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	seedN := fs.Uint64("seed", 42, "random seed: the same seed gives the same catalogue, customers and orders")
	nProducts := fs.Int("products", 3000, "number of products")
	nCustomers := fs.Int("customers", 40, "number of demo customers")
	perCustomer := fs.Int("orders", 5, "average number of orders per customer (0 to twice as many each)")
	ifEmpty := fs.Bool("if-empty", false, "do nothing (and succeed) when the catalogue already has products")
	if err := fs.Parse(args); err != nil {
		return err
	}
	pool, err := connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	if cfg.Env == config.Production {
		return errors.New("seed refuses to run with APP_ENV=production: it creates accounts with a published password")
	}
	cat := catalog.NewService(catalog.NewPostgresStore(pool))
	if _, total, err := cat.List(ctx, catalog.Filter{Limit: 1}); err != nil {
		return describe(err)
	} else if total > 0 {
		if *ifEmpty {
			fmt.Printf("catalogue already has %d products; not seeding\n", total)
			return nil
		}
		return fmt.Errorf("the catalogue already has %d products; seed an empty database (or pass --if-empty)", total)
	}
	start := time.Now()
	specs := demo.Products(*seedN, *nProducts)
	products, err := seedProducts(ctx, cat, specs)
	if err != nil {
		return err
	}
	slog.Info("seeded products", "count", len(products), "elapsed", time.Since(start).Round(time.Millisecond))
	users, err := seedUsers(ctx, pool, demo.Customers(*seedN, *nCustomers))
	if err != nil {
		return err
	}
	placed, err := seedOrders(ctx, pool, products, users, demo.Orders(*seedN, specs, len(users), *perCustomer))
	if err != nil {
		return err
	}
	fmt.Printf("seeded %d products, %d customers and %d orders in %s\n", len(products), len(users), placed, time.Since(start).Round(time.Millisecond))
	fmt.Printf("sign in as admin@example.com, staff@example.com or customer@example.com with password %q\n", DemoPassword)
	return nil
}

// seedProducts creates the products through the catalogue service (so each has its
// ProductCreated event), four at a time, keeping their order.
func seedProducts(ctx context.Context, cat *catalog.Service, specs []demo.Product) ([]catalog.Product, error) {
	out := make([]catalog.Product, len(specs))
	errs := make([]error, len(specs))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				s := specs[i]
				out[i], errs[i] = cat.Create(ctx, catalog.Product{SKU: s.SKU, Name: s.Name, Description: s.Description,
					Category: s.Category, PriceCents: s.PriceCents, Currency: s.Currency, Stock: s.Stock})
			}
		}()
	}
	for i := range specs {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("product %s: %w", specs[i].SKU, describe(err))
		}
	}
	return out, nil
}

// seedUsers creates the three well-known accounts and the demo customers; it returns the
// customers' IDs, the well-known customer first.
func seedUsers(ctx context.Context, pool *pgxpool.Pool, customers []demo.Customer) ([]uuid.UUID, error) {
	svc := auth.NewService(auth.NewPostgresStore(pool), nil, 0)
	fixed := []struct {
		email, name string
		role        auth.Role
	}{
		{"admin@example.com", "Ada Admin", auth.RoleAdmin},
		{"staff@example.com", "Sam Staff", auth.RoleStaff},
		{"customer@example.com", "Casey Customer", auth.RoleCustomer},
	}
	var ids []uuid.UUID
	for _, f := range fixed {
		u, err := svc.CreateUser(ctx, auth.Registration{Email: f.email, Password: DemoPassword, Name: f.name}, f.role)
		if err != nil {
			return nil, fmt.Errorf("user %s: %w", f.email, describe(err))
		}
		if f.role == auth.RoleCustomer {
			ids = append(ids, u.ID)
		}
	}
	for _, c := range customers {
		u, err := svc.CreateUser(ctx, auth.Registration{Email: c.Email, Password: DemoPassword, Name: c.Name}, auth.RoleCustomer)
		if err != nil {
			return nil, fmt.Errorf("user %s: %w", c.Email, describe(err))
		}
		ids = append(ids, u.ID)
	}
	return ids, nil
}

// seedOrders places the planned orders through the orders service and moves some of them
// along their life cycle, deterministically by their position in the plan.
func seedOrders(ctx context.Context, pool *pgxpool.Pool, products []catalog.Product, users []uuid.UUID, plans []demo.OrderPlan) (int, error) {
	svc := orders.NewService(orders.NewPostgresStore(pool))
	staff := orders.Caller{Staff: true}
	placed := 0
	for i, plan := range plans {
		if plan.CustomerIndex >= len(users) {
			continue
		}
		lines := make([]orders.Line, len(plan.Lines))
		for j, l := range plan.Lines {
			lines[j] = orders.Line{ProductID: products[l.ProductIndex].ID, Quantity: l.Quantity}
		}
		o, _, err := svc.Place(ctx, users[plan.CustomerIndex], lines, "")
		if errors.Is(err, orders.ErrOutOfStock) {
			continue // a popular product sold out earlier in the plan
		}
		if err != nil {
			return placed, fmt.Errorf("order %d: %w", i, describe(err))
		}
		placed++
		var path []orders.Status
		switch i % 6 {
		case 0, 1:
			path = []orders.Status{orders.Paid, orders.Shipped, orders.Delivered}
		case 2:
			path = []orders.Status{orders.Paid, orders.Shipped}
		case 3:
			path = []orders.Status{orders.Paid}
		case 4:
			path = []orders.Status{orders.Cancelled}
		}
		for _, st := range path {
			if _, err := svc.SetStatus(ctx, staff, o.ID, st); err != nil {
				return placed, fmt.Errorf("order %d to %s: %w", i, st, describe(err))
			}
		}
	}
	return placed, nil
}

// describe spells out a classified error with its field messages for the terminal.
func describe(err error) error {
	var fe *fault.Error
	if !errors.As(err, &fe) || len(fe.Fields) == 0 {
		return err
	}
	parts := make([]string, len(fe.Fields))
	for i, f := range fe.Fields {
		parts[i] = f.Field + " " + f.Message
	}
	return fmt.Errorf("%s: %s", fe.Message, strings.Join(parts, "; "))
}
