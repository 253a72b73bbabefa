package recommend_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/recommend"
)

// requests records the rerankings asked for.
type requests struct {
	mu    sync.Mutex
	users []uuid.UUID
}

func (r *requests) RequestRerank(_ context.Context, user uuid.UUID) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.users = append(r.users, user)
}

func (r *requests) take() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := len(r.users)
	r.users = nil
	return n
}

// With reranking: the local recommendations answer until a model's ordering is stored; a
// fresh one made from the customer's current purchases is served (without what they bought
// since, or what sold out) and no new one is asked for; a stale one, one made before a new
// order, or a failure after its retry period asks again.
func TestForServesTheStoredReranking(t *testing.T) {
	ctx := context.Background()
	s := newShop()
	kettle, teapot, cups := s.product(t, "Kettle", "Kitchen", 50), s.product(t, "Teapot", "Kitchen", 50), s.product(t, "Tea Cups", "Kitchen", 50)
	strainer := s.product(t, "Tea Strainer", "Kitchen", 50)
	other := s.customer(t)
	s.buy(t, other, kettle, teapot, cups)
	s.buy(t, other, kettle, strainer)
	user := s.customer(t)
	s.buy(t, user, kettle)
	s.catchUp(t)

	store := recommend.NewPostgresStore(testDB.Pool)
	asked := &requests{}
	svc := recommend.NewService(store, nil).WithReranking(recommend.Reranking{Store: store, Requester: asked})
	for_ := func() recommend.Recommendations {
		t.Helper()
		r, err := svc.For(ctx, user, 10)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if r := for_(); r.Source != recommend.SourceLocal || len(r.Items) == 0 || !r.Refreshing || asked.take() != 1 {
		t.Fatalf("nothing stored: source %s, %d items, refreshing %v; want local, refreshing and one request", r.Source, len(r.Items), r.Refreshing)
	}

	pending, err := svc.Pending(ctx, user, 10, 10)
	if err != nil || len(pending.Candidates) == 0 || len(pending.Recent) != 1 || pending.Recent[0].Name != "Kettle" {
		t.Fatalf("pending = %+v, %v", pending, err)
	}
	save := func(r recommend.Reranked) {
		t.Helper()
		r.UserID = user
		if err := svc.SaveReranked(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now()
	save(recommend.Reranked{Basis: pending.Basis, Provider: "openai", Model: "m", Prompt: "rerank.v1", GeneratedAt: now,
		Items: []recommend.RerankedItem{{strainer.ID, "Goes with your kettle"}, {kettle.ID, "bought already"}, {cups.ID, "For two"}}})
	r := for_()
	if r.Source != recommend.SourceLLM || r.Provider != "openai" || len(r.Items) != 2 ||
		r.Items[0].Product.ID != strainer.ID || r.Items[0].Reason != "Goes with your kettle" || r.Items[1].Product.ID != cups.ID {
		t.Fatalf("stored ordering served as %+v", r)
	}
	if n := asked.take(); n != 0 || r.Refreshing {
		t.Fatalf("a fresh ordering asked for %d more (refreshing %v)", n, r.Refreshing)
	}

	// A new order: the stored ordering still serves, without the product just bought, and a
	// new one is asked for.
	s.buy(t, user, strainer)
	s.catchUp(t)
	r = for_()
	if r.Source != recommend.SourceLLM || len(r.Items) != 1 || r.Items[0].Product.ID != cups.ID || asked.take() != 1 {
		t.Fatalf("after a new order: %+v", r)
	}
	pending, _ = svc.Pending(ctx, user, 10, 10)

	// Older than a day: local again, and asked for again.
	save(recommend.Reranked{Basis: pending.Basis, Provider: "openai", Model: "m", GeneratedAt: now.Add(-25 * time.Hour),
		Items: []recommend.RerankedItem{{cups.ID, "For two"}}})
	if r := for_(); r.Source != recommend.SourceLocal || asked.take() != 1 {
		t.Fatalf("stale ordering: source %s", r.Source)
	}

	// The model failed: the local result stands, and the model is not asked again before the
	// retry period has passed.
	save(recommend.Reranked{Basis: pending.Basis, Provider: "local", Fallback: "server_error", GeneratedAt: now})
	if r := for_(); r.Source != recommend.SourceLocal || r.Refreshing || asked.take() != 0 {
		t.Fatalf("recent failure: source %s, refreshing %v", r.Source, r.Refreshing)
	}
	save(recommend.Reranked{Basis: pending.Basis, Provider: "local", Fallback: "server_error", GeneratedAt: now.Add(-20 * time.Minute)})
	if r := for_(); r.Source != recommend.SourceLocal || asked.take() != 1 {
		t.Fatalf("old failure: source %s", r.Source)
	}
}
