package ai

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the per-provider counters and latencies of AI calls.
type Metrics struct {
	calls     *prometheus.CounterVec   // provider, op, outcome
	latency   *prometheus.HistogramVec // provider, op
	tokens    *prometheus.CounterVec   // provider, direction (input|output)
	fallbacks *prometheus.CounterVec   // provider (the one that failed), op, reason
}

// NewMetrics registers the AI metrics with reg (nil: not exported, still counted).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ai_calls_total",
			Help: "Calls to AI providers by provider, operation (generate, embed) and outcome."}, []string{"provider", "op", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "ai_call_duration_seconds",
			Help:    "Latency of one attempt at an AI provider.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}}, []string{"provider", "op"}),
		tokens: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ai_tokens_total",
			Help: "Tokens consumed at AI providers, as they report them."}, []string{"provider", "direction"}),
		fallbacks: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ai_fallbacks_total",
			Help: "Answers given by the local fallback because the configured provider failed, by that provider and reason."},
			[]string{"provider", "op", "reason"}),
	}
	if reg != nil {
		reg.MustRegister(m.calls, m.latency, m.tokens, m.fallbacks)
	}
	return m
}

// Describe implements prometheus.Collector, so the metrics can be registered where the
// process exports its own.
func (m *Metrics) Describe(ch chan<- *prometheus.Desc) {
	m.calls.Describe(ch)
	m.latency.Describe(ch)
	m.tokens.Describe(ch)
	m.fallbacks.Describe(ch)
}

// Collect implements prometheus.Collector.
func (m *Metrics) Collect(ch chan<- prometheus.Metric) {
	m.calls.Collect(ch)
	m.latency.Collect(ch)
	m.tokens.Collect(ch)
	m.fallbacks.Collect(ch)
}
