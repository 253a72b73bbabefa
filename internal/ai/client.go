package ai

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"
)

// Config selects and tunes the provider. Zero durations and counts take the defaults noted.
type Config struct {
	Provider   string // AI_PROVIDER: local (default), openai or anthropic
	BaseURL    string // AI_BASE_URL: the server's API root, e.g. http://host:11434/v1
	APIKey     string // AI_API_KEY: handed to the SDK only
	ChatModel  string // AI_CHAT_MODEL: required for openai and anthropic
	EmbedModel string // AI_EMBED_MODEL: optional; remote embeddings (openai only)

	Timeout          time.Duration // per attempt (default 10s)
	MaxAttempts      int           // attempts per call, first included (default 3)
	BackoffBase      time.Duration // first wait between attempts, doubling, with jitter (default 250ms)
	MaxRetryWait     time.Duration // longest Retry-After honoured; longer means fall back now (default 10s)
	BreakerThreshold int           // failures in a row that open the circuit (default 5)
	BreakerCooldown  time.Duration // how long it stays open (default 30s)
	HTTPClient       *http.Client  // nil: the SDK's default
}

// ErrConfig reports an unusable AI configuration.
var ErrConfig = errors.New("ai: invalid configuration")

func (c *Config) defaults() {
	if c.Provider == "" {
		c.Provider = Local
	}
	c.Timeout = or(c.Timeout, 10*time.Second)
	c.MaxAttempts = or(c.MaxAttempts, 3)
	c.BackoffBase = or(c.BackoffBase, 250*time.Millisecond)
	c.MaxRetryWait = or(c.MaxRetryWait, 10*time.Second)
	c.BreakerThreshold = or(c.BreakerThreshold, 5)
	c.BreakerCooldown = or(c.BreakerCooldown, 30*time.Second)
}

func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// Client is the resilient front of the configured provider, with the local provider behind it.
// It is safe for concurrent use.
type Client struct {
	cfg     Config
	primary Provider
	local   *LocalProvider
	br      *breaker
	m       *Metrics
	sleep   func(ctx context.Context, d time.Duration) error
}

// New builds the client for cfg; ErrConfig (wrapped, naming the variable) if the provider is
// unknown or lacks its chat model. m may be nil.
func New(cfg Config, m *Metrics) (*Client, error) {
	cfg.defaults()
	local, err := NewLocal()
	if err != nil {
		return nil, err
	}
	if m == nil {
		m = NewMetrics(nil)
	}
	c := &Client{cfg: cfg, local: local, m: m, sleep: sleepCtx,
		br: &breaker{threshold: cfg.BreakerThreshold, cooldown: cfg.BreakerCooldown, now: time.Now}}
	switch cfg.Provider {
	case Local:
		c.primary = local
	case OpenAI:
		if cfg.ChatModel == "" {
			return nil, fmt.Errorf("%w: AI_CHAT_MODEL is required with AI_PROVIDER=openai", ErrConfig)
		}
		c.primary = NewOpenAI(cfg.BaseURL, cfg.APIKey, cfg.ChatModel, cfg.EmbedModel, cfg.HTTPClient)
	case Anthropic:
		if cfg.ChatModel == "" || cfg.APIKey == "" {
			return nil, fmt.Errorf("%w: AI_CHAT_MODEL and AI_API_KEY are required with AI_PROVIDER=anthropic", ErrConfig)
		}
		if cfg.EmbedModel != "" {
			return nil, fmt.Errorf("%w: AI_EMBED_MODEL needs an OpenAI-compatible server; Anthropic has no embeddings", ErrConfig)
		}
		c.primary = NewAnthropic(cfg.BaseURL, cfg.APIKey, cfg.ChatModel, cfg.HTTPClient)
	default:
		return nil, fmt.Errorf("%w: AI_PROVIDER must be local, openai or anthropic", ErrConfig)
	}
	return c, nil
}

// Provider is the configured provider's name.
func (c *Client) Provider() string { return c.primary.Name() }

// Capabilities are the configured provider's.
func (c *Client) Capabilities() Capabilities { return c.primary.Capabilities() }

// Metrics are the client's per-provider metrics, to register with the process's registry.
func (c *Client) Metrics() *Metrics { return c.m }

// Local is the offline provider, always available.
func (c *Client) Local() *LocalProvider { return c.local }

// GenerateJSON asks the configured provider for a reply and accepts it only if check passes
// (check parses the text and validates it against the request's schema). A reply that fails
// check is repaired once: the provider is told what was wrong and asked again. When the
// provider cannot generate, keeps failing after its retries, is skipped by the circuit
// breaker, never gives a valid reply, or has not answered within req.Budget, fallback answers
// instead, and the result names local as the provider and says why in Fallback. The error is
// ctx's when ctx ends first, and ErrNoAnswer only if fallback fails too.
func (c *Client) GenerateJSON(ctx context.Context, req GenerateRequest, check func(text string) error,
	fallback func(ctx context.Context) (string, error)) (Generation, error) {
	if !c.primary.Capabilities().Generate {
		return c.fallback(ctx, "generate", "", fallback)
	}
	pctx := ctx // the provider's share of ctx
	if req.Budget > 0 {
		var cancel context.CancelFunc
		pctx, cancel = context.WithTimeout(ctx, req.Budget)
		defer cancel()
	}
	gen, err := c.generate(pctx, req)
	if err == nil {
		if cerr := check(gen.Text); cerr != nil {
			c.m.calls.WithLabelValues(c.primary.Name(), "generate", "invalid").Inc()
			repair := req
			repair.Prompt = req.Prompt + "\n\nYour previous reply was rejected: " + cerr.Error() +
				". Reply again with only a JSON object that satisfies the schema."
			if gen, err = c.generate(pctx, repair); err == nil {
				if cerr := check(gen.Text); cerr != nil {
					c.m.calls.WithLabelValues(c.primary.Name(), "generate", "invalid").Inc()
					err = ErrInvalid
				}
			}
		}
	}
	if err != nil {
		if ctx.Err() != nil {
			return Generation{}, ctx.Err()
		}
		if pctx.Err() != nil {
			err = ErrTimeout // the budget is spent
		}
		return c.fallback(ctx, "generate", outcome(err), fallback)
	}
	return gen, nil
}

func (c *Client) generate(ctx context.Context, req GenerateRequest) (Generation, error) {
	var gen Generation
	err := c.attempts(ctx, "generate", func(ctx context.Context) (Usage, error) {
		var err error
		gen, err = c.primary.Generate(ctx, req)
		return gen.Usage, err
	})
	return gen, err
}

func (c *Client) fallback(ctx context.Context, op, reason string, fallback func(ctx context.Context) (string, error)) (Generation, error) {
	if reason != "" {
		c.m.fallbacks.WithLabelValues(c.primary.Name(), op, reason).Inc()
	}
	if fallback == nil {
		return Generation{}, ErrNoAnswer
	}
	text, err := fallback(ctx)
	if err != nil {
		return Generation{}, fmt.Errorf("%w: %w", ErrNoAnswer, err)
	}
	return Generation{Text: text, Provider: Local, Model: "rules", Fallback: reason}, nil
}

// Embed embeds texts with the configured provider when it offers embeddings, else with the
// local model. If the provider fails after its retries, the local model answers and the result
// says so in Fallback (its vectors are not comparable with the provider's: callers that store
// vectors must check Provider and Model).
func (c *Client) Embed(ctx context.Context, texts []string) (Embeddings, error) {
	if !c.primary.Capabilities().Embed {
		return c.local.Embed(ctx, texts)
	}
	var out Embeddings
	err := c.attempts(ctx, "embed", func(ctx context.Context) (Usage, error) {
		var err error
		out, err = c.primary.Embed(ctx, texts)
		return out.Usage, err
	})
	if err == nil {
		return out, nil
	}
	if ctx.Err() != nil {
		return Embeddings{}, ctx.Err()
	}
	reason := outcome(err)
	c.m.fallbacks.WithLabelValues(c.primary.Name(), "embed", reason).Inc()
	out, _ = c.local.Embed(ctx, texts)
	out.Fallback = reason
	return out, nil
}

// attempts runs f with a per-attempt timeout, retrying retryable failures with exponential
// backoff and jitter, or after the provider's Retry-After when it sends one, up to MaxAttempts,
// while the circuit breaker allows.
func (c *Client) attempts(ctx context.Context, op string, f func(ctx context.Context) (Usage, error)) error {
	name := c.primary.Name()
	for attempt := 1; ; attempt++ {
		if !c.br.allow() {
			c.m.calls.WithLabelValues(name, op, "circuit_open").Inc()
			return ErrCircuitOpen
		}
		actx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
		start := time.Now()
		usage, err := f(actx)
		if err != nil && ctx.Err() == nil && errors.Is(actx.Err(), context.DeadlineExceeded) {
			err = ErrTimeout
		}
		cancel()
		c.m.latency.WithLabelValues(name, op).Observe(time.Since(start).Seconds())
		c.m.calls.WithLabelValues(name, op, outcome(err)).Inc()
		c.br.record(err == nil)
		if err == nil {
			c.m.tokens.WithLabelValues(name, "input").Add(float64(usage.InputTokens))
			c.m.tokens.WithLabelValues(name, "output").Add(float64(usage.OutputTokens))
			return nil
		}
		if !retryable(err) || attempt >= c.cfg.MaxAttempts || ctx.Err() != nil {
			return err
		}
		wait := c.cfg.BackoffBase << (attempt - 1)
		wait = wait/2 + rand.N(wait/2+1)
		var se *StatusError
		if errors.As(err, &se) && se.RetryAfter > 0 {
			wait = se.RetryAfter
		}
		if wait > c.cfg.MaxRetryWait {
			return err
		}
		if err := c.sleep(ctx, wait); err != nil {
			return err
		}
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
