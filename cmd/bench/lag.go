package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/acme/orders/internal/platform/postgres"
)

const lagRate = 300 // orders per second

// lagPhase runs Temporal, the worker and the API, places orders at a steady 300 a second and
// measures, for each, the time from its 201 (the commit) until it is visible in the order
// history read model.
func lagPhase(ctx context.Context, o options, dbURL string, tokens []string) error {
	temporalAddr, _, stopTemporal, err := startTemporal(ctx)
	if err != nil {
		return err
	}
	defer stopTemporal()
	metricsAddr, _ := freeAddr()
	worker := exec.CommandContext(ctx, "bin/worker")
	worker.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "TEMPORAL_ADDRESS="+temporalAddr, "WORKER_METRICS_ADDR="+metricsAddr, "LOG_LEVEL=warn")
	worker.Stdout, worker.Stderr = io.Discard, os.Stderr
	// The worker dials Temporal at start; give the dev server a moment.
	time.Sleep(3 * time.Second)
	if err := worker.Start(); err != nil {
		return fmt.Errorf("start bin/worker: %w", err)
	}
	defer func() { _ = worker.Process.Signal(os.Interrupt); _ = worker.Wait() }()
	api, err := startAPI(ctx, o, dbURL)
	if err != nil {
		return err
	}
	defer api.stop()
	pool, err := postgres.Open(ctx, dbURL, postgres.Options{MaxConns: 2})
	if err != nil {
		return err
	}
	defer pool.Close()

	var mu sync.Mutex
	outstanding := map[uuid.UUID]time.Time{}
	var lags []time.Duration
	stopPoll := make(chan struct{})
	polled := make(chan struct{})
	go func() { // watch the read model every 5 ms for the orders not seen yet
		defer close(polled)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stopPoll:
				return
			case <-tick.C:
			}
			mu.Lock()
			ids := make([]uuid.UUID, 0, len(outstanding))
			for id := range outstanding {
				ids = append(ids, id)
			}
			mu.Unlock()
			if len(ids) == 0 {
				continue
			}
			rows, err := pool.Query(ctx, "SELECT order_id FROM order_history WHERE order_id = ANY($1)", ids)
			if err != nil {
				continue
			}
			now := time.Now()
			mu.Lock()
			for rows.Next() {
				var id uuid.UUID
				if rows.Scan(&id) == nil {
					if t0, ok := outstanding[id]; ok {
						lags = append(lags, now.Sub(t0))
						delete(outstanding, id)
					}
				}
			}
			mu.Unlock()
			rows.Close()
		}
	}()

	// Earlier phases leave events unpublished (no worker ran then): measure only once the
	// worker has published and projected all of them.
	if err := waitCaughtUp(ctx, pool, 2*time.Minute); err != nil {
		return err
	}
	// ...and once the dead rows the earlier phases left are vacuumed, so that autovacuum does
	// not run in the middle of the measurement.
	if _, err := pool.Exec(ctx, "VACUUM ANALYZE"); err != nil {
		return err
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	rng := rand.New(rand.NewPCG(1, 2))
	interval := time.Second / lagRate
	total := int(o.duration.Seconds()) * lagRate
	var wg sync.WaitGroup
	failures := 0
	start := time.Now()
	for i := range total {
		time.Sleep(time.Until(start.Add(time.Duration(i) * interval)))
		body := fmt.Sprintf(`{"items":[{"product_id":"%s","quantity":1}]}`, productID(1+rng.IntN(o.products)))
		token := tokens[rng.IntN(len(tokens))]
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("POST", api.base+"/api/v1/orders", bytes.NewBufferString(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+token)
			res, err := client.Do(req)
			if err != nil {
				mu.Lock()
				failures++
				mu.Unlock()
				return
			}
			defer res.Body.Close()
			var ord struct{ ID uuid.UUID }
			if res.StatusCode != 201 || json.NewDecoder(res.Body).Decode(&ord) != nil {
				mu.Lock()
				failures++
				mu.Unlock()
				return
			}
			mu.Lock()
			outstanding[ord.ID] = time.Now()
			mu.Unlock()
		}()
	}
	wg.Wait()
	sent := time.Since(start)
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		mu.Lock()
		left := len(outstanding)
		mu.Unlock()
		if left == 0 {
			break
		}
	}
	close(stopPoll)
	<-polled
	mu.Lock()
	defer mu.Unlock()
	slices.Sort(lags)
	pct := func(p float64) float64 {
		if len(lags) == 0 {
			return 0
		}
		return float64(lags[min(len(lags)-1, int(p*float64(len(lags))))].Microseconds()) / 1000
	}
	fmt.Printf("%-22s p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms  (%d orders at %.0f/s offered, %d failed, %d never seen; goal p50 < 50 ms, p99 < 500 ms)\n",
		"commit → order history", pct(.5), pct(.99), pct(1), len(lags), float64(total)/sent.Seconds(), failures, len(outstanding))
	return catalogueFreshness(ctx, o, api.base, pool, tokens)
}

// startTemporal starts a Temporal dev server (bin/temporal, in memory) on a free loopback
// port and returns its address, its process ID and a function that stops it.
func startTemporal(ctx context.Context) (string, int, func(), error) {
	addr, err := freeAddr()
	if err != nil {
		return "", 0, nil, err
	}
	server := exec.CommandContext(ctx, "bin/temporal", "server", "start-dev", "--ip", "127.0.0.1", "--port", portOf(addr), "--headless", "--log-level", "error")
	server.Stdout, server.Stderr = io.Discard, io.Discard
	if err := server.Start(); err != nil {
		return "", 0, nil, fmt.Errorf("start bin/temporal (make tools): %w", err)
	}
	return addr, server.Process.Pid, func() { _ = server.Process.Kill(); _ = server.Wait() }, nil
}

// waitCaughtUp waits until nothing is pending and order_history has applied every position.
func waitCaughtUp(ctx context.Context, pool *pgxpool.Pool, limit time.Duration) error {
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		var pending, lag int64
		err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM outbox WHERE NOT published),
			(SELECT p.last_position - c.position FROM outbox_publisher p, projection_checkpoints c WHERE c.name = 'order_history')`).Scan(&pending, &lag)
		if err == nil && pending == 0 && lag == 0 {
			return nil
		}
	}
	return fmt.Errorf("the worker did not catch up with the earlier phases' events within %s", limit)
}
