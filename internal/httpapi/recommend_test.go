package httpapi_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/ai/glove"
	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/catalog"
	"github.com/acme/orders/internal/httpapi"
	"github.com/acme/orders/internal/projection"
	"github.com/acme/orders/internal/recommend"
	"github.com/acme/orders/internal/search"
)

// suggestion is an item of GET /products/{id}/similar and GET /recommendations.
type suggestion struct {
	ID     uuid.UUID `json:"id"`
	Name   string    `json:"name"`
	Stock  int32     `json:"stock"`
	Score  float64   `json:"score"`
	Reason string    `json:"reason"`
}

type suggestionsBody struct {
	Items       []suggestion `json:"items"`
	Source      string       `json:"source"`
	Provider    string       `json:"provider"`
	GeneratedAt time.Time    `json:"generated_at"`
}

func (b suggestionsBody) ids() []uuid.UUID {
	out := make([]uuid.UUID, len(b.Items))
	for i, it := range b.Items {
		out[i] = it.ID
	}
	return out
}

// recsEnv is the API with search and recommendations, and the projections behind them.
type recsEnv struct {
	*env
	runner *projection.Runner
}

func newRecsEnv(t *testing.T) *recsEnv {
	t.Helper()
	words, err := glove.Default()
	if err != nil {
		t.Fatal(err)
	}
	emb := search.WordVectors{M: words}
	searcher := search.NewService(search.NewPostgresStore(testDB.Pool), emb)
	searcher.RefreshEvery = 0
	rec := recommend.NewService(recommend.NewPostgresStore(testDB.Pool), searcher)
	e := newEnv(t, func(_ *httpapi.Config, d *httpapi.Deps) { d.Search, d.Recommend = searcher, rec })
	return &recsEnv{env: e, runner: projection.NewRunner(testDB.Pool, search.Index{Embedder: emb}, recommend.CoPurchase{})}
}

// settle publishes events and applies them to the search index and co_purchase until done
// holds. Publication waits for every older transaction on the server, so it polls.
func (e *recsEnv) settle(done func() bool) {
	e.t.Helper()
	ctx := context.Background()
	pub := projection.NewPublisher(testDB.Pool)
	for deadline := time.Now().Add(time.Minute); !done(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			e.t.Fatal("the read models never caught up")
		}
		if _, _, err := pub.PublishBatch(ctx, 10000); err != nil {
			e.t.Fatal(err)
		}
		for _, name := range e.runner.Names() {
			if _, err := e.runner.ApplyNext(ctx, name, 10000); err != nil {
				e.t.Fatal(err)
			}
		}
	}
}

func (e *recsEnv) get(path, token string) suggestionsBody {
	e.t.Helper()
	r := e.do(req{method: "GET", path: path, token: token})
	expectStatus(e.t, r, 200)
	var b suggestionsBody
	r.decode(e.t, &b)
	return b
}

func (e *recsEnv) product(name, category string, stock int32) catalog.Product {
	e.t.Helper()
	p, err := e.cat.Create(context.Background(), catalog.Product{SKU: "RC-" + strings.ToUpper(uuid.NewString()[:12]), Name: name,
		Description: "A " + strings.ToLower(name) + " for the tests.", Category: category, PriceCents: 2500, Currency: "USD", Stock: stock})
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

// TestSimilarAndRecommendations drives both endpoints through the real stack: orders through
// the API, the events through the publisher into the search index and co_purchase, then what
// a shopper sees, including after a product is deleted and after co_purchase is rebuilt.
func TestSimilarAndRecommendations(t *testing.T) {
	t.Parallel()
	e := newRecsEnv(t)
	ctx := context.Background()
	tent := e.product("Ridgeline Camping Tent", "Outdoors", 100)
	candle := e.product("Amber Scented Candle", "Home Decor", 100) // nothing like a tent, but bought with it
	twin := e.product("Ridgeline Backpacking Tent", "Outdoors", 100)
	lastStove := e.product("Ridgeline Camping Stove", "Outdoors", 1)
	buyers := []account{e.newAccount(auth.RoleCustomer), e.newAccount(auth.RoleCustomer), e.newAccount(auth.RoleCustomer)}
	for _, b := range buyers {
		expectStatus(t, e.do(req{method: "POST", path: "/api/v1/orders", token: b.Token, body: items(tent.ID, 1, candle.ID, 1)}), 201)
	}
	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/orders", token: e.newAccount(auth.RoleCustomer).Token,
		body: items(tent.ID, 1, lastStove.ID, 1)}), 201) // the stove is now out of stock
	tentOnly := e.newAccount(auth.RoleCustomer)
	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/orders", token: tentOnly.Token, body: items(tent.ID, 1)}), 201)
	e.settle(func() bool {
		return e.count("SELECT count(*) FROM search_documents WHERE product_id = ANY($1::uuid[]) AND embedding IS NOT NULL",
			[]uuid.UUID{tent.ID, candle.ID, twin.ID, lastStove.ID}) == 4 &&
			e.count("SELECT count(*) FROM co_purchase_user_items WHERE user_id = $1", tentOnly.ID) == 1
	})

	// Similar: the product bought with it thrice first, the look-alike among the rest.
	similar := e.get("/api/v1/products/"+tent.ID.String()+"/similar?page_size=5", "")
	if len(similar.Items) == 0 || similar.Items[0].ID != candle.ID || !strings.HasPrefix(similar.Items[0].Reason, "often bought together with Ridgeline Camping Tent") ||
		similar.Items[0].Score <= 0 || similar.Items[0].Score > 1 {
		t.Fatalf("similar to the tent: %+v", similar.Items)
	}
	if i := slices.Index(similar.ids(), twin.ID); i < 0 || !strings.Contains(similar.Items[i].Reason, "similar to Ridgeline Camping Tent") {
		t.Fatalf("the look-alike tent is missing or unexplained: %+v", similar.Items)
	}
	if slices.Contains(similar.ids(), tent.ID) || len(similar.Items) > 5 {
		t.Fatalf("similar lists the product itself or too many: %+v", similar.Items)
	}

	// Bad requests: unknown and malformed IDs are 404, a bad page_size is 400.
	for _, path := range []string{"/api/v1/products/" + uuid.NewString() + "/similar", "/api/v1/products/not-a-uuid/similar"} {
		r := e.do(req{method: "GET", path: path})
		expectStatus(t, r, 404)
		r.problem(t)
	}
	for _, path := range []string{
		"/api/v1/products/" + tent.ID.String() + "/similar?page_size=0",
		"/api/v1/products/" + tent.ID.String() + "/similar?page_size=101",
		"/api/v1/products/" + tent.ID.String() + "/similar?page_size=ten",
		"/api/v1/products/" + tent.ID.String() + "/similar?limit=5",
		"/api/v1/recommendations?page_size=0",
	} {
		r := e.do(req{method: "GET", path: path, token: tentOnly.Token})
		expectStatus(t, r, 400)
		if p := r.problem(t); p.Type != "urn:problem-type:orders:bad-query-parameter" || len(p.Errors) == 0 {
			t.Errorf("%s: %+v", path, p)
		}
	}

	// Recommendations need a token.
	r := e.do(req{method: "GET", path: "/api/v1/recommendations"})
	expectStatus(t, r, 401)
	r.problem(t)

	// What goes with the tent, for the customer who bought the tent alone; never the tent,
	// never the stove that sold out.
	before := time.Now().Add(-time.Second)
	rec := e.get("/api/v1/recommendations?page_size=20", tentOnly.Token)
	if rec.Source != "local" || rec.Provider != "local" || rec.GeneratedAt.Before(before) || len(rec.Items) == 0 {
		t.Fatalf("recommendations: %+v", rec)
	}
	if rec.Items[0].ID != candle.ID || !strings.HasPrefix(rec.Items[0].Reason, "often bought together with Ridgeline Camping Tent") {
		t.Fatalf("want the candle first, got %+v", rec.Items)
	}
	for _, it := range rec.Items {
		if it.ID == tent.ID || it.ID == lastStove.ID || it.Stock == 0 || it.Reason == "" {
			t.Fatalf("recommends what was bought, is out of stock, or has no reason: %+v", it)
		}
	}
	// The buyers of both have neither recommended.
	if got := e.get("/api/v1/recommendations", buyers[0].Token); slices.Contains(got.ids(), tent.ID) || slices.Contains(got.ids(), candle.ID) {
		t.Fatalf("recommends a buyer what they bought: %+v", got.Items)
	}
	// Cold start: a customer with no orders gets what is popular.
	fresh := e.get("/api/v1/recommendations?page_size=3", e.newAccount(auth.RoleCustomer).Token)
	if len(fresh.Items) == 0 || fresh.Items[0].Reason != "popular with other shoppers" {
		t.Fatalf("cold start: %+v", fresh)
	}

	// Rebuilding co_purchase by replay gives the same rows.
	checkpoint := int64(e.count("SELECT position FROM projection_checkpoints WHERE name = 'co_purchase'"))
	_, want, err := e.runner.Checksum(ctx, recommend.ProjectionName)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.runner.Reset(ctx, recommend.ProjectionName); err != nil {
		t.Fatal(err)
	}
	if p, err := e.runner.ApplyNext(ctx, recommend.ProjectionName, int(checkpoint)); err != nil || p.Checkpoint != checkpoint {
		t.Fatalf("replay: %+v, %v", p, err)
	}
	if _, got, _ := e.runner.Checksum(ctx, recommend.ProjectionName); got != want {
		t.Fatalf("co_purchase rebuilt by replay differs: %s, want %s", got, want)
	}

	// A deleted product disappears from both lists, and has no similar products itself.
	if err := e.cat.Delete(ctx, candle.ID); err != nil {
		t.Fatal(err)
	}
	if got := e.get("/api/v1/products/"+tent.ID.String()+"/similar", ""); slices.Contains(got.ids(), candle.ID) {
		t.Fatalf("a deleted product is still similar: %+v", got.Items)
	}
	if got := e.get("/api/v1/recommendations", tentOnly.Token); slices.Contains(got.ids(), candle.ID) {
		t.Fatalf("a deleted product is still recommended: %+v", got.Items)
	}
	expectStatus(t, e.do(req{method: "GET", path: "/api/v1/products/" + candle.ID.String() + "/similar"}), 404)
}
