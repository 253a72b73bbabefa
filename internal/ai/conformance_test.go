package ai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/acme/orders/internal/ai/aitest"
)

const secretKey = "sk-test-0123456789-never-show-me"

// adapter describes one remote adapter under test: how to configure it against a fake server
// and what a successful reply looks like in its wire format.
type adapter struct {
	name      string
	op        string // generate or embed
	config    func(url string) Config
	ok        func(text string) aitest.Reply // a 200 reply carrying text
	wantPath  string
	wantAuth  string
	malformed string
	badShape  aitest.Reply // a 200 reply in the right format whose content fails validation
}

func openaiEmbeddings(n int) string {
	var items []string
	for i := 0; i < n; i++ {
		items = append(items, fmt.Sprintf(`{"object":"embedding","index":%d,"embedding":[%d,1,0]}`, i, i+1))
	}
	return `{"object":"list","data":[` + strings.Join(items, ",") + `],"model":"test-embed","usage":{"prompt_tokens":4,"total_tokens":4}}`
}

var adapters = []adapter{
	{
		name: OpenAI, op: "generate",
		config: func(url string) Config {
			return Config{Provider: OpenAI, BaseURL: url + "/v1", APIKey: secretKey, ChatModel: "test-chat"}
		},
		ok:        aitest.OpenAIChat,
		wantPath:  "/v1/chat/completions",
		wantAuth:  "Bearer " + secretKey,
		malformed: `{"id":"chatcmpl-1","choices":[{"message":`,
		badShape:  aitest.OpenAIChat(`{"category": 42}`),
	},
	{
		name: OpenAI, op: "embed",
		config: func(url string) Config {
			return Config{Provider: OpenAI, BaseURL: url + "/v1", APIKey: secretKey, ChatModel: "test-chat", EmbedModel: "test-embed"}
		},
		ok:        func(string) aitest.Reply { return aitest.Reply{Status: 200, Body: openaiEmbeddings(2)} },
		wantPath:  "/v1/embeddings",
		wantAuth:  "Bearer " + secretKey,
		malformed: `{"object":"list","data":[{"embedding":[1,`,
		badShape:  aitest.Reply{Status: 200, Body: openaiEmbeddings(1)}, // one vector for two texts
	},
	{
		name: Anthropic, op: "generate",
		config: func(url string) Config {
			return Config{Provider: Anthropic, BaseURL: url, APIKey: secretKey, ChatModel: "test-claude"}
		},
		ok:        aitest.AnthropicMessage,
		wantPath:  "/v1/messages",
		wantAuth:  "Bearer " + secretKey, // the SDK sends the key as a bearer token
		malformed: `{"id":"msg_01","type":"message","content":[{"type":"text","text":"x"`,
		badShape:  aitest.AnthropicMessage(`{"category": 42}`),
	},
}

// checkReply accepts {"category": "<string>"} only: the stand-in for a prompt's schema.
func checkReply(text string) error {
	var v struct {
		Category *string `json:"category"`
	}
	if err := json.Unmarshal([]byte(text), &v); err != nil || v.Category == nil {
		return errors.New(`want {"category": string}`)
	}
	return nil
}

func rulesFallback(context.Context) (string, error) { return `{"category":"from-rules"}`, nil }

type run struct {
	provider, fallback, text string
	vectors                  int
	err                      error
}

// call runs the adapter's operation through a Client against url, recording the waits
// between attempts instead of sleeping.
// budget is the generation's Budget.
func call(t *testing.T, a adapter, url string, reg *prometheus.Registry, waits *[]time.Duration, budget time.Duration) run {
	t.Helper()
	cfg := a.config(url)
	cfg.Timeout = 2 * time.Second // generous: a loaded machine must not turn a slow reply into a timeout
	c, err := New(cfg, NewMetrics(reg))
	if err != nil {
		t.Fatal(err)
	}
	c.sleep = func(_ context.Context, d time.Duration) error { *waits = append(*waits, d); return nil }
	ctx := context.Background()
	if a.op == "embed" {
		e, err := c.Embed(ctx, []string{"hot coffee", "kettle"})
		return run{provider: e.Provider, fallback: e.Fallback, vectors: len(e.Vectors), err: err}
	}
	g, err := c.GenerateJSON(ctx, GenerateRequest{System: "Reply with JSON.", Prompt: "boots", Schema: []byte(`{}`), Budget: budget},
		checkReply, rulesFallback)
	return run{provider: g.Provider, fallback: g.Fallback, text: g.Text, err: err}
}

func TestConformance(t *testing.T) {
	t.Parallel()
	type scenario struct {
		name         string
		script       func(a adapter) func(n int) aitest.Reply
		wantProvider string // adapter name means the adapter itself
		wantFallback string
		wantRequests int
		wantWaits    []time.Duration // nil: not checked
		budget       time.Duration   // of the whole generation; generation only
	}
	const self = "<adapter>"
	scenarios := []scenario{
		{"success", func(a adapter) func(int) aitest.Reply {
			return func(int) aitest.Reply { return a.ok(`{"category":"Footwear"}`) }
		}, self, "", 1, []time.Duration{}, 0},
		{"429 then success honours Retry-After", func(a adapter) func(int) aitest.Reply {
			return func(n int) aitest.Reply {
				if n == 1 {
					return aitest.Reply{Status: 429, Header: map[string]string{"Retry-After": "2"}, Body: `{"error":{"message":"slow down"}}`}
				}
				return a.ok(`{"category":"Footwear"}`)
			}
		}, self, "", 2, []time.Duration{2 * time.Second}, 0},
		{"429 every time", func(a adapter) func(int) aitest.Reply {
			return func(int) aitest.Reply {
				return aitest.Reply{Status: 429, Header: map[string]string{"Retry-After": "1"}, Body: `{"error":{"message":"slow down"}}`}
			}
		}, Local, "rate_limited", 3, []time.Duration{time.Second, time.Second}, 0},
		{"429 asking for too long a wait", func(a adapter) func(int) aitest.Reply {
			return func(int) aitest.Reply {
				return aitest.Reply{Status: 429, Header: map[string]string{"Retry-After": "3600"}, Body: `{}`}
			}
		}, Local, "rate_limited", 1, []time.Duration{}, 0},
		{"500", func(a adapter) func(int) aitest.Reply {
			return func(int) aitest.Reply { return aitest.Reply{Status: 500, Body: `{"error":{"message":"boom"}}`} }
		}, Local, "server_error", 3, nil, 0},
		{"hang past the timeout", func(a adapter) func(int) aitest.Reply {
			return func(int) aitest.Reply { return aitest.Reply{Hang: true} }
		}, Local, "timeout", 3, nil, 0},
		{"hang past the call's budget", func(a adapter) func(int) aitest.Reply {
			return func(int) aitest.Reply { return aitest.Reply{Hang: true} }
		}, Local, "timeout", 1, []time.Duration{}, 300 * time.Millisecond},
		{"malformed JSON", func(a adapter) func(int) aitest.Reply {
			return func(int) aitest.Reply { return aitest.Reply{Status: 200, Body: a.malformed} }
		}, Local, "malformed", 1, nil, 0},
		{"reply failing the schema", func(a adapter) func(int) aitest.Reply {
			return func(int) aitest.Reply { return a.badShape }
		}, Local, "", 0, nil, 0}, // fallback reason and request count depend on the operation: below
	}
	for _, a := range adapters {
		for _, s := range scenarios {
			if s.budget > 0 && a.op == "embed" {
				continue // embeddings have no budget
			}
			t.Run(a.name+"/"+a.op+"/"+s.name, func(t *testing.T) {
				t.Parallel()
				srv := aitest.NewServer(t, s.script(a))
				reg := prometheus.NewRegistry()
				var waits []time.Duration
				got := call(t, a, srv.URL, reg, &waits, s.budget)
				if got.err != nil {
					t.Fatalf("error %v; every failure should end in a fallback", got.err)
				}
				wantProvider, wantFallback, wantRequests := s.wantProvider, s.wantFallback, s.wantRequests
				if wantProvider == self {
					wantProvider = a.name
				}
				if s.name == "reply failing the schema" {
					// Generation repairs once, then falls back; embeddings of the wrong shape are
					// malformed and not retried.
					wantFallback, wantRequests = "invalid", 2
					if a.op == "embed" {
						wantFallback, wantRequests = "malformed", 1
					}
				}
				if got.provider != wantProvider || got.fallback != wantFallback {
					t.Fatalf("provider %q, fallback %q; want %q, %q", got.provider, got.fallback, wantProvider, wantFallback)
				}
				if n := srv.Count(); n != wantRequests {
					t.Fatalf("%d requests reached the server, want %d", n, wantRequests)
				}
				if s.wantWaits != nil && fmt.Sprint(waits) != fmt.Sprint(s.wantWaits) {
					t.Fatalf("waited %v between attempts, want %v", waits, s.wantWaits)
				}
				switch {
				case a.op == "embed" && got.vectors != 2:
					t.Fatalf("%d vectors for 2 texts", got.vectors)
				case a.op == "generate" && wantProvider == Local && got.text != `{"category":"from-rules"}`:
					t.Fatalf("fallback text %q", got.text)
				case a.op == "generate" && wantProvider != Local && checkReply(got.text) != nil:
					t.Fatalf("accepted an invalid reply %q", got.text)
				}
				for _, r := range srv.Requests() {
					if r.Path != a.wantPath || r.Auth != a.wantAuth {
						t.Fatalf("request to %s with auth %q; want %s with the configured key", r.Path, r.Auth, a.wantPath)
					}
				}
				if wantFallback != "" {
					if n := testutil.ToFloat64(mustCounter(t, reg, a.name, a.op, wantFallback)); n != 1 {
						t.Fatalf("ai_fallbacks_total = %v, want 1", n)
					}
				}
				assertNoKey(t, reg, got)
			})
		}
	}
}

func mustCounter(t *testing.T, reg *prometheus.Registry, provider, op, reason string) prometheus.Collector {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "ai_fallbacks_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["provider"] == provider && labels["op"] == op && labels["reason"] == reason {
				return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "x"}, func() float64 { return m.GetCounter().GetValue() })
			}
		}
	}
	t.Fatalf("no ai_fallbacks_total{provider=%q,op=%q,reason=%q}", provider, op, reason)
	return nil
}

// assertNoKey checks that the API key appears in no metric and no part of the result.
func assertNoKey(t *testing.T, reg *prometheus.Registry, r run) {
	t.Helper()
	mfs, _ := reg.Gather()
	if strings.Contains(fmt.Sprint(mfs), secretKey) || strings.Contains(fmt.Sprintf("%+v", r), secretKey) {
		t.Fatal("the API key leaked into metrics or the result")
	}
}
