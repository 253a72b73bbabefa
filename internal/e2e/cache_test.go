package e2e

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/acme/orders/internal/ai/glove"
	"github.com/acme/orders/internal/catalog"
	"github.com/acme/orders/internal/httpapi"
	"github.com/acme/orders/internal/orders"
	"github.com/acme/orders/internal/platform/cache"
	"github.com/acme/orders/internal/platform/redistest"
	"github.com/acme/orders/internal/search"
)

// TestCatalogueCacheFollowsTheWorker: an API process keeps catalogue and search answers in its
// view cache for a minute (so only an announced change can refresh them), on a Redis of its
// own shared with the worker binary. Changes made straight in the database — a price, a
// rename, an order's stock, a deletion — never bump the version themselves: the worker does,
// as it publishes their events and as the search index applies them, and the API's next
// answers show each change.
func TestCatalogueCacheFollowsTheWorker(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	srv := redistest.Start(t)
	rdb, err := cache.Open(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	views := cache.NewViews(rdb, cache.ViewsConfig{Namespace: "catalog", LocalTTL: time.Minute, RemoteTTL: time.Hour}, nil)
	listenCtx, stopListening := context.WithCancel(ctx)
	defer stopListening()
	go views.Listen(listenCtx)
	<-views.Listening()
	words, err := glove.Default()
	if err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(httpapi.New(httpapi.Config{RequestTimeout: 10 * time.Second}, httpapi.Deps{
		Auth: s.auth, Catalog: s.catalog, Orders: s.orders, Pool: s.db.Pool,
		Search: search.NewService(search.NewPostgresStore(s.db.Pool), search.WordVectors{M: words}),
		Views:  httpapi.Views{Catalog: views},
	}))
	defer api.Close()
	s.startWorker("REDIS_URL=" + srv.URL())
	sh := s.openShop(3, 2)
	waitFor(t, "the worker to catch up", time.Minute, s.caughtUp)

	p := sh.products[0]
	page := "/api/v1/products/" + p.ID.String()
	get := func(path string, v any) int {
		t.Helper()
		return fetchJSON(t, api.URL+path, "", v)
	}
	var prod struct {
		PriceCents int64 `json:"price_cents"`
		Stock      int32 `json:"stock"`
	}
	var found struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	searchGizmo := "/api/v1/search?" + url.Values{"q": {"gizmo"}}.Encode()
	for range 2 { // the second answers come from the cache
		get(page, &prod)
		get(searchGizmo, &found)
	}
	if prod.PriceCents != p.PriceCents || len(found.Items) != 0 {
		t.Fatalf("before the changes: price %d, %d hits for gizmo", prod.PriceCents, len(found.Items))
	}

	price, name := p.PriceCents+111, "Gizmo"
	if _, err := s.catalog.Update(ctx, p.ID, catalog.Patch{PriceCents: &price, Name: &name}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the new price in the cached page", 30*time.Second, func() (bool, string) {
		get(page, &prod)
		return prod.PriceCents == price, fmt.Sprintf("price %d", prod.PriceCents)
	})
	waitFor(t, "the renamed product in the cached search", 30*time.Second, func() (bool, string) {
		get(searchGizmo, &found)
		return len(found.Items) > 0 && found.Items[0].ID == p.ID.String(), fmt.Sprintf("%d hits", len(found.Items))
	})

	before := prod.Stock
	if _, _, err := s.orders.Place(ctx, sh.users[0], []orders.Line{{ProductID: p.ID, Quantity: 2}}, ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the order's stock in the cached page", 30*time.Second, func() (bool, string) {
		get(page, &prod)
		return prod.Stock == before-2, fmt.Sprintf("stock %d", prod.Stock)
	})

	if err := s.catalog.Delete(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the deletion in the cached page", 30*time.Second, func() (bool, string) {
		code := get(page, nil)
		return code == 404, fmt.Sprintf("status %d", code)
	})
}
