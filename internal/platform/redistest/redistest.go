// Package redistest runs a private redis-server process for tests that need to stop and start
// Redis (outage drills) without touching the shared server on 6379.
package redistest

import (
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/acme/orders/internal/platform/freeport"
	"github.com/redis/go-redis/v9"
)

// Shared returns a client of the machine's shared Redis on 127.0.0.1:6379 (closed at the test's
// end), for tests that keep to keys of their own; the test is skipped if it does not answer.
func Shared(t testing.TB) *redis.Client {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379", DialTimeout: 200 * time.Millisecond,
		ReadTimeout: 100 * time.Millisecond, WriteTimeout: 100 * time.Millisecond, MaxRetries: -1})
	t.Cleanup(func() { rdb.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		t.Skipf("no Redis on 127.0.0.1:6379: %v", err)
	}
	return rdb
}

// Server is a redis-server process on a loopback port of its own, with no persistence.
type Server struct {
	t    testing.TB
	port int
	cmd  *exec.Cmd
}

// Start runs redis-server on a free port and waits until it answers; the test's cleanup stops
// it. The test is skipped if redis-server is not installed.
func Start(t testing.TB) *Server {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server is not installed")
	}
	s := &Server{t: t, port: freeport.Port(t)}
	s.Restart()
	t.Cleanup(s.Kill)
	return s
}

// Addr is the server's host:port.
func (s *Server) Addr() string { return "127.0.0.1:" + strconv.Itoa(s.port) }

// URL is the server's redis:// URL.
func (s *Server) URL() string { return "redis://" + s.Addr() + "/0" }

// Kill stops the process at once (SIGKILL), as a crash would; it is a no-op when stopped.
func (s *Server) Kill() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

// Restart starts the process again on the same port (empty: nothing was persisted) and waits
// until it answers PING.
func (s *Server) Restart() {
	s.t.Helper()
	s.Kill()
	cmd := exec.Command("redis-server", "--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--protected-mode", "no")
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("start redis-server: %v", err)
	}
	s.cmd = cmd
	c := redis.NewClient(&redis.Options{Addr: s.Addr(), MaxRetries: -1})
	defer c.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			s.Kill()
			s.t.Fatal(fmt.Errorf("redis-server on %s did not answer: %w", s.Addr(), err))
		}
		time.Sleep(20 * time.Millisecond)
	}
}
