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

	// Rebuilds: started (the read model emptied), finished (replayed up to the position
	// published when it was emptied), and what the replay running on this worker still has
	// to apply (0 when none runs here).
	RebuildsStarted  *prometheus.CounterVec
	RebuildsFinished *prometheus.CounterVec
	RebuildRemaining *prometheus.GaugeVec
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
	m.RebuildsStarted = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "projection_rebuilds_started_total", Help: "Rebuilds that emptied their read model, per projection."}, []string{"projection"})
	m.RebuildsFinished = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "projection_rebuilds_finished_total", Help: "Rebuilds that replayed up to their target position, per projection."}, []string{"projection"})
	m.RebuildRemaining = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "projection_rebuild_remaining_events",
		Help: "Positions a rebuild replaying on this worker has still to apply, per projection; 0 when none runs here."}, []string{"projection"})
	reg.MustRegister(m.Published, m.Applied, m.Parked, m.Duration, m.Lag, m.RebuildsStarted, m.RebuildsFinished, m.RebuildRemaining)
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

// rebuildStarted records a read model emptied for a replay up to target; with nothing
// published there is nothing to replay, and the rebuild is finished too.
func (m *Metrics) rebuildStarted(name string, target int64) {
	if m == nil {
		return
	}
	m.RebuildsStarted.WithLabelValues(name).Inc()
	m.RebuildRemaining.WithLabelValues(name).Set(float64(target))
	if target == 0 {
		m.RebuildsFinished.WithLabelValues(name).Inc()
	}
}

// rebuildProgress records a replay's distance to its target; a replay that reached it counts
// as finished.
func (m *Metrics) rebuildProgress(name string, checkpoint, target int64) {
	if m == nil {
		return
	}
	m.RebuildRemaining.WithLabelValues(name).Set(float64(max(0, target-checkpoint)))
	if checkpoint >= target {
		m.RebuildsFinished.WithLabelValues(name).Inc()
	}
}

// rebuildLeft clears the gauge when a replay's activity returns, finished or not: the next
// chunk may run on another worker, which then reports it.
func (m *Metrics) rebuildLeft(name string) {
	if m != nil {
		m.RebuildRemaining.WithLabelValues(name).Set(0)
	}
}
