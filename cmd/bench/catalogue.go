package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/acme/orders/internal/platform/postgres"
)

// catalogueConns are the wrk connection counts of the catalogue phase.
var catalogueConns = []int{64, 512}

// cataloguePhase measures catalogue reads with wrk (2 threads) over a realistic mix — pages 1
// to 5 of the list, unfiltered and in the three largest categories, in four sorts; product
// pages; the categories — against the demo catalogue, in four set-ups: a bare net/http handler
// (a process of its own) writing the very bytes the API answered for each path, the API with
// its view cache, the same with its Redis stopped, and the API with the view cache off. It
// prints req/s, p50 and p99 of each, and the API's ratios to the bare handler.
func cataloguePhase(ctx context.Context, o options) error {
	if _, err := exec.LookPath("wrk"); err != nil {
		return fmt.Errorf("the catalogue phase needs wrk (apt-get install wrk): %w", err)
	}
	db, err := demoCatalogue(ctx, o, "catalogue")
	if err != nil {
		return err
	}
	if !o.keep {
		defer db.drop()
	}
	paths, err := cataloguePaths(ctx, db.url)
	if err != nil {
		return err
	}
	script, err := wrkScript(paths)
	if err != nil {
		return err
	}
	defer os.Remove(script)
	rds, err := startRedis(ctx)
	if err != nil {
		return err
	}
	defer rds.stop()

	type setup struct {
		name        string
		env         []string
		redisDown   bool
		bare        bool
		results     map[int]wrkResult
		description string
	}
	setups := []*setup{
		{name: "bare", bare: true, description: "bare net/http handler, same bytes"},
		{name: "cached", env: []string{"REDIS_URL=" + rds.url}, description: "API, view cache (in process + Redis)"},
		{name: "redis-down", env: []string{"REDIS_URL=" + rds.url}, redisDown: true, description: "API, view cache, Redis stopped"},
		{name: "uncached", env: []string{"REDIS_URL=" + rds.url, "VIEW_CACHE_MB=0"}, description: "API, no view cache (SQL each read)"},
	}
	var bodies map[string]string
	for _, s := range setups[1:] { // the API set-ups first: the bare handler serves what they answered
		api, err := startAPI(ctx, o, db.url, s.env...)
		if err != nil {
			return err
		}
		if bodies == nil {
			if bodies, err = fetchAll(api.base, paths); err != nil {
				api.stop()
				return err
			}
		}
		if s.redisDown {
			rds.stop()
		}
		s.results = map[int]wrkResult{}
		for _, c := range catalogueConns {
			if s.results[c], err = runWrk(ctx, o, api.base, script, c); err != nil {
				api.stop()
				return err
			}
		}
		api.stop()
		if s.redisDown {
			if err := rds.start(ctx); err != nil {
				return err
			}
		}
	}
	bare, err := startBare(ctx, bodies)
	if err != nil {
		return err
	}
	setups[0].results = map[int]wrkResult{}
	for _, c := range catalogueConns {
		if setups[0].results[c], err = runWrk(ctx, o, bare.base, script, c); err != nil {
			bare.stop()
			return err
		}
	}
	bare.stop()

	fmt.Printf("catalogue reads: wrk -t2, %d paths (pages 1-5 x 4 filters x 4 sorts, 20 product pages, categories), %s per run after %s warm-up\n",
		len(paths), o.duration, o.warmup)
	for _, c := range catalogueConns {
		base := setups[0].results[c].rps
		for _, s := range setups {
			r := s.results[c]
			fmt.Printf("  c=%-3d %-38s %8.0f req/s  p50 %7.2f ms  p99 %7.2f ms  errors %d  ratio %.2f\n",
				c, s.description, r.rps, ms(r.p50), ms(r.p99), r.errors, r.rps/base)
		}
	}
	fmt.Println("  goals: cached >= 0.5 x bare with p99 < 20 ms at 64 connections; Redis stopped: no errors, >= 0.3 x bare")
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// cataloguePaths is the read mix: pages 1-5 unfiltered and in the three largest categories,
// in the default sort and three others; 20 product pages; the categories.
func cataloguePaths(ctx context.Context, dbURL string) ([]string, error) {
	pool, err := postgres.Open(ctx, dbURL, postgres.Options{MaxConns: 1})
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	rows, err := pool.Query(ctx, `SELECT category FROM products WHERE deleted_at IS NULL GROUP BY category ORDER BY count(*) DESC, category LIMIT 3`)
	if err != nil {
		return nil, err
	}
	filters := []string{""}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		filters = append(filters, "category="+url.QueryEscape(c))
	}
	rows.Close()
	var paths []string
	for _, f := range filters {
		for _, sort := range []string{"", "sort=price_cents", "sort=-price_cents", "sort=-created_at"} {
			for page := 1; page <= 5; page++ {
				q := []string{"page=" + strconv.Itoa(page), "page_size=20"}
				for _, part := range []string{f, sort} {
					if part != "" {
						q = append(q, part)
					}
				}
				paths = append(paths, "/api/v1/products?"+strings.Join(q, "&"))
			}
		}
	}
	ids, err := pool.Query(ctx, `SELECT id FROM products WHERE deleted_at IS NULL ORDER BY sku LIMIT 20`)
	if err != nil {
		return nil, err
	}
	defer ids.Close()
	for ids.Next() {
		var id string
		if err := ids.Scan(&id); err != nil {
			return nil, err
		}
		paths = append(paths, "/api/v1/products/"+id)
	}
	return append(paths, "/api/v1/categories"), ids.Err()
}

// wrkScript writes the Lua script that has each wrk request draw one of paths at random.
func wrkScript(paths []string) (string, error) {
	f, err := os.CreateTemp("", "bench-catalogue-*.lua")
	if err != nil {
		return "", err
	}
	defer f.Close()
	quoted := make([]string, len(paths))
	for i, p := range paths {
		quoted[i] = strconv.Quote(p)
	}
	_, err = fmt.Fprintf(f, `local paths = {%s}
local n = #paths
init = function(args) math.randomseed(os.time() + math.floor(os.clock() * 1000000)) end
request = function() return wrk.format("GET", paths[math.random(n)]) end
`, strings.Join(quoted, ",\n"))
	return f.Name(), err
}

type wrkResult struct {
	rps      float64
	p50, p99 time.Duration
	errors   int
}

var (
	wrkRPS     = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkPct     = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([0-9.]+)(us|ms|s)\s*$`)
	wrkNon2xx  = regexp.MustCompile(`Non-2xx or 3xx responses:\s+(\d+)`)
	wrkSockErr = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
)

// runWrk warms up, then measures, and parses wrk's report.
func runWrk(ctx context.Context, o options, base, script string, conns int) (wrkResult, error) {
	run := func(d time.Duration) (string, error) {
		secs := max(1, int(d.Round(time.Second)/time.Second))
		out, err := exec.CommandContext(ctx, "wrk", "-t2", "-c"+strconv.Itoa(conns), "-d"+strconv.Itoa(secs)+"s",
			"--latency", "-s", script, base).CombinedOutput()
		if err != nil {
			return "", fmt.Errorf("wrk: %w: %s", err, out)
		}
		return string(out), nil
	}
	if _, err := run(o.warmup); err != nil {
		return wrkResult{}, err
	}
	out, err := run(o.duration)
	if err != nil {
		return wrkResult{}, err
	}
	var r wrkResult
	if m := wrkRPS.FindStringSubmatch(out); m != nil {
		r.rps, _ = strconv.ParseFloat(m[1], 64)
	} else {
		return r, fmt.Errorf("wrk printed no rate: %s", out)
	}
	for _, m := range wrkPct.FindAllStringSubmatch(out, -1) {
		d, _ := time.ParseDuration(m[2] + m[3])
		if m[1] == "50" {
			r.p50 = d
		} else {
			r.p99 = d
		}
	}
	if m := wrkNon2xx.FindStringSubmatch(out); m != nil {
		r.errors, _ = strconv.Atoi(m[1])
	}
	if m := wrkSockErr.FindStringSubmatch(out); m != nil {
		for _, s := range m[1:] {
			n, _ := strconv.Atoi(s)
			r.errors += n
		}
	}
	return r, nil
}

// fetchAll reads every path once, checking that each answers 200.
func fetchAll(base string, paths []string) (map[string]string, error) {
	out := make(map[string]string, len(paths))
	for _, p := range paths {
		res, err := http.Get(base + p)
		if err != nil {
			return nil, err
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("GET %s: %d %v", p, res.StatusCode, err)
		}
		out[p] = string(body)
	}
	return out, nil
}

// startBare runs this binary again as the bare handler (serveBare) on a free port.
func startBare(ctx context.Context, bodies map[string]string) (*apiProcess, error) {
	f, err := os.CreateTemp("", "bench-bare-*.json")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := json.NewEncoder(f).Encode(bodies); err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, self, "-serve-bare", f.Name(), "-serve-addr", addr)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &apiProcess{cmd: cmd, base: "http://" + addr}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if res, err := http.Get(p.base + "/api/v1/categories"); err == nil {
			res.Body.Close()
			return p, nil
		}
	}
	p.stop()
	return nil, fmt.Errorf("the bare handler did not start")
}

// serveBare is the bare handler: the recorded body of each path, as application/json.
func serveBare(file, addr string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var bodies map[string]string
	if err := json.Unmarshal(data, &bodies); err != nil {
		return err
	}
	raw := make(map[string][]byte, len(bodies))
	for k, v := range bodies {
		raw[k] = []byte(v)
	}
	return http.ListenAndServe(addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := raw[r.URL.RequestURI()]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
}

// benchRedis is a private redis-server the phase can stop and start.
type benchRedis struct {
	cmd  *exec.Cmd
	port string
	url  string
}

func startRedis(ctx context.Context) (*benchRedis, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	r := &benchRedis{port: portOf(addr), url: "redis://" + addr + "/0"}
	return r, r.start(ctx)
}

func (r *benchRedis) start(ctx context.Context) error {
	r.cmd = exec.CommandContext(ctx, "redis-server", "--port", r.port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	r.cmd.Stdout, r.cmd.Stderr = io.Discard, io.Discard
	if err := r.cmd.Start(); err != nil {
		return fmt.Errorf("start redis-server: %w", err)
	}
	opts, _ := redis.ParseURL(r.url)
	c := redis.NewClient(opts)
	defer c.Close()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if c.Ping(ctx).Err() == nil {
			return nil
		}
	}
	return fmt.Errorf("redis-server on port %s did not answer", r.port)
}

func (r *benchRedis) stop() {
	if r.cmd != nil && r.cmd.ProcessState == nil {
		_ = r.cmd.Process.Kill()
		_ = r.cmd.Wait()
	}
}
