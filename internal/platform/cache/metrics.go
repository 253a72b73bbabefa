package cache

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// ViewMetrics are the Prometheus metrics of Views: lookups per tier and result, fills, their
// latencies, version changes heard, and the in-process tier's size. It is a
// prometheus.Collector; a nil *ViewMetrics records nothing.
type ViewMetrics struct {
	lookups  *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	fills    *prometheus.CounterVec
	versions *prometheus.CounterVec

	mu    sync.Mutex
	sizes map[string]func() float64 // per cache: the in-process tier's bytes
}

var localBytesDesc = prometheus.NewDesc("view_cache_local_bytes", "Bytes held by the in-process tier.", []string{"cache"}, nil)

// NewViewMetrics returns the metrics; register them (they are one prometheus.Collector).
func NewViewMetrics() *ViewMetrics {
	m := &ViewMetrics{
		lookups: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "view_cache_lookups_total",
			Help: "Lookups of rendered responses by cache, tier (local, redis) and result (hit, miss, error)."},
			[]string{"cache", "tier", "result"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "view_cache_duration_seconds",
			Help:    "Time of a lookup in a tier (local, redis) or of a fill (the handler rendering the response).",
			Buckets: []float64{.00001, .00005, .0001, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1}},
			[]string{"cache", "tier"}),
		fills: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "view_cache_fills_total",
			Help: "Responses rendered on a miss, by cache and result (stored, uncacheable, error)."},
			[]string{"cache", "result"}),
		versions: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "view_cache_version_changes_total",
			Help: "Newer versions of a cache's data heard, by how (publish, subscribe, read); each drops the in-process tier."},
			[]string{"cache", "how"}),
		sizes: map[string]func() float64{},
	}
	return m
}

// Describe implements prometheus.Collector.
func (m *ViewMetrics) Describe(ch chan<- *prometheus.Desc) {
	m.lookups.Describe(ch)
	m.latency.Describe(ch)
	m.fills.Describe(ch)
	m.versions.Describe(ch)
	ch <- localBytesDesc
}

// Collect implements prometheus.Collector.
func (m *ViewMetrics) Collect(ch chan<- prometheus.Metric) {
	m.lookups.Collect(ch)
	m.latency.Collect(ch)
	m.fills.Collect(ch)
	m.versions.Collect(ch)
	m.mu.Lock()
	defer m.mu.Unlock()
	for cache, f := range m.sizes {
		ch <- prometheus.MustNewConstMetric(localBytesDesc, prometheus.GaugeValue, f(), cache)
	}
}

func (m *ViewMetrics) lookup(cache string, tier Source, result string, start time.Time) {
	if m == nil {
		return
	}
	m.lookups.WithLabelValues(cache, string(tier), result).Inc()
	m.latency.WithLabelValues(cache, string(tier)).Observe(time.Since(start).Seconds())
}

func (m *ViewMetrics) fill(cache string, err error, cacheable bool, start time.Time) {
	if m == nil {
		return
	}
	result := "stored"
	switch {
	case err != nil:
		result = "error"
	case !cacheable:
		result = "uncacheable"
	}
	m.fills.WithLabelValues(cache, result).Inc()
	m.latency.WithLabelValues(cache, string(FromFill)).Observe(time.Since(start).Seconds())
}

func (m *ViewMetrics) versionMoved(cache, how string) {
	if m == nil {
		return
	}
	m.versions.WithLabelValues(cache, how).Inc()
}

func (m *ViewMetrics) localBytes(cache string, f func() float64) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sizes[cache] = f
}

// Lookups is the counter of one cache's lookups in one tier with one result.
func (m *ViewMetrics) Lookups(cache, tier, result string) prometheus.Counter {
	return m.lookups.WithLabelValues(cache, tier, result)
}
