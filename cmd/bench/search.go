package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/acme/orders/internal/ai/glove"
	"github.com/acme/orders/internal/catalog"
	"github.com/acme/orders/internal/demo"
	"github.com/acme/orders/internal/platform/postgres"
	"github.com/acme/orders/internal/projection"
	"github.com/acme/orders/internal/search"
)

// searchPhase measures GET /api/v1/search on the demo catalogue `ctl seed` makes (seed 42,
// 3,000 products), in a database of its own with the search index brought up to date: the
// judged queries of the search suite, drawn at random, at o.searchConcurrency clients.
func searchPhase(ctx context.Context, o options) error {
	urls, err := searchURLs(o.searchQueries)
	if err != nil {
		return err
	}
	db, err := demoCatalogue(ctx, o, "search")
	if err != nil {
		return err
	}
	if !o.keep {
		defer db.drop()
	}
	api, err := startAPI(ctx, o, db.url) // the API phases' pool of o.concurrency connections
	if err != nil {
		return err
	}
	defer api.stop()
	so := o
	so.concurrency = o.searchConcurrency
	res := drive(ctx, so, api.base, func(r *rand.Rand) (*http.Request, int) {
		req, _ := http.NewRequest("GET", urls[r.IntN(len(urls))], nil)
		return req, http.StatusOK
	})
	fmt.Println(res.report("GET  /api/v1/search"))
	fmt.Printf("  (%d clients, %d judged queries drawn at random, API pool of %d connections; goal p99 < 50 ms)\n",
		so.concurrency, len(urls), o.concurrency)
	return nil
}

// searchURLs turns the judged queries into request paths, filters included.
func searchURLs(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("judged queries (run from the repository root): %w", err)
	}
	var file struct {
		Queries []struct {
			Q        string `json:"q"`
			Category string `json:"category"`
			MinPrice *int64 `json:"min_price_cents"`
			MaxPrice *int64 `json:"max_price_cents"`
			InStock  bool   `json:"in_stock"`
		} `json:"queries"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(file.Queries) == 0 {
		return nil, errors.New(path + ": no queries")
	}
	urls := make([]string, len(file.Queries))
	for i, q := range file.Queries {
		v := url.Values{"q": {q.Q}}
		if q.Category != "" {
			v.Set("category", q.Category)
		}
		if q.MinPrice != nil {
			v.Set("min_price_cents", strconv.FormatInt(*q.MinPrice, 10))
		}
		if q.MaxPrice != nil {
			v.Set("max_price_cents", strconv.FormatInt(*q.MaxPrice, 10))
		}
		if q.InStock {
			v.Set("in_stock", "true")
		}
		urls[i] = "/api/v1/search?" + v.Encode()
	}
	return urls, nil
}

// demoCatalogue creates a database of its own for a phase and seeds it (seedSearchCatalogue).
func demoCatalogue(ctx context.Context, o options, phase string) (*benchDB, error) {
	db := &benchDB{name: fmt.Sprintf("orders_bench_%s_%d", phase, time.Now().Unix()), server: o.serverURL}
	var err error
	if db.url, err = databaseURL(o.serverURL, db.name); err != nil {
		return nil, err
	}
	if _, err := postgres.EnsureDatabase(ctx, db.url); err != nil {
		return nil, err
	}
	start := time.Now()
	if err := seedSearchCatalogue(ctx, db.url); err != nil {
		db.drop()
		return nil, fmt.Errorf("%s: demo catalogue: %w", phase, err)
	}
	fmt.Printf("%s: demo catalogue seeded and indexed in %s\n", phase, time.Since(start).Round(time.Millisecond))
	return db, nil
}

// seedSearchCatalogue migrates the database, creates the demo products through the catalogue
// service (each with its ProductCreated event, as `ctl seed` does), publishes the events and
// applies them to the search index, then vacuums so that the measurement starts from settled
// tables and indexes.
func seedSearchCatalogue(ctx context.Context, dbURL string) error {
	pool, err := postgres.Open(ctx, dbURL, postgres.Options{MaxConns: 8})
	if err != nil {
		return err
	}
	defer pool.Close()
	if _, err := postgres.Migrate(ctx, pool); err != nil {
		return err
	}
	cat := catalog.NewService(catalog.NewPostgresStore(pool))
	specs := demo.Products(42, 3000)
	errs := make(chan error, len(specs))
	next := make(chan demo.Product)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for s := range next {
				_, err := cat.Create(ctx, catalog.Product{SKU: s.SKU, Name: s.Name, Description: s.Description,
					Category: s.Category, PriceCents: s.PriceCents, Currency: s.Currency, Stock: s.Stock})
				errs <- err
			}
		})
	}
	for _, s := range specs {
		next <- s
	}
	close(next)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	if err := indexCatalogue(ctx, pool); err != nil {
		return err
	}
	_, err = pool.Exec(ctx, "VACUUM ANALYZE")
	return err
}

// indexCatalogue publishes every pending event and applies the search index up to the last.
func indexCatalogue(ctx context.Context, pool *pgxpool.Pool) error {
	words, err := glove.Default()
	if err != nil {
		return err
	}
	if err := projection.NewPublisher(pool).PublishAll(ctx, 20000); err != nil {
		return err
	}
	return projection.NewRunner(pool, search.Index{Embedder: search.WordVectors{M: words}}).ApplyAll(ctx, "", 5000)
}

// databaseURL is server's URL with the database name replaced.
func databaseURL(server, name string) (string, error) {
	u, err := url.Parse(server)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}
