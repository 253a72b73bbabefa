package e2e

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"

	"github.com/acme/orders/internal/ai/glove"
	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/catalog"
	"github.com/acme/orders/internal/httpapi"
	"github.com/acme/orders/internal/orders"
	"github.com/acme/orders/internal/platform/freeport"
	"github.com/acme/orders/internal/platform/pgtest"
	"github.com/acme/orders/internal/platform/temporal"
	"github.com/acme/orders/internal/projection"
	"github.com/acme/orders/internal/readmodel"
	"github.com/acme/orders/internal/recommend"
	"github.com/acme/orders/internal/search"
)

var (
	repoRoot  string
	workerBin string
	apiBin    string
)

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		os.Exit(m.Run()) // every drill skips itself: nothing to build
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})))
	root, err := filepath.Abs("../..")
	if err != nil {
		panic(err)
	}
	repoRoot = root
	if _, err := os.Stat(filepath.Join(root, "bin/temporal")); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: bin/temporal is missing; run `make tools`")
		os.Exit(1)
	}
	dir, err := os.MkdirTemp("", "e2e-worker")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	workerBin, apiBin = filepath.Join(dir, "worker"), filepath.Join(dir, "api")
	build := exec.Command("go", "build", "-o", dir, "./cmd/worker", "./cmd/api")
	build.Dir, build.Stdout, build.Stderr = root, os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: build the worker and the API:", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// stack is one drill's world: its own database, its own Temporal server, the API, and worker
// processes started and killed at will.
type stack struct {
	t        *testing.T
	db       *pgtest.DB
	hostPort string
	dbFile   string
	server   *testsuite.DevServer
	client   client.Client
	api      *httptest.Server
	runner   *projection.Runner
	orders   *orders.Service
	catalog  *catalog.Service
	auth     *auth.Service
	keys     *auth.Keys
	workers  []*exec.Cmd
}

func newStack(t *testing.T) *stack {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end drill: runs in the full suite (make test)")
	}
	ctx := context.Background()
	db, err := pgtest.Create(ctx, "e2e")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Drop)
	s := &stack{t: t, db: db, hostPort: freeport.Addr(t), dbFile: filepath.Join(t.TempDir(), "temporal.db")}
	s.startTemporal()
	t.Cleanup(s.stopAll)
	words, err := glove.Default()
	if err != nil {
		t.Fatal(err)
	}
	// Every read model the worker keeps, so the drills compare each with a fresh replay.
	s.runner = projection.NewRunner(db.Pool, readmodel.OrderHistory{}, readmodel.ProductSales{},
		search.Index{Embedder: search.WordVectors{M: words}}, recommend.CoPurchase{})
	s.orders = orders.NewService(orders.NewPostgresStore(db.Pool))
	s.catalog = catalog.NewService(catalog.NewPostgresStore(db.Pool))
	s.keys, _ = auth.NewKeys(auth.KeysConfig{Secret: []byte(strings.Repeat("k", 40)), Issuer: "orders-api", Audience: "orders", TTL: time.Hour})
	s.auth = auth.NewService(auth.NewPostgresStore(db.Pool), s.keys, time.Hour)
	api := httpapi.New(httpapi.Config{RequestTimeout: 10 * time.Second}, httpapi.Deps{
		Auth: s.auth, Catalog: s.catalog, Orders: s.orders, Pool: db.Pool,
		Pipeline: &httpapi.Pipeline{History: readmodel.NewHistoryService(readmodel.NewHistoryReader(db.Pool), nil),
			Admin: projection.NewAdmin(projection.NewPublisher(db.Pool), s.runner, stackRebuilds{s})},
		Checks: []httpapi.Check{{Name: "postgres", Critical: true, Probe: db.Pool.Ping}},
	})
	s.api = httptest.NewServer(api)
	t.Cleanup(s.api.Close)
	return s
}

// startTemporal starts the dev server on the stack's fixed port and file, so that a restart
// finds the workflows it had.
func (s *stack) startTemporal() {
	s.t.Helper()
	srv, err := testsuite.StartDevServer(context.Background(), testsuite.DevServerOptions{
		ExistingPath:  filepath.Join(repoRoot, "bin/temporal"),
		ClientOptions: &client.Options{HostPort: s.hostPort, Namespace: "default"},
		DBFilename:    s.dbFile,
		LogLevel:      "error",
		Stdout:        io.Discard,
		Stderr:        io.Discard,
	})
	if err != nil {
		s.t.Fatal(err)
	}
	s.server = srv
	c, err := temporal.Dial(context.Background(), temporal.Options{Address: s.hostPort, Namespace: "default"})
	if err != nil {
		s.t.Fatal(err)
	}
	s.client = c
}

// stackRebuilds reaches Temporal through the stack's current client, which a restart replaces.
type stackRebuilds struct{ s *stack }

func (r stackRebuilds) StartRebuild(ctx context.Context, name string) (string, error) {
	return temporal.Rebuilds{Client: r.s.client, BatchSize: 500}.StartRebuild(ctx, name)
}

func (r stackRebuilds) LatestRebuild(ctx context.Context, name string) (*projection.RebuildState, error) {
	return temporal.Rebuilds{Client: r.s.client, BatchSize: 500}.LatestRebuild(ctx, name)
}

func (s *stack) stopTemporal() {
	if s.client != nil {
		s.client.Close()
		s.client = nil
	}
	if s.server != nil {
		_ = s.server.Stop()
		s.server = nil
	}
}

// startWorker runs the worker binary against the stack, with short timeouts so that drills
// see retries within seconds; env adds or overrides variables ("NAME=value").
func (s *stack) startWorker(env ...string) *exec.Cmd {
	s.t.Helper()
	cmd := exec.Command(workerBin)
	cmd.Env = append(os.Environ(),
		"DATABASE_URL="+s.db.URL, "TEMPORAL_ADDRESS="+s.hostPort, "WORKER_METRICS_ADDR="+freeport.Addr(s.t),
		"REDIS_URL=", "LOG_LEVEL=error", "DB_MAX_CONNS=8",
		"PIPELINE_HEARTBEAT_TIMEOUT=3s", "PIPELINE_RUN_FOR=20s", "PIPELINE_POLL_INTERVAL=100ms",
		"PIPELINE_BATCH_SIZE=500", "PIPELINE_MAX_ATTEMPTS=3", "PIPELINE_BACKOFF=50ms")
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.workers = append(s.workers, cmd)
	return cmd
}

// startAPI starts the API binary on a free port against the stack's database and Temporal
// (no Redis, no rate limits, a development JWT secret the stack's tokens are signed with),
// with env appended, and waits until it answers /healthz. It returns the process and its base
// URL; the process is killed when the test ends if it still runs.
func (s *stack) startAPI(env ...string) (*exec.Cmd, string) {
	s.t.Helper()
	addr := freeport.Addr(s.t)
	cmd := exec.Command(apiBin)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+s.db.URL, "HTTP_ADDR="+addr, "METRICS_ADDR=", "REDIS_URL=",
		"TEMPORAL_ADDRESS="+s.hostPort, "JWT_SECRET="+strings.Repeat("k", 40), "RATE_LIMIT_API=0", "RATE_LIMIT_AUTH=0",
		"LOG_LEVEL=warn", "DB_MAX_CONNS=8")
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(func() { _ = cmd.Process.Kill() })
	base := "http://" + addr
	waitFor(s.t, "the API to listen", 30*time.Second, func() (bool, string) {
		res, err := http.Get(base + "/healthz")
		if err != nil {
			return false, err.Error()
		}
		res.Body.Close()
		return res.StatusCode == 200, res.Status
	})
	return cmd, base
}

// kill ends a worker process at once (SIGKILL): no clean-up, no deferred code.
func kill(cmd *exec.Cmd) {
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
}

// exited waits for cmd in the background: the channel receives what its Wait returns.
func exited(cmd *exec.Cmd) <-chan error {
	c := make(chan error, 1)
	go func() { c <- cmd.Wait() }()
	return c
}

func (s *stack) stopWorkers() {
	for _, w := range s.workers {
		if w.ProcessState == nil {
			_ = w.Process.Signal(os.Interrupt)
			done := exited(w)
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				_ = w.Process.Kill() // the Wait above returns once it is gone
				<-done
			}
		}
	}
	s.workers = nil
}

func (s *stack) stopAll() {
	s.stopWorkers()
	s.stopTemporal()
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, d time.Duration, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s; last state: %s", d, what, state)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// caughtUp reports whether nothing is pending and every projection has applied everything.
func (s *stack) caughtUp() (bool, string) {
	ctx := context.Background()
	stats, err := projection.NewPublisher(s.db.Pool).Stats(ctx)
	if err != nil {
		return false, err.Error()
	}
	statuses, err := s.runner.Statuses(ctx, stats.LastPosition)
	if err != nil {
		return false, err.Error()
	}
	state := fmt.Sprintf("pending %d, last %d", stats.Pending, stats.LastPosition)
	ok := stats.Pending == 0
	for _, st := range statuses {
		state += fmt.Sprintf(", %s at %d", st.Name, st.Checkpoint)
		ok = ok && st.LagEvents == 0
	}
	return ok, state
}

func (s *stack) count(sql string, args ...any) int64 {
	s.t.Helper()
	var n int64
	if err := s.db.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		s.t.Fatal(err)
	}
	return n
}
