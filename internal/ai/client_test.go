package ai

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/acme/orders/internal/ai/aitest"
)

func TestLocalProviderEmbedsAndDoesNotGenerate(t *testing.T) {
	t.Parallel()
	c, err := New(Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Provider() != Local || c.Capabilities() != (Capabilities{Embed: true}) {
		t.Fatalf("default provider %q with %+v; want local, embeddings only", c.Provider(), c.Capabilities())
	}
	e, err := c.Embed(context.Background(), []string{"kettle", "teapot", "football"})
	if err != nil || e.Provider != Local || e.Fallback != "" || len(e.Vectors) != 3 {
		t.Fatalf("Embed = %+v, %v", e, err)
	}
	var kt, kf float32
	for i := range e.Vectors[0] {
		kt += e.Vectors[0][i] * e.Vectors[1][i]
		kf += e.Vectors[0][i] * e.Vectors[2][i]
	}
	if kt <= kf {
		t.Fatalf("kettle~teapot %.3f should beat kettle~football %.3f", kt, kf)
	}
	// Generation goes to the caller's rules, named local, and is not a fallback.
	g, err := c.GenerateJSON(context.Background(), GenerateRequest{Prompt: "x"}, checkReply, rulesFallback)
	if err != nil || g.Provider != Local || g.Fallback != "" || g.Text != `{"category":"from-rules"}` {
		t.Fatalf("GenerateJSON = %+v, %v", g, err)
	}
	if _, err := c.GenerateJSON(context.Background(), GenerateRequest{}, checkReply, nil); !errors.Is(err, ErrNoAnswer) {
		t.Fatalf("without rules, err = %v, want ErrNoAnswer", err)
	}
}

func TestConfigErrors(t *testing.T) {
	t.Parallel()
	for _, cfg := range []Config{
		{Provider: "llama"},
		{Provider: OpenAI},
		{Provider: Anthropic, ChatModel: "m"},
		{Provider: Anthropic, ChatModel: "m", APIKey: "k", EmbedModel: "e"},
	} {
		if _, err := New(cfg, nil); !errors.Is(err, ErrConfig) {
			t.Errorf("New(%+v) = %v, want ErrConfig", cfg, err)
		}
	}
}

// After repeated failures the breaker stops calling the provider, then lets one trial through
// once the cooldown has passed.
func TestCircuitBreaker(t *testing.T) {
	t.Parallel()
	var failing atomic.Bool
	failing.Store(true)
	srv := aitest.NewServer(t, func(int) aitest.Reply {
		if failing.Load() {
			return aitest.Reply{Status: 503, Body: `{}`}
		}
		return aitest.OpenAIChat(`{"category":"ok"}`)
	})
	c, err := New(Config{Provider: OpenAI, BaseURL: srv.URL + "/v1", ChatModel: "m", MaxAttempts: 1, BreakerThreshold: 2,
		BreakerCooldown: time.Minute}, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c.br.now = func() time.Time { return now }
	ask := func() Generation {
		g, err := c.GenerateJSON(context.Background(), GenerateRequest{Prompt: "x"}, checkReply, rulesFallback)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	ask()
	ask()
	if srv.Count() != 2 {
		t.Fatalf("%d requests, want 2", srv.Count())
	}
	if g := ask(); g.Fallback != "circuit_open" || srv.Count() != 2 {
		t.Fatalf("open circuit: fallback %q after %d requests; want circuit_open without a request", g.Fallback, srv.Count())
	}
	failing.Store(false)
	now = now.Add(2 * time.Minute)
	if g := ask(); g.Provider != OpenAI || srv.Count() != 3 {
		t.Fatalf("after the cooldown the trial should reach the provider and close the circuit: %+v", g)
	}
	if g := ask(); g.Provider != OpenAI {
		t.Fatalf("closed circuit should call the provider: %+v", g)
	}
}
