package prompt

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/acme/orders/internal/ai"
)

// answers counts every answer to a prompt by who gave it: the model, the fallback because the
// model failed, or the fallback because no model is configured.
var answers = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ai_prompt_answers_total",
	Help: "Answers to each prompt template by version, source (model, fallback, local: no model configured) and fallback reason."},
	[]string{"prompt", "version", "source", "reason"})

// Collector is the prompts' metrics, to register where the process exports its own.
func Collector() prometheus.Collector { return answers }

// Sources of an answer, as in the metrics.
const (
	SourceModel    = "model"    // the configured model answered, its reply valid
	SourceFallback = "fallback" // the model failed or replied invalidly, twice
	SourceLocal    = "local"    // no model is configured: the fallback is the answer
)

// Source says who gave gen.
func Source(gen ai.Generation) string {
	switch {
	case gen.Fallback != "":
		return SourceFallback
	case gen.Provider == ai.Local:
		return SourceLocal
	}
	return SourceModel
}

// Ask renders t with data and asks client for a reply that satisfies t's schema and then
// accept, which checks what the schema cannot (known categories, candidate IDs ...) and may
// normalise the value. A reply that fails either is repaired once; if the repair fails too, or
// the provider fails, or it has not answered within budget (0: no budget), or no model is
// configured, fallback's value is the answer, and gen says so (Provider local, Fallback the
// reason). The error is ctx's if ctx ends first, or a rendering error.
func Ask[T any](ctx context.Context, client *ai.Client, t *Template, data any, budget time.Duration,
	accept func(*T) error, fallback func() T) (T, ai.Generation, error) {
	var zero T
	req, err := t.Render(data)
	if err != nil {
		return zero, ai.Generation{}, err
	}
	req.Budget = budget
	check := func(text string) error {
		var v T
		if err := t.Decode(text, &v); err != nil {
			return err
		}
		return accept(&v)
	}
	var fb *T
	gen, err := client.GenerateJSON(ctx, req, check, func(context.Context) (string, error) {
		v := fallback()
		fb = &v
		b, err := json.Marshal(v)
		return string(b), err
	})
	if err != nil {
		return zero, gen, err
	}
	observe(ctx, t, gen)
	if fb != nil {
		return *fb, gen, nil
	}
	var v T // check passed on this very text, so this cannot fail
	if err := t.Decode(gen.Text, &v); err != nil {
		return zero, gen, fmt.Errorf("prompt %s: %w", t.ID(), err)
	}
	if err := accept(&v); err != nil {
		return zero, gen, fmt.Errorf("prompt %s: %w", t.ID(), err)
	}
	return v, gen, nil
}

func observe(ctx context.Context, t *Template, gen ai.Generation) {
	source := Source(gen)
	answers.WithLabelValues(t.Name, t.Version, source, gen.Fallback).Inc()
	level := slog.LevelDebug
	if source == SourceFallback {
		level = slog.LevelWarn
	}
	slog.Log(ctx, level, "prompt answered", "prompt", t.Name, "version", t.Version, "source", source,
		"provider", gen.Provider, "model", gen.Model, "fallback", gen.Fallback)
}
