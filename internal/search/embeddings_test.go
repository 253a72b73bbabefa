package search_test

import (
	"context"
	"encoding/json"
	"errors"
	"hash/fnv"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/ai"
	"github.com/acme/orders/internal/ai/glove"
	"github.com/acme/orders/internal/catalog"
	"github.com/acme/orders/internal/search"
)

// embeddingsServer speaks the OpenAI embeddings wire format: each text gets an 8-dimensional
// vector derived from its hash. While down is set it answers 503.
func embeddingsServer(t *testing.T, down *atomic.Bool, calls *atomic.Int64) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.URL.Path != "/v1/embeddings" {
			http.NotFound(w, r)
			return
		}
		if down.Load() {
			http.Error(w, `{"error":{"message":"overloaded","type":"server_error"}}`, http.StatusServiceUnavailable)
			return
		}
		var req struct {
			Model string   `json:"model"`
			Input []string `json:"input"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		type datum struct {
			Object    string    `json:"object"`
			Index     int       `json:"index"`
			Embedding []float64 `json:"embedding"`
		}
		data := make([]datum, len(req.Input))
		for i, text := range req.Input {
			h := fnv.New64a()
			h.Write([]byte(text))
			sum := h.Sum64()
			v := make([]float64, 8)
			for j := range v {
				v[j] = float64(int((sum>>(8*j))&0xff)) - 127.5
			}
			data[i] = datum{Object: "embedding", Index: i, Embedding: v}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"object": "list", "model": req.Model, "data": data,
			"usage": map[string]int{"prompt_tokens": len(req.Input), "total_tokens": len(req.Input)}})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// reembedAll runs the Reembedder batch by batch until no stale document is left.
func reembedAll(t *testing.T, r *search.Reembedder) (embedded int64) {
	t.Helper()
	var after uuid.UUID
	for {
		b, err := r.Next(context.Background(), after, 250)
		if err != nil {
			t.Fatal(err)
		}
		if b.Read == 0 {
			return embedded
		}
		embedded, after = embedded+b.Embedded, b.Last
	}
}

func stale(t *testing.T, r *search.Reembedder) int64 {
	t.Helper()
	n, err := r.Stale(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A remote embedding model fills search_embeddings in batches; a product edit makes its row
// stale until the next pass; a deleted product's vector is pruned; a provider outage stores
// nothing (the offline fallback's vectors are refused).
func TestReembedWithARemoteModel(t *testing.T) {
	w := setup(t)
	ctx := context.Background()
	var down atomic.Bool
	var calls atomic.Int64
	srv := embeddingsServer(t, &down, &calls)
	client, err := ai.New(ai.Config{Provider: ai.OpenAI, BaseURL: srv.URL + "/v1", APIKey: "k", ChatModel: "chat", EmbedModel: "embed-8",
		MaxAttempts: 1, BreakerThreshold: 1000}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := search.NewReembedder(testDB.Pool, search.RemoteTexts{Client: client, Name: "embed-8"})

	total := stale(t, r)
	if total < int64(len(w.products))-5 { // the package's other tests may have deleted a few
		t.Fatalf("stale = %d before any embedding, want every document (~%d)", total, len(w.products))
	}
	down.Store(true)
	if _, err := r.Next(ctx, uuid.UUID{}, 50); !errors.Is(err, search.ErrEmbeddingFallback) {
		t.Fatalf("batch during an outage: err = %v, want the fallback refused", err)
	}
	if got := stale(t, r); got != total {
		t.Fatalf("stale = %d after a failed batch, want %d (nothing stored)", got, total)
	}
	down.Store(false)
	before := calls.Load()
	if got := reembedAll(t, r); got != total {
		t.Fatalf("embedded %d, want %d", got, total)
	}
	if want := (total + 249) / 250; calls.Load()-before != want {
		t.Fatalf("%d provider calls, want %d (one per batch)", calls.Load()-before, want)
	}
	if got := stale(t, r); got != 0 {
		t.Fatalf("stale = %d after a full pass", got)
	}

	// A product of this test's own, so the package's other tests keep their catalogue.
	mine, err := w.cat.Create(ctx, catalog.Product{SKU: "EMB-000001", Name: "Enamel Camping Mug", Description: "Keeps coffee warm by the fire.",
		Category: w.products[0].Category, PriceCents: 1299, Currency: "EUR", Stock: 5})
	if err != nil {
		t.Fatal(err)
	}
	w.catchUp(t)
	if got := reembedAll(t, r); got != 1 {
		t.Fatalf("a new product: embedded %d, want 1", got)
	}
	desc := mine.Description + " Now with a lid."
	if _, err := w.cat.Update(ctx, mine.ID, catalog.Patch{Description: &desc}); err != nil {
		t.Fatal(err)
	}
	w.catchUp(t)
	if got := stale(t, r); got != 1 {
		t.Fatalf("stale = %d after one edit, want 1", got)
	}
	if got := reembedAll(t, r); got != 1 {
		t.Fatalf("after the edit: embedded %d, want 1", got)
	}
	if err := w.cat.Delete(ctx, mine.ID); err != nil {
		t.Fatal(err)
	}
	w.catchUp(t)
	pruned, err := r.Prune(ctx)
	if err != nil || pruned != 1 {
		t.Fatalf("pruned %d (%v), want the deleted product's vector", pruned, err)
	}

	// Search with the remote model: its vectors cover the index, so it embeds the query and
	// the result names its provider; while it is down, the offline model answers the query.
	svc := search.NewService(search.NewPostgresStore(testDB.Pool), search.WordVectors{M: mustGlove(t)})
	svc.RefreshEvery = 0
	svc.WithRemoteEmbeddings(search.RemoteEmbeddings{Texts: search.RemoteTexts{Client: client, Name: "embed-8"}, Provider: ai.OpenAI})
	q := search.Query{Text: w.products[10].Name, Limit: 10}
	before = calls.Load()
	hits, provider, err := svc.SearchReporting(ctx, q)
	if err != nil || provider != ai.OpenAI || len(hits) == 0 || calls.Load() != before+1 {
		t.Fatalf("remote search: provider %q, %d hits, %d calls, %v", provider, len(hits), calls.Load()-before, err)
	}
	down.Store(true)
	hits, provider, err = svc.SearchReporting(ctx, q)
	if err != nil || provider != "local" || len(hits) == 0 || hits[0].Product.ID != w.products[10].ID {
		t.Fatalf("remote model down: provider %q, %v, %v", provider, names(hits), err)
	}
	down.Store(false)

	// A model whose vectors cover too little of the index is not used, and not called.
	other := search.NewService(search.NewPostgresStore(testDB.Pool), search.WordVectors{M: mustGlove(t)})
	other.WithRemoteEmbeddings(search.RemoteEmbeddings{Texts: search.RemoteTexts{Client: client, Name: "embed-never-run"}, Provider: ai.OpenAI})
	before = calls.Load()
	if _, provider, err := other.SearchReporting(ctx, q); err != nil || provider != "local" || calls.Load() != before {
		t.Fatalf("uncovered model: provider %q, %d calls, %v", provider, calls.Load()-before, err)
	}
}

func mustGlove(t *testing.T) *glove.Model {
	t.Helper()
	m, err := glove.Default()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// When the offline model's file changes (a new model name), the documents embedded with the
// old one are stale until the re-embedding redoes them in place.
func TestReembedTheOfflineModelAfterItChanges(t *testing.T) {
	setup(t)
	ctx := context.Background()
	words, err := glove.Default()
	if err != nil {
		t.Fatal(err)
	}
	r := search.NewReembedder(testDB.Pool, search.LocalTexts{M: words})
	if got := stale(t, r); got != 0 {
		t.Fatalf("stale = %d with every document embedded by the projection", got)
	}
	tag, err := testDB.Pool.Exec(ctx, `UPDATE search_documents SET embed_model = 'glove-old', embedding = '\x00000000'
		WHERE product_id IN (SELECT product_id FROM search_documents ORDER BY product_id LIMIT 30)`)
	if err != nil || tag.RowsAffected() != 30 {
		t.Fatal(tag, err)
	}
	if got := stale(t, r); got != 30 {
		t.Fatalf("stale = %d, want 30", got)
	}
	if got := reembedAll(t, r); got != 30 {
		t.Fatalf("embedded %d, want 30", got)
	}
	var wrong int
	if err := testDB.Pool.QueryRow(ctx, `SELECT count(*) FROM search_documents WHERE embed_model <> $1 OR length(embedding) <> $2`,
		glove.ModelName, 4*words.Dims()).Scan(&wrong); err != nil || wrong != 0 {
		t.Fatalf("%d documents still carry another model's vector (%v)", wrong, err)
	}
}
