package activities

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/acme/orders/internal/projection"
)

// Metrics are the worker's pipeline instruments. A nil *Metrics records nothing.
type Metrics struct {
	Published prometheus.Counter
	Applied   *prometheus.CounterVec
	Parked    *prometheus.CounterVec
	Duration  *prometheus.HistogramVec
	Lag       *prometheus.GaugeVec
}

// NewMetrics creates the instruments and registers them with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Published: prometheus.NewCounter(prometheus.CounterOpts{Name: "outbox_events_published_total", Help: "Outbox rows given a position by this worker."}),
		Applied:   prometheus.NewCounterVec(prometheus.CounterOpts{Name: "projection_events_applied_total", Help: "Event positions applied, per projection."}, []string{"projection"}),
		Parked:    prometheus.NewCounterVec(prometheus.CounterOpts{Name: "projection_events_parked_total", Help: "Events parked after their retries, per projection."}, []string{"projection"}),
		Duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "projection_apply_duration_seconds", Help: "Time to apply one batch and move the checkpoint.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16)}, []string{"projection"}),
		Lag: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "projection_lag_events", Help: "Published events not yet applied, per projection, as last seen by this worker."}, []string{"projection"}),
	}
	reg.MustRegister(m.Published, m.Applied, m.Parked, m.Duration, m.Lag)
	return m
}

func (m *Metrics) published(n int64) {
	if m != nil {
		m.Published.Add(float64(n))
	}
}

func (m *Metrics) applied(name string, p projection.Progress, d time.Duration) {
	if m == nil {
		return
	}
	m.Applied.WithLabelValues(name).Add(float64(p.Applied))
	m.Parked.WithLabelValues(name).Add(float64(p.Parked))
	m.Lag.WithLabelValues(name).Set(float64(p.Lag()))
	if p.Applied > 0 {
		m.Duration.WithLabelValues(name).Observe(d.Seconds())
	}
}
