package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/platform/postgres"
)

const (
	benchSecret   = "bench-secret-bench-secret-bench-secret-0123456789"
	benchIssuer   = "orders-api"
	benchAudience = "orders"
)

func numCPU() int { return runtime.NumCPU() }

// productID and userID are deterministic so that pgbench's script can name the same rows.
func productID(n int) uuid.UUID {
	return uuid.MustParse(fmt.Sprintf("00000000-0000-7000-8000-%012x", n))
}

func userID(n int) uuid.UUID {
	return uuid.MustParse(fmt.Sprintf("00000000-0000-7000-9000-%012x", n))
}

type benchDB struct {
	name, url, server string
}

// prepareDatabase creates and migrates a fresh database with the catalogue and customers.
// Stock is large enough that no order of the run is refused.
func prepareDatabase(ctx context.Context, o options) (*benchDB, error) {
	db := &benchDB{name: fmt.Sprintf("orders_bench_%d", time.Now().Unix()), server: o.serverURL}
	u, err := url.Parse(o.serverURL)
	if err != nil {
		return nil, err
	}
	u.Path = "/" + db.name
	db.url = u.String()
	if _, err := postgres.EnsureDatabase(ctx, db.url); err != nil {
		return nil, err
	}
	pool, err := postgres.Open(ctx, db.url, postgres.Options{MaxConns: 4})
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	if _, err := postgres.Migrate(ctx, pool); err != nil {
		return nil, err
	}
	_, err = pool.Exec(ctx, `
		INSERT INTO products (id, sku, name, description, category, price_cents, currency, stock, created_at)
		SELECT ('00000000-0000-7000-8000-' || lpad(to_hex(n), 12, '0'))::uuid, 'BENCH-' || n, 'Bench product ' || n,
		       'A product of the benchmark catalogue, number ' || n || '.', 'Category ' || (n % 12),
		       1999 + (n % 50) * 100, 'USD', 100000000, now() - make_interval(secs => n)
		FROM generate_series(1, $1::int) AS n`, o.products)
	if err != nil {
		return nil, fmt.Errorf("catalogue: %w", err)
	}
	_, err = pool.Exec(ctx, `
		INSERT INTO users (id, email, name, password_hash, role)
		SELECT ('00000000-0000-7000-9000-' || lpad(to_hex(n), 12, '0'))::uuid, 'bench' || n || '@example.com', 'Bench ' || n, '!', 'customer'
		FROM generate_series(1, $1::int) AS n`, o.users)
	if err != nil {
		return nil, fmt.Errorf("customers: %w", err)
	}
	if _, err := pool.Exec(ctx, "VACUUM ANALYZE"); err != nil {
		return nil, err
	}
	return db, nil
}

func (db *benchDB) drop() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, db.server)
	if err != nil {
		return
	}
	defer conn.Close(ctx)
	_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{db.name}.Sanitize()+" WITH (FORCE)")
}

// issueTokens signs an access token for each customer with the secret the API is started with.
func issueTokens(users int) ([]string, error) {
	keys, err := auth.NewKeys(auth.KeysConfig{Secret: []byte(benchSecret), Issuer: benchIssuer, Audience: benchAudience, TTL: time.Hour})
	if err != nil {
		return nil, err
	}
	tokens := make([]string, users)
	for i := range tokens {
		if tokens[i], _, err = keys.Issue(userID(i+1), auth.RoleCustomer, 1); err != nil {
			return nil, err
		}
	}
	return tokens, nil
}

type apiProcess struct {
	cmd  *exec.Cmd
	base string
}

// startAPI runs the API binary on a free loopback port with rate limits off (and env, if any)
// and waits until it is ready.
func startAPI(ctx context.Context, o options, dbURL string, env ...string) (*apiProcess, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	logFile, err := os.CreateTemp("", "bench-api-*.log")
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, o.apiBin)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "HTTP_ADDR="+addr, "METRICS_ADDR=", "JWT_SECRET="+benchSecret,
		"RATE_LIMIT_API=0", "RATE_LIMIT_AUTH=0", fmt.Sprintf("DB_MAX_CONNS=%d", o.concurrency), "APP_ENV=development")
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s (run make build first): %w", o.apiBin, err)
	}
	p := &apiProcess{cmd: cmd, base: "http://" + addr}
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if res, err := http.Get(p.base + "/healthz"); err == nil {
			res.Body.Close()
			fmt.Printf("api: %s (pid %d, logs in %s)\n", p.base, cmd.Process.Pid, logFile.Name())
			return p, nil
		}
	}
	p.stop()
	return nil, fmt.Errorf("the API did not start; see %s", logFile.Name())
}

func (p *apiProcess) stop() {
	if p.cmd.ProcessState == nil {
		_ = p.cmd.Process.Signal(os.Interrupt)
		_ = p.cmd.Wait()
	}
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func portOf(addr string) string {
	_, port, _ := net.SplitHostPort(addr)
	return port
}
