package search_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/acme/orders/db/sqlc"
	"github.com/acme/orders/internal/ai/glove"
	"github.com/acme/orders/internal/catalog"
	"github.com/acme/orders/internal/demo"
	"github.com/acme/orders/internal/fault"
	"github.com/acme/orders/internal/platform/pgtest"
	"github.com/acme/orders/internal/projection"
	"github.com/acme/orders/internal/search"
)

var testDB *pgtest.DB

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, "search", &testDB)) }

// world is a catalogue of demo products, indexed by the search_index projection.
type world struct {
	cat      *catalog.Service
	svc      *search.Service
	runner   *projection.Runner
	products []catalog.Product
}

var shared *world

func setup(t *testing.T) *world {
	t.Helper()
	if shared != nil {
		return shared
	}
	ctx := context.Background()
	words, err := glove.Default()
	if err != nil {
		t.Fatal(err)
	}
	emb := search.WordVectors{M: words}
	w := &world{cat: catalog.NewService(catalog.NewPostgresStore(testDB.Pool)),
		runner: projection.NewRunner(testDB.Pool, search.Index{Embedder: emb})}
	w.svc = search.NewService(search.NewPostgresStore(testDB.Pool), emb)
	w.svc.RefreshEvery = 0 // check the index on every query
	for _, p := range demo.Products(42, 800) {
		created, err := w.cat.Create(ctx, catalog.Product{SKU: p.SKU, Name: p.Name, Description: p.Description, Category: p.Category,
			PriceCents: p.PriceCents, Currency: p.Currency, Stock: p.Stock})
		if err != nil {
			t.Fatal(err)
		}
		w.products = append(w.products, created)
	}
	w.catchUp(t)
	shared = w
	return w
}

// catchUp publishes every event and applies it to the search index. Publication waits for
// every older transaction on the server to end, so it polls until nothing is left unpublished.
func (w *world) catchUp(t *testing.T) {
	t.Helper()
	pub := projection.NewPublisher(testDB.Pool)
	deadline := time.Now().Add(time.Minute)
	for {
		if _, _, err := pub.PublishBatch(context.Background(), 10000); err != nil {
			t.Fatal(err)
		}
		var pending int
		if err := testDB.Pool.QueryRow(context.Background(), "SELECT count(*) FROM outbox WHERE NOT published").Scan(&pending); err != nil {
			t.Fatal(err)
		}
		if pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d events still unpublished", pending)
		}
		time.Sleep(20 * time.Millisecond)
	}
	for {
		p, err := w.runner.ApplyNext(context.Background(), search.ProjectionName, 500)
		if err != nil {
			t.Fatal(err)
		}
		if p.Lag() == 0 {
			return
		}
	}
}

func (w *world) search(t *testing.T, q search.Query) []search.Hit {
	t.Helper()
	if q.Limit == 0 {
		q.Limit = 10
	}
	hits, err := w.svc.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return hits
}

func names(hits []search.Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.Product.Name
	}
	return out
}

// What a shopper types finds what they meant, and each hit says why.
func TestSearchFindsWhatShoppersMean(t *testing.T) {
	w := setup(t)
	sku := w.products[17].SKU // e.g. "KIT-004821-4F"; search by its first two parts
	partial := sku[:strings.LastIndex(sku, "-")]
	cases := []struct {
		name, q    string
		top        int
		want       func(search.Hit) bool
		wantSignal string
	}{
		{"plain words", "tea kettle", 3, func(h search.Hit) bool { return strings.Contains(h.Product.Name, "Tea Kettle") }, search.SignalFullText},
		{"a typo", "tea ketle", 5, func(h search.Hit) bool { return strings.Contains(h.Product.Name, "Tea Kettle") }, search.SignalTrigram},
		{"a partial SKU", strings.ToLower(partial), 3, func(h search.Hit) bool { return h.Product.SKU == sku }, search.SignalTrigram},
		{"a need in other words", "something to brew coffee", 10, func(h search.Hit) bool {
			return strings.Contains(h.Product.Name, "Coffee") || strings.Contains(h.Product.Name, "French Press")
		}, search.SignalEmbedding},
		{"another word for it", "headset", 3, func(h search.Hit) bool { return strings.Contains(h.Product.Name, "Headphones") }, search.SignalEmbedding},
		{"a phrase of its own", "cellphone charger", 3, func(h search.Hit) bool { return strings.Contains(h.Product.Name, "Charger") }, search.SignalEmbedding},
		{"a related tool", "flashlight", 5, func(h search.Hit) bool { return strings.Contains(h.Product.Name, "Headlamp") }, search.SignalEmbedding},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hits := w.search(t, search.Query{Text: c.q})
			i := slices.IndexFunc(hits[:min(c.top, len(hits))], c.want)
			if i < 0 {
				t.Fatalf("%q: not in the top %d: %v", c.q, c.top, names(hits))
			}
			h := hits[i]
			if !slices.Contains(h.Signals, c.wantSignal) || h.Reason == "" || h.Score <= 0 || h.Score > 1 {
				t.Fatalf("%q: hit %q has signals %v, reason %q, score %v; want %s among them", c.q, h.Product.Name, h.Signals, h.Reason, h.Score, c.wantSignal)
			}
			for j := 1; j < len(hits); j++ {
				if hits[j].Score > hits[j-1].Score {
					t.Fatalf("hits are not sorted by score: %v", hits)
				}
			}
		})
	}
}

// Every filter applies to every signal: whatever found a hit, it passes the filters.
func TestFiltersApplyToEverySignal(t *testing.T) {
	w := setup(t)
	lo, hi := int64(2000), int64(6000)
	for _, q := range []string{"tea kettle", "tea ketle", "something to brew coffee", "gift"} {
		for _, f := range []search.Query{
			{Category: "Kitchen"},
			{MinPrice: &lo, MaxPrice: &hi},
			{InStock: true},
			{Category: "Grocery", MaxPrice: &hi, InStock: true},
		} {
			f.Text, f.Limit = q, 100
			for _, h := range w.search(t, f) {
				p := h.Product
				if (f.Category != "" && p.Category != f.Category) || (f.MinPrice != nil && p.PriceCents < *f.MinPrice) ||
					(f.MaxPrice != nil && p.PriceCents > *f.MaxPrice) || (f.InStock && p.Stock == 0) {
					t.Fatalf("%q with %+v returned %+v (found by %v)", q, f, p, h.Signals)
				}
			}
		}
	}
	// The embedding signal alone respects them too.
	hits := w.search(t, search.Query{Text: "something to brew coffee", Category: "Kitchen", Limit: 100})
	if !slices.ContainsFunc(hits, func(h search.Hit) bool { return slices.Equal(h.Signals, []string{search.SignalEmbedding}) }) {
		t.Fatalf("expected hits found by meaning alone in Kitchen: %v", names(hits))
	}
}

func TestBadQueries(t *testing.T) {
	w := setup(t)
	neg, lo, hi := int64(-1), int64(500), int64(100)
	for _, q := range []search.Query{
		{Text: "  ", Limit: 10},
		{Text: strings.Repeat("x", 201), Limit: 10},
		{Text: "kettle", Limit: 0},
		{Text: "kettle", Limit: 101},
		{Text: "kettle", Limit: 10, MinPrice: &neg},
		{Text: "kettle", Limit: 10, MinPrice: &lo, MaxPrice: &hi},
	} {
		_, err := w.svc.Search(context.Background(), q)
		if !errors.Is(err, fault.ErrBadQuery) || fault.KindOf(err) != fault.BadRequest {
			t.Errorf("%+v: err = %v, want a bad-query error", q, err)
		}
	}
	if hits := w.search(t, search.Query{Text: "zzqxv wqpfk"}); len(hits) != 0 {
		t.Fatalf("gibberish found %v", names(hits))
	}
}

// The index follows the product events: a rename is found by its new name, a deleted product
// is no longer found, and emptying the index and replaying the log rebuilds it exactly.
func TestIndexFollowsProductEvents(t *testing.T) {
	w := setup(t)
	ctx := context.Background()
	p := w.products[3]
	var before int64
	if err := testDB.Pool.QueryRow(ctx, "SELECT COALESCE(max(position), 0) FROM outbox").Scan(&before); err != nil {
		t.Fatal(err)
	}
	name := "Aurora Borealis Snowglobe"
	if _, err := w.cat.Update(ctx, p.ID, catalog.Patch{Name: &name}); err != nil {
		t.Fatal(err)
	}
	w.catchUp(t)
	if hits := w.search(t, search.Query{Text: "snowglobe borealis"}); len(hits) == 0 || hits[0].Product.ID != p.ID {
		t.Fatalf("renamed product not found first: %v", names(hits))
	}
	if err := w.cat.Delete(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	w.catchUp(t)
	if hits := w.search(t, search.Query{Text: "snowglobe borealis"}); slices.ContainsFunc(hits, func(h search.Hit) bool { return h.Product.ID == p.ID }) {
		t.Fatal("a deleted product is still found")
	}
	var docs int
	if err := testDB.Pool.QueryRow(ctx, "SELECT count(*) FROM search_documents WHERE product_id = $1", p.ID).Scan(&docs); err != nil || docs != 0 {
		t.Fatalf("deleted product keeps %d documents (%v)", docs, err)
	}
	rows, want, err := w.runner.Checksum(ctx, search.ProjectionName)
	if err != nil || rows != int64(len(w.products)-1) {
		t.Fatalf("index has %d rows (%v), want %d", rows, err, len(w.products)-1)
	}
	// Applying again the events from before the rename (a retried batch) changes nothing: the
	// product does not come back under its old name.
	words, _ := glove.Default()
	if err := (search.Index{Embedder: search.WordVectors{M: words}}).Apply(ctx, sqlc.New(testDB.Pool), 0, before); err != nil {
		t.Fatal(err)
	}
	if _, again, _ := w.runner.Checksum(ctx, search.ProjectionName); again != want {
		t.Fatalf("re-applying applied events changed the index: %s, want %s", again, want)
	}
	if err := w.runner.Reset(ctx, search.ProjectionName); err != nil {
		t.Fatal(err)
	}
	w.catchUp(t)
	if _, got, _ := w.runner.Checksum(ctx, search.ProjectionName); got != want {
		t.Fatalf("replayed index differs: %s, want %s", got, want)
	}
}

// Each signal runs alone for the evaluation: its hits name that signal only and pass the
// filters, and the full-text signal still finds the telling words of a need put in a sentence.
func TestSearchOnlyRunsOneSignal(t *testing.T) {
	w := setup(t)
	ctx := context.Background()
	cases := []struct {
		signal, q string
		want      func(search.Hit) bool
	}{
		{search.SignalFullText, "please, a press for my morning coffee", func(h search.Hit) bool { return strings.Contains(h.Product.Name, "French Press") }},
		{search.SignalTrigram, "headphnes", func(h search.Hit) bool { return strings.Contains(h.Product.Name, "Headphones") }},
		{search.SignalEmbedding, "headset", func(h search.Hit) bool { return strings.Contains(h.Product.Name, "Headphones") }},
	}
	for _, c := range cases {
		hits, err := w.svc.SearchOnly(ctx, search.Query{Text: c.q, InStock: true, Limit: 10}, c.signal)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) == 0 || !c.want(hits[0]) {
			t.Fatalf("%s alone, %q: %v", c.signal, c.q, names(hits))
		}
		for _, h := range hits {
			if !slices.Equal(h.Signals, []string{c.signal}) || h.Product.Stock == 0 {
				t.Fatalf("%s alone, %q: hit %q found by %v, stock %d", c.signal, c.q, h.Product.Name, h.Signals, h.Product.Stock)
			}
		}
	}
	if _, err := w.svc.SearchOnly(ctx, search.Query{Text: "kettle", Limit: 10}, "telepathy"); !errors.Is(err, search.ErrUnknownSignal) {
		t.Fatalf("unknown signal: err = %v", err)
	}
	if _, err := w.svc.SearchOnly(ctx, search.Query{Text: " ", Limit: 10}, search.SignalTrigram); !errors.Is(err, fault.ErrBadQuery) {
		t.Fatalf("empty query alone: err = %v, want a bad-query error", err)
	}
}
