package httpapi_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/ai/glove"
	"github.com/acme/orders/internal/catalog"
	"github.com/acme/orders/internal/httpapi"
	"github.com/acme/orders/internal/projection"
	"github.com/acme/orders/internal/search"
)

// TestSearchEndpoint: GET /search finds a product by a typo of its name, answers in the
// documented shape, and turns every bad parameter into one problem-details 400.
func TestSearchEndpoint(t *testing.T) {
	t.Parallel()
	words, err := glove.Default()
	if err != nil {
		t.Fatal(err)
	}
	emb := search.WordVectors{M: words}
	svc := search.NewService(search.NewPostgresStore(testDB.Pool), emb)
	svc.RefreshEvery = 0
	e := newEnv(t, func(_ *httpapi.Config, d *httpapi.Deps) { d.Search = svc })
	ctx := context.Background()
	tag := strings.ToLower(uuid.NewString()[:6])
	p, err := e.cat.Create(ctx, catalog.Product{SKU: "SRCH-" + strings.ToUpper(tag), Name: "Marbleglow Porcelain Teapot " + tag,
		Description: "A porcelain teapot with a removable infuser.", Category: "Kitchen", PriceCents: 3450, Currency: "USD", Stock: 4})
	if err != nil {
		t.Fatal(err)
	}
	// Publication waits for every older transaction on the server to end, so keep publishing
	// and applying until the product's document is in the index.
	pub, runner := projection.NewPublisher(testDB.Pool), projection.NewRunner(testDB.Pool, search.Index{Embedder: emb})
	deadline := time.Now().Add(time.Minute)
	for indexed := false; !indexed; {
		if time.Now().After(deadline) {
			t.Fatal("the product never reached the search index")
		}
		if _, _, err := pub.PublishBatch(ctx, 10000); err != nil {
			t.Fatal(err)
		}
		if _, err := runner.ApplyNext(ctx, search.ProjectionName, 10000); err != nil {
			t.Fatal(err)
		}
		if err := testDB.Pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM search_documents WHERE product_id = $1 AND embedding IS NOT NULL)", p.ID).Scan(&indexed); err != nil {
			t.Fatal(err)
		}
		if !indexed {
			time.Sleep(20 * time.Millisecond)
		}
	}

	r := e.do(req{method: "GET", path: "/api/v1/search?q=marbelglow&page_size=5&in_stock=true&category=Kitchen"})
	expectStatus(t, r, 200)
	var body struct {
		Items []struct {
			ID         uuid.UUID `json:"id"`
			Name       string    `json:"name"`
			PriceCents int64     `json:"price_cents"`
			Score      float64   `json:"score"`
			Reason     string    `json:"reason"`
		} `json:"items"`
		Provider string `json:"provider"`
	}
	r.decode(t, &body)
	if body.Provider != "local" || len(body.Items) == 0 || body.Items[0].ID != p.ID || body.Items[0].PriceCents != 3450 ||
		body.Items[0].Score <= 0 || body.Items[0].Reason == "" {
		t.Fatalf("search answered %s", r.Body)
	}

	for _, path := range []string{
		"/api/v1/search",
		"/api/v1/search?q=",
		"/api/v1/search?q=teapot&page_size=0",
		"/api/v1/search?q=teapot&page_size=101",
		"/api/v1/search?q=teapot&min_price_cents=-5",
		"/api/v1/search?q=teapot&min_price_cents=900&max_price_cents=100",
		"/api/v1/search?q=teapot&in_stock=maybe",
		"/api/v1/search?q=teapot&sort=name",
		"/api/v1/search?q=" + strings.Repeat("a", 201),
	} {
		r := e.do(req{method: "GET", path: path})
		if r.Status != 400 {
			t.Errorf("%s: status %d, want 400 (%s)", path, r.Status, r.Body)
			continue
		}
		if pr := r.problem(t); pr.Type != "urn:problem-type:orders:bad-query-parameter" || len(pr.Errors) == 0 {
			t.Errorf("%s: problem %+v", path, pr)
		}
	}
}
