package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/acme/orders/internal/ai"
	"github.com/acme/orders/internal/ai/aitest"
	"github.com/acme/orders/internal/ai/glove"
	"github.com/acme/orders/internal/httpapi"
	"github.com/acme/orders/internal/platform/temporal"
	"github.com/acme/orders/internal/recommend"
	"github.com/acme/orders/internal/search"
	"github.com/acme/orders/workflows"
)

// fakeModel is an OpenAI-compatible server: chat completions rerank the candidates of the
// rerank prompt in reverse order (its first failing calls answer 503), and embeddings are
// 8-dimensional vectors from each text's hash.
type fakeModel struct {
	*httptest.Server
	failFirst int32
	chats     atomic.Int32
	embeds    atomic.Int32
}

func newFakeModel(t *testing.T, failFirst int32) *fakeModel {
	f := &fakeModel{failFirst: failFirst}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/v1/chat/completions":
			if f.chats.Add(1) <= f.failFirst {
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = w.Write([]byte(`{"error":{"message":"overloaded","type":"server_error"}}`))
				return
			}
			_, user := aitest.Request{Body: body}.Turns()
			rep := aitest.OpenAIChat(rerankReverse(user))
			_, _ = w.Write([]byte(rep.Body))
		case "/v1/embeddings":
			f.embeds.Add(1)
			_ = json.NewEncoder(w).Encode(hashEmbeddings(body))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(f.Close)
	return f
}

// rerankReverse answers the rerank prompt: the candidates between <candidates> and
// </candidates>, last first, each with a reason naming it.
func rerankReverse(user string) string {
	start, end := strings.Index(user, "<candidates>"), strings.Index(user, "</candidates>")
	if start < 0 || end < start {
		return "not a rerank prompt"
	}
	var cands []struct{ ID, Name string }
	if err := json.Unmarshal([]byte(user[start+len("<candidates>"):end]), &cands); err != nil {
		return "unreadable candidates: " + err.Error()
	}
	type item struct {
		ID     string `json:"id"`
		Reason string `json:"reason"`
	}
	out := struct {
		Items []item `json:"items"`
	}{}
	for i := len(cands) - 1; i >= 0; i-- {
		out.Items = append(out.Items, item{cands[i].ID, "Model pick: " + cands[i].Name})
	}
	b, _ := json.Marshal(out)
	return string(b)
}

func hashEmbeddings(body map[string]any) map[string]any {
	inputs, _ := body["input"].([]any)
	data := make([]map[string]any, len(inputs))
	for i, in := range inputs {
		h := fnv.New64a()
		h.Write([]byte(fmt.Sprint(in)))
		sum := h.Sum64()
		v := make([]float64, 8)
		for j := range v {
			v[j] = float64((sum>>(8*j))&0xff) - 127.5
		}
		data[i] = map[string]any{"object": "embedding", "index": i, "embedding": v}
	}
	return map[string]any{"object": "list", "model": body["model"], "data": data,
		"usage": map[string]int{"prompt_tokens": len(inputs), "total_tokens": len(inputs)}}
}

// With a language model configured (the three AI_* variables, plus AI_EMBED_MODEL), the
// worker's ai task queue reranks a customer's recommendations in a recommendations-<user>
// workflow, retrying the provider's failures, and the API serves the model's order with
// "source": "llm" on a later call; the re-embedding workflow fills the remote model's vectors
// with a progress query.
func TestAIPipelinesWithAConfiguredModel(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	model := newFakeModel(t, 3) // the first activity attempt fails after the client's own 3 tries
	aiEnv := []string{"AI_PROVIDER=openai", "AI_BASE_URL=" + model.URL + "/v1", "AI_API_KEY=test-key", "AI_CHAT_MODEL=fake-chat",
		"AI_EMBED_MODEL=fake-embed", "AI_CALLS_PER_MINUTE=600"}
	sh := s.openShop(12, 3)
	user, token := sh.users[0], sh.tokens[0]
	for _, lines := range [][]any{{sh.products[0].ID, 1, sh.products[1].ID, 1}, {sh.products[2].ID, 2}} {
		if _, code := s.placeHTTP(token, lines...); code != http.StatusCreated {
			t.Fatalf("order: %d", code)
		}
	}
	// Another customer bought the first product with two others: bought-together partners.
	if _, code := s.placeHTTP(sh.tokens[1], sh.products[0].ID, 1, sh.products[3].ID, 1, sh.products[4].ID, 1); code != http.StatusCreated {
		t.Fatalf("order: %d", code)
	}
	s.startWorker(aiEnv...)

	// The API of this test: recommendations with reranking through this stack's Temporal.
	aiClient, err := ai.New(ai.Config{Provider: ai.OpenAI, BaseURL: model.URL + "/v1", APIKey: "test-key", ChatModel: "fake-chat"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	words, _ := glove.Default()
	searchSvc := search.NewService(search.NewPostgresStore(s.db.Pool), search.WordVectors{M: words})
	store := recommend.NewPostgresStore(s.db.Pool)
	recs := recommend.NewService(store, searchSvc).WithReranking(recommend.Reranking{Store: store, Requester: &temporal.Reranks{Client: s.client}})
	if !aiClient.Capabilities().Generate {
		t.Fatal("the configured client cannot generate")
	}
	api := httptest.NewServer(httpapi.New(httpapi.Config{RequestTimeout: 10 * time.Second}, httpapi.Deps{
		Auth: s.auth, Catalog: s.catalog, Orders: s.orders, Search: searchSvc, Recommend: recs}))
	defer api.Close()
	type recsJSON struct {
		Items []struct {
			ID     string `json:"id"`
			Reason string `json:"reason"`
		} `json:"items"`
		Source, Provider string
		Refreshing       bool
	}
	get := func() recsJSON {
		req, _ := http.NewRequest("GET", api.URL+"/api/v1/recommendations?page_size=20", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out recsJSON
		if res.StatusCode != http.StatusOK || json.NewDecoder(res.Body).Decode(&out) != nil {
			t.Fatalf("GET /recommendations: %d", res.StatusCode)
		}
		return out
	}

	// co_purchase and the search index are applied by the worker a moment after the orders.
	waitFor(t, "the customer's purchases in co_purchase and the search index", 60*time.Second, func() (bool, string) {
		n := s.count("SELECT count(*) FROM co_purchase_user_items WHERE user_id = $1", user)
		d := s.count("SELECT count(*) FROM search_documents")
		return n == 3 && d == int64(len(sh.products)), fmt.Sprintf("%d products bought, %d documents", n, d)
	})
	first := get()
	if first.Source != "local" || len(first.Items) == 0 || !first.Refreshing {
		t.Fatalf("first answer: source %q, %d items, refreshing %v; want the local ones at once, a reranking under way", first.Source, len(first.Items), first.Refreshing)
	}
	var llm recsJSON
	waitFor(t, "the model's recommendations", 90*time.Second, func() (bool, string) {
		llm = get()
		return llm.Source == "llm", fmt.Sprintf("source %s after %d chat calls", llm.Source, model.chats.Load())
	})
	if llm.Provider != "openai" || len(llm.Items) == 0 || !strings.HasPrefix(llm.Items[0].Reason, "Model pick: ") {
		t.Fatalf("llm answer = %+v", llm)
	}
	bought := map[string]bool{sh.products[0].ID.String(): true, sh.products[1].ID.String(): true, sh.products[2].ID.String(): true}
	for _, it := range llm.Items {
		if bought[it.ID] {
			t.Fatalf("recommends %s, which the customer bought", it.ID)
		}
	}
	var res workflows.RecommendationsResult
	if err := s.client.GetWorkflow(ctx, workflows.RecommendationsWorkflowID(user), "").Get(ctx, &res); err != nil || res.Source != "llm" {
		t.Fatalf("workflow result = %+v, %v", res, err)
	}
	if got := model.chats.Load(); got < 4 {
		t.Fatalf("%d chat calls: want the failed attempt retried by Temporal", got)
	}

	// A new order changes the basis: the next call asks for a new ordering.
	if _, code := s.placeHTTP(token, sh.products[5].ID, 1); code != http.StatusCreated {
		t.Fatal("order", code)
	}
	before := model.chats.Load()
	waitFor(t, "a reranking for the new basis", 60*time.Second, func() (bool, string) {
		get()
		return model.chats.Load() > before, fmt.Sprintf("%d chat calls", model.chats.Load())
	})

	// Re-embedding with the remote model, as an operator starts it; the pipeline check may
	// have started it already (at worker start or on its schedule), and then this joins that run.
	id := workflows.ReembedWorkflowID("fake-embed")
	if _, err := s.client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: workflows.AITaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING},
		workflows.ReembedCatalog, workflows.ReembedInput{Model: "fake-embed", BatchSize: 5}); err != nil {
		t.Fatal(err)
	}
	// However many runs it took, one at a time, each document was embedded once.
	waitFor(t, "the catalogue re-embedded by completed runs", 60*time.Second, func() (bool, string) {
		n := s.count("SELECT count(*) FROM search_embeddings WHERE model = 'fake-embed'")
		var embedded, running int64
		runs, err := s.client.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: "WorkflowId = '" + id + "'"})
		if err != nil {
			return false, err.Error()
		}
		for _, ex := range runs.Executions {
			if ex.Status != enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED {
				running++
				continue
			}
			var p workflows.ReembedProgress
			if err := s.client.GetWorkflow(ctx, id, ex.Execution.RunId).Get(ctx, &p); err != nil || p.State != "done" {
				return false, fmt.Sprintf("run %s: %+v, %v", ex.Execution.RunId, p, err)
			}
			embedded += p.Embedded
		}
		return n == int64(len(sh.products)) && running == 0 && embedded == n,
			fmt.Sprintf("%d vectors stored, %d embedded by %d runs, %d running", n, embedded, len(runs.Executions), running)
	})
	if out := os.Getenv("E2E_RECORD_HISTORIES"); out != "" {
		results, err := workflows.ReplayNamespace(ctx, s.client, "default",
			"WorkflowType IN ('Recommendations', 'ReembedCatalog') AND ExecutionStatus = 'Completed'", out)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("recorded %d histories in %s", len(results), out)
	}
}
