package main

// The temporal phase measures what the platform asks of Temporal when it grows: how many
// activities and workflows a dev server and one worker with default options start and complete
// a second. The pipeline itself needs few (one long-running activity per loop); the AI
// pipelines start a workflow per customer, and a design with a workflow per order would need
// one per order.

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	platformtemporal "github.com/acme/orders/internal/platform/temporal"
)

const benchTaskQueue = "bench"

// benchNoop is the trivial activity: it returns its argument.
func benchNoop(_ context.Context, i int) (int, error) { return i, nil }

var benchActivityOptions = workflow.ActivityOptions{StartToCloseTimeout: 30 * time.Second}

// benchFanOut starts n activities at once and waits for all of them.
func benchFanOut(ctx workflow.Context, n int) (int, error) {
	ctx = workflow.WithActivityOptions(ctx, benchActivityOptions)
	futures := make([]workflow.Future, n)
	for i := range futures {
		futures[i] = workflow.ExecuteActivity(ctx, benchNoop, i)
	}
	for _, f := range futures {
		if err := f.Get(ctx, nil); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// benchSingle runs one activity.
func benchSingle(ctx workflow.Context) error {
	ctx = workflow.WithActivityOptions(ctx, benchActivityOptions)
	return workflow.ExecuteActivity(ctx, benchNoop, 1).Get(ctx, nil)
}

// temporalPhase starts a dev server and one in-process worker with default options, then
// measures activities per second through fan-out workflows and workflows per second through
// many one-activity workflows, each with o.temporalC workflows in flight.
func temporalPhase(ctx context.Context, o options) error {
	addr, serverPID, stop, err := startTemporal(ctx)
	if err != nil {
		return err
	}
	defer stop()
	var c client.Client
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		c, err = client.DialContext(ctx, client.Options{HostPort: addr, Logger: platformtemporal.NewLogger(nil)})
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("temporal dev server at %s: %w", addr, err)
		}
	}
	defer c.Close()
	w := worker.New(c, benchTaskQueue, worker.Options{})
	w.RegisterWorkflow(benchFanOut)
	w.RegisterWorkflow(benchSingle)
	w.RegisterActivity(benchNoop)
	if err := w.Start(); err != nil {
		return fmt.Errorf("temporal worker: %w", err)
	}
	defer w.Stop()

	var seq atomic.Int64
	run := func(wf any, args ...any) (time.Duration, error) {
		t0 := time.Now()
		opts := client.StartWorkflowOptions{ID: fmt.Sprintf("bench-%d", seq.Add(1)), TaskQueue: benchTaskQueue}
		r, err := c.ExecuteWorkflow(ctx, opts, wf, args...)
		if err != nil {
			return 0, err
		}
		err = r.Get(ctx, nil)
		return time.Since(t0), err
	}
	// cpu is the CPU time used so far by the dev server and by this process (the worker, the
	// client and the goroutines driving them).
	cpu := func() (server, self time.Duration) {
		server, _ = processCPU(serverPID)
		self, _ = processCPU(os.Getpid())
		return server, self
	}
	var server0, self0 time.Duration
	// loop keeps o.temporalC workflows in flight for d and returns the workflows completed, their
	// start → result times, and the time until the last of them completed.
	loop := func(d time.Duration, wf any, args ...any) (int, []time.Duration, time.Duration, error) {
		server0, self0 = cpu()
		start := time.Now()
		end := start.Add(d)
		var mu sync.Mutex
		var lats []time.Duration
		var firstErr error
		var wg sync.WaitGroup
		for range o.temporalC {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for time.Now().Before(end) && ctx.Err() == nil {
					lat, err := run(wf, args...)
					mu.Lock()
					if err != nil {
						if firstErr == nil {
							firstErr = err
						}
						mu.Unlock()
						return
					}
					lats = append(lats, lat)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		return len(lats), lats, time.Since(start), firstErr
	}
	// Warm-up: the first workflows create the task queue's partitions and fill the caches.
	if _, _, _, err := loop(o.warmup, benchSingle); err != nil {
		return fmt.Errorf("temporal warm-up: %w", err)
	}
	n, lats, elapsed, err := loop(o.duration, benchFanOut, o.temporalFanOut)
	if err != nil {
		return fmt.Errorf("temporal fan-out: %w", err)
	}
	server1, self1 := cpu()
	slices.Sort(lats)
	acts := float64(n * o.temporalFanOut)
	fmt.Printf("%-22s %8.0f activities/s  (%d workflows of %d activities, %d in flight, in %.1f s; workflow p50 %.0f ms, p99 %.0f ms; CPU per activity: server %.2f ms, worker and client %.2f ms)\n",
		"temporal fan-out", acts/elapsed.Seconds(), n, o.temporalFanOut, o.temporalC, elapsed.Seconds(),
		ms(pctDur(lats, .5)), ms(pctDur(lats, .99)), ms(server1-server0)/acts, ms(self1-self0)/acts)
	n, lats, elapsed, err = loop(o.duration, benchSingle)
	if err != nil {
		return fmt.Errorf("temporal workflows: %w", err)
	}
	server1, self1 = cpu()
	slices.Sort(lats)
	fmt.Printf("%-22s %8.0f workflows/s  (one activity each, %d in flight: %d in %.1f s; start → result p50 %.1f ms, p99 %.1f ms; CPU per workflow: server %.2f ms, worker and client %.2f ms)\n",
		"temporal workflows", float64(n)/elapsed.Seconds(), o.temporalC, n, elapsed.Seconds(), ms(pctDur(lats, .5)), ms(pctDur(lats, .99)),
		ms(server1-server0)/float64(n), ms(self1-self0)/float64(n))
	fmt.Println("temporal: dev server (bin/temporal server start-dev, in-memory SQLite) and one worker with default options, in this process, on the same cores")
	return nil
}

func pctDur(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
}
