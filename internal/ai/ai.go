// Package ai is the project's own small interface to AI providers: text and JSON generation
// and text embeddings, with capability flags, behind adapters chosen by configuration.
//
//   - local (the default): no network and no key. It embeds text with GloVe word vectors (see
//     package glove) and generates nothing: callers supply a rule-based answer for that case.
//   - openai: any server that speaks the OpenAI chat-completions and embeddings API (OpenAI,
//     Ollama, vLLM, llama.cpp ...), by base URL, key and model names.
//   - anthropic: the Anthropic Messages API.
//
// Client wraps the configured provider with per-call timeouts, retries with backoff on 429 and
// 5xx (honouring Retry-After), a circuit breaker and a fallback to local, records metrics per
// provider, and says in every result which provider answered. API keys are only ever handed to
// the SDKs: no error, log line, metric or result carries one.
package ai

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Provider names, as configured in AI_PROVIDER and reported in results.
const (
	Local     = "local"
	OpenAI    = "openai"
	Anthropic = "anthropic"
)

// Capabilities say what a provider can do.
type Capabilities struct {
	Generate bool // text and JSON generation
	Embed    bool // text embeddings
}

// GenerateRequest asks for one reply. User text goes in Prompt, never in System, and is
// treated by the prompts as data to read, not instructions to follow.
type GenerateRequest struct {
	System    string // instructions
	Prompt    string // the user turn
	Schema    []byte // optional JSON Schema the reply must satisfy (JSON mode); nil for free text
	MaxTokens int    // 0 means 1024
	// Budget bounds the whole call at the provider, retries and the repair turn included:
	// once it is spent the fallback answers (reason "timeout"), so a slow provider cannot use
	// up a caller's own deadline. 0: only ctx and the per-attempt timeouts bound it.
	Budget time.Duration
}

// Usage is the tokens a call consumed, as the provider reported them.
type Usage struct {
	InputTokens  int64
	OutputTokens int64
}

// Generation is a provider's reply.
type Generation struct {
	Text     string
	Provider string // which provider answered: local when the fallback did
	Model    string
	Usage    Usage
	Fallback string // why the configured provider did not answer ("" when it did)
}

// Embeddings are one unit-length vector per input text, in input order.
type Embeddings struct {
	Vectors  [][]float32
	Provider string
	Model    string
	Usage    Usage
	Fallback string
}

// Provider is one adapter. Implementations make exactly one attempt per call (Client retries)
// and report failures as the errors below.
type Provider interface {
	Name() string
	Capabilities() Capabilities
	// Generate returns the reply text; ErrUnsupported if the provider cannot generate.
	Generate(ctx context.Context, req GenerateRequest) (Generation, error)
	// Embed embeds texts; ErrUnsupported if the provider cannot embed.
	Embed(ctx context.Context, texts []string) (Embeddings, error)
}

// Errors reported by providers and the Client.
var (
	ErrUnsupported = errors.New("ai: the provider does not offer this capability")
	ErrTimeout     = errors.New("ai: the provider did not answer in time")
	ErrMalformed   = errors.New("ai: the provider's reply is not in the expected format")
	ErrInvalid     = errors.New("ai: the reply does not satisfy its schema")
	ErrCircuitOpen = errors.New("ai: the provider failed repeatedly and is skipped for a while")
	ErrNoAnswer    = errors.New("ai: no provider could answer")
)

// StatusError is an HTTP error status from a provider. It holds no body or header: those may
// echo request details.
type StatusError struct {
	Provider   string
	Status     int
	RetryAfter time.Duration // from the Retry-After header; 0 if absent
}

// Error implements error.
func (e *StatusError) Error() string {
	return fmt.Sprintf("ai: %s answered HTTP %d", e.Provider, e.Status)
}

// retryable reports whether another attempt may succeed: rate limits, server errors, timeouts
// and connection failures. Malformed or invalid replies and client errors are not retried
// (an invalid reply gets its one repair attempt elsewhere).
func retryable(err error) bool {
	var se *StatusError
	switch {
	case errors.As(err, &se):
		return se.Status == 429 || se.Status == 408 || se.Status >= 500
	case errors.Is(err, ErrMalformed), errors.Is(err, ErrInvalid), errors.Is(err, ErrUnsupported):
		return false
	}
	return true // timeouts and transport errors
}

// outcome is the metric label for an error.
func outcome(err error) string {
	var se *StatusError
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &se) && se.Status == 429:
		return "rate_limited"
	case errors.As(err, &se) && se.Status >= 500:
		return "server_error"
	case errors.As(err, &se):
		return "client_error"
	case errors.Is(err, ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, ErrMalformed):
		return "malformed"
	case errors.Is(err, ErrInvalid):
		return "invalid"
	case errors.Is(err, ErrCircuitOpen):
		return "circuit_open"
	case errors.Is(err, ErrUnsupported):
		return "unsupported"
	}
	return "transport_error"
}
