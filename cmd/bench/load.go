package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "embed"

	"github.com/jackc/pgx/v5"

	"github.com/acme/orders/db/sqlc"
)

// makeRequest builds the i-th request of a worker; expect is the status that counts as success.
type makeRequest func(r *rand.Rand) (req *http.Request, expect int)

// orderRequest places one-line orders for random products as random customers. Bodies and
// headers are built once, so that the load generator takes as little of the CPU as it can.
func orderRequest(o options, tokens []string) makeRequest {
	bodies := make([][]byte, o.products)
	for i := range bodies {
		bodies[i] = []byte(fmt.Sprintf(`{"items":[{"product_id":"%s","quantity":1}]}`, productID(i+1)))
	}
	auth := make([]string, len(tokens))
	for i, t := range tokens {
		auth[i] = "Bearer " + t
	}
	return func(r *rand.Rand) (*http.Request, int) {
		req, _ := http.NewRequest("POST", "/api/v1/orders", bytes.NewReader(bodies[r.IntN(len(bodies))]))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", auth[r.IntN(len(auth))])
		return req, http.StatusCreated
	}
}

func productsRequest() makeRequest {
	sorts := []string{"name", "-price_cents", "created_at", "price_cents"}
	return func(r *rand.Rand) (*http.Request, int) {
		q := fmt.Sprintf("?sort=%s&page=%d&page_size=20", sorts[r.IntN(len(sorts))], 1+r.IntN(20))
		if r.IntN(2) == 0 {
			q += fmt.Sprintf("&category=Category+%d", r.IntN(12))
		}
		req, _ := http.NewRequest("GET", "/api/v1/products"+q, nil)
		return req, http.StatusOK
	}
}

type result struct {
	latencies []time.Duration
	failures  int
	elapsed   time.Duration
}

func (r result) rate() float64 { return float64(len(r.latencies)) / r.elapsed.Seconds() }

func (r result) report(name string) string {
	slices.Sort(r.latencies)
	pct := func(p float64) time.Duration {
		if len(r.latencies) == 0 {
			return 0
		}
		return r.latencies[min(len(r.latencies)-1, int(p*float64(len(r.latencies))))]
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return fmt.Sprintf("%-22s %8.0f req/s  p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  (%d ok, %d failed)",
		name, r.rate(), ms(pct(.50)), ms(pct(.95)), ms(pct(.99)), len(r.latencies), r.failures)
}

// drive runs o.concurrency workers, each with one request in flight, for the warm-up and then
// the measured duration; only the measured requests count.
func drive(ctx context.Context, o options, base string, mk makeRequest) result {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: o.concurrency, MaxConnsPerHost: o.concurrency}}
	target, _ := url.Parse(base)
	start := time.Now().Add(o.warmup)
	end := start.Add(o.duration)
	var mu sync.Mutex
	var total result
	var wg sync.WaitGroup
	for w := 0; w < o.concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			var lat []time.Duration
			failures := 0
			for ctx.Err() == nil {
				req, expect := mk(rng)
				req.URL.Scheme, req.URL.Host, req.Host = target.Scheme, target.Host, target.Host
				t0 := time.Now()
				if t0.After(end) {
					break
				}
				res, err := client.Do(req.WithContext(ctx))
				ok := err == nil && res.StatusCode == expect
				if err == nil {
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
				if t0.Before(start) {
					continue
				}
				if ok {
					lat = append(lat, time.Since(t0))
				} else {
					failures++
				}
			}
			mu.Lock()
			total.latencies = append(total.latencies, lat...)
			total.failures += failures
			mu.Unlock()
		}()
	}
	wg.Wait()
	total.elapsed = o.duration
	return total
}

// The order transaction as the API runs it, and as it ran before it became two statements.
var (
	//go:embed order.pgbench
	orderScript []byte
	//go:embed order-v1.pgbench
	orderV1Script []byte
)

var tpsLine = regexp.MustCompile(`tps = ([0-9.]+)`)

// pgbench runs an order transaction script with the same concurrency and returns tx/s.
func pgbench(ctx context.Context, o options, dbURL string, script []byte) (float64, error) {
	dir, err := os.MkdirTemp("", "bench")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "order.pgbench")
	if err := os.WriteFile(path, script, 0o600); err != nil {
		return 0, err
	}
	secs := int((o.duration + o.warmup).Seconds())
	cmd := exec.CommandContext(ctx, "pgbench", "-n", "-M", "prepared", "-c", strconv.Itoa(o.concurrency), "-j", strconv.Itoa(max(1, numCPU())),
		"-T", strconv.Itoa(secs), "-D", "products="+strconv.Itoa(o.products), "-D", "users="+strconv.Itoa(o.users), "-f", path, dbURL)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("pgbench: %w\n%s", err, out)
	}
	m := tpsLine.FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("pgbench printed no tps:\n%s", out)
	}
	return strconv.ParseFloat(string(m[1]), 64)
}

// setWaiting sets outbox_wakeup.waiting, which makes every transaction that writes an outbox
// row notify on commit, as a waiting publisher asks (and as every order transaction did before
// migration 00007).
func setWaiting(ctx context.Context, dbURL string, waiting bool) error {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	return sqlc.New(conn).SetOutboxWaiting(ctx, waiting)
}

// apiPhases measures the write and read paths through HTTP, then pgbench's physical limit of
// the order transaction the API runs, and of the one it ran before.
func apiPhases(ctx context.Context, o options, dbURL string, tokens []string) error {
	if o.apiProcs != "" {
		if err := apiPerCore(ctx, o, dbURL, tokens); err != nil {
			return err
		}
	}
	api, err := startAPI(ctx, o, dbURL)
	if err != nil {
		return err
	}
	defer api.stop()
	orders := drive(ctx, o, api.base, orderRequest(o, tokens))
	fmt.Println(orders.report("POST /api/v1/orders"))
	products := drive(ctx, o, api.base, productsRequest())
	fmt.Println(products.report("GET  /api/v1/products"))
	api.stop()

	// The old transaction ran when every commit notified; the API's runs while the publisher
	// is busy, or absent as here, when none does.
	if err := setWaiting(ctx, dbURL, true); err != nil {
		return err
	}
	oldTPS, err := pgbench(ctx, o, dbURL, orderV1Script)
	if err != nil {
		return err
	}
	if err := setWaiting(ctx, dbURL, false); err != nil {
		return err
	}
	fmt.Printf("%-22s %8.0f tx/s  (pgbench -M prepared, %d clients: the old transaction, statement by statement, notifying on commit)\n", "pgbench old order tx", oldTPS, o.concurrency)
	newTPS, err := pgbench(ctx, o, dbURL, orderScript)
	if err != nil {
		return err
	}
	fmt.Printf("%-22s %8.0f tx/s  (pgbench -M prepared, %d clients: the API's transaction, BEGIN + two statements + COMMIT, no HTTP)\n", "pgbench new order tx", newTPS, o.concurrency)
	fmt.Printf("POST /orders %.0f orders/s, pgbench old %.0f tx/s, pgbench new %.0f tx/s, ratio to new %.2f  (goal ≥ 0.60)\n",
		orders.rate(), oldTPS, newTPS, orders.rate()/newTPS)
	return nil
}

// apiPerCore runs the order and product loads against an API started with each GOMAXPROCS of
// o.apiProcs, and prints the rate per core allowed and per second of CPU the API process used
// (from /proc: user and system time, all its threads).
func apiPerCore(ctx context.Context, o options, dbURL string, tokens []string) error {
	procs, err := parseInts(o.apiProcs)
	if err != nil {
		return fmt.Errorf("-api-procs: %w", err)
	}
	for _, n := range procs {
		api, err := startAPI(ctx, o, dbURL, fmt.Sprintf("GOMAXPROCS=%d", n))
		if err != nil {
			return err
		}
		for _, load := range []struct {
			name string
			mk   makeRequest
		}{{"POST /api/v1/orders", orderRequest(o, tokens)}, {"GET  /api/v1/products", productsRequest()}} {
			var cpu0, cpu1 time.Duration
			measured := o
			measured.warmup = 0
			_ = drive(ctx, withDuration(o, o.warmup), api.base, load.mk) // warm-up, not counted
			cpu0, err = processCPU(api.cmd.Process.Pid)
			if err == nil {
				r := drive(ctx, measured, api.base, load.mk)
				cpu1, err = processCPU(api.cmd.Process.Pid)
				if err == nil {
					used := (cpu1 - cpu0).Seconds()
					fmt.Printf("%s  GOMAXPROCS=%d: %.0f req/s per core allowed; API CPU %.2f cores busy, %.0f req per CPU-second\n",
						r.report(load.name), n, r.rate()/float64(n), used/measured.duration.Seconds(), float64(len(r.latencies))/used)
				}
			}
			if err != nil {
				api.stop()
				return err
			}
		}
		api.stop()
	}
	return nil
}

func withDuration(o options, d time.Duration) options {
	o.duration, o.warmup = d, 0
	return o
}

// processCPU is the user plus system time pid has used so far.
func processCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The fields after the command name, which is in parentheses and may hold spaces:
	// state is field 3, utime 14, stime 15 (in clock ticks, 100 a second on Linux).
	rest := string(b[bytes.LastIndexByte(b, ')')+2:])
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: too few fields", pid)
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/%d/stat: %q %q", pid, f[11], f[12])
	}
	return time.Duration(ut+st) * 10 * time.Millisecond, nil
}
