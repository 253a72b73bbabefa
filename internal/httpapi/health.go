package httpapi

import (
	"context"
	"net/http"
	"time"
)

// Check is one dependency probed by /readyz. Only a Critical check failing makes the API
// unready (503); the others are reported as "degraded".
type Check struct {
	Name     string
	Critical bool
	Probe    func(ctx context.Context) error
}

func (a *API) healthz(w http.ResponseWriter, r *http.Request) error {
	return respond(w, http.StatusOK, map[string]string{"status": "ok"})
}

// Drain marks the API as stopping: /readyz answers 503 "stopping" from now on, so that load
// balancers take this process out of rotation while it still serves what reaches it.
func (a *API) Drain() { a.draining.Store(true) }

// readyz probes every dependency at once, each with a short timeout.
func (a *API) readyz(w http.ResponseWriter, r *http.Request) error {
	if a.draining.Load() {
		w.Header().Set("Cache-Control", "no-store")
		return respond(w, http.StatusServiceUnavailable, map[string]any{"status": "stopping", "checks": map[string]string{}})
	}
	type result struct {
		i   int
		err error
	}
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	results := make(chan result, len(a.checks))
	for i, c := range a.checks {
		go func() { results <- result{i, c.Probe(ctx)} }()
	}
	checks := map[string]string{}
	status, code := "ready", http.StatusOK
	for range a.checks {
		res := <-results
		c := a.checks[res.i]
		switch {
		case res.err == nil:
			checks[c.Name] = "ok"
		case c.Critical:
			checks[c.Name] = "unavailable"
			status, code = "unavailable", http.StatusServiceUnavailable
		default:
			checks[c.Name] = "degraded"
			if status == "ready" {
				status = "degraded"
			}
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	return respond(w, code, map[string]any{"status": status, "checks": checks})
}
