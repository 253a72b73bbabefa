package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/orders"
)

// TestAPISigtermUnderLoad sends SIGTERM to the API binary while clients keep placing orders and
// reading the catalogue over keep-alive connections. /readyz turns 503 at once while requests
// are still served (SHUTDOWN_DELAY); then the API stops accepting, finishes what is in flight
// and exits 0. Every request it accepted is answered in full: the only failures allowed are
// connections refused after it stopped listening, and every 201 has its order in the database
// (and no order exists without one).
func TestAPISigtermUnderLoad(t *testing.T) {
	s := newStack(t)
	sh := s.openShop(4, 6)
	api, base := s.startAPI("SHUTDOWN_DELAY=2s", "SHUTDOWN_TIMEOUT=20s")

	orderBody, err := json.Marshal(map[string]any{"items": []map[string]any{{"product_id": sh.products[0].ID, "quantity": 1}}})
	if err != nil {
		t.Fatal(err)
	}
	var (
		stop, signalled   atomic.Bool
		okBefore, okAfter atomic.Int64 // answered in full, before and after SIGTERM
		refused           atomic.Int64 // never reached the API: its port was closed
		mu                sync.Mutex
		failures          []string
		created           = map[string]bool{}
		wg                sync.WaitGroup
	)
	fail := func(f string, args ...any) {
		mu.Lock()
		failures = append(failures, fmt.Sprintf(f, args...))
		mu.Unlock()
	}
	answered := func() {
		if signalled.Load() {
			okAfter.Add(1)
		} else {
			okBefore.Add(1)
		}
	}
	refusedOrFail := func(what string, err error) {
		if errors.Is(err, syscall.ECONNREFUSED) {
			refused.Add(1)
			return
		}
		fail("%s: %v", what, err)
	}
	for g := range 6 {
		wg.Go(func() {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}, Timeout: 30 * time.Second}
			for i := 0; !stop.Load(); i++ {
				if g%2 == 0 { // an order; the Idempotency-Key makes a send on a closing connection safe to retry
					req, _ := http.NewRequest("POST", base+"/api/v1/orders", bytes.NewReader(orderBody))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Authorization", "Bearer "+sh.tokens[g%len(sh.tokens)])
					req.Header.Set("Idempotency-Key", uuid.NewString())
					res, err := client.Do(req)
					if err != nil {
						refusedOrFail("POST /orders", err)
						continue
					}
					var o struct{ ID string }
					decodeErr := json.NewDecoder(res.Body).Decode(&o)
					res.Body.Close()
					if res.StatusCode != 201 || decodeErr != nil {
						fail("POST /orders: %d (%v)", res.StatusCode, decodeErr)
						continue
					}
					mu.Lock()
					created[o.ID] = true
					mu.Unlock()
					answered()
					continue
				}
				res, err := client.Get(base + fmt.Sprintf("/api/v1/products?page_size=%d", 1+i%5))
				if err != nil {
					refusedOrFail("GET /products", err)
					continue
				}
				_, copyErr := io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 || copyErr != nil {
					fail("GET /products: %d (%v)", res.StatusCode, copyErr)
					continue
				}
				answered()
			}
		})
	}
	time.Sleep(time.Second)
	signalled.Store(true)
	if err := api.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// The signal is handled asynchronously: /readyz turns 503 a moment later, while the API
	// still serves (SHUTDOWN_DELAY is 2 s).
	readyzStopping := false
	for deadline := time.Now().Add(1500 * time.Millisecond); !readyzStopping && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		res, err := http.Get(base + "/readyz")
		if err != nil {
			break
		}
		res.Body.Close()
		readyzStopping = res.StatusCode == 503
	}
	if !readyzStopping {
		t.Error("/readyz did not answer 503 while the API was still serving after SIGTERM")
	}
	select {
	case err := <-exited(api):
		if err != nil {
			t.Errorf("the API exited with %v, want 0", err)
		}
	case <-time.After(40 * time.Second):
		t.Fatal("the API did not exit within 40 s of SIGTERM")
	}
	time.Sleep(200 * time.Millisecond) // clients now meet a closed port
	stop.Store(true)
	wg.Wait()

	mu.Lock()
	defer mu.Unlock()
	t.Logf("%d answers before SIGTERM, %d after it, %d connections refused once stopped, %d orders", okBefore.Load(), okAfter.Load(), refused.Load(), len(created))
	if len(failures) > 0 {
		t.Fatalf("%d accepted requests failed, e.g. %s", len(failures), failures[0])
	}
	if okBefore.Load() == 0 || okAfter.Load() == 0 || refused.Load() == 0 {
		t.Fatal("the drill did not cover serving before and after SIGTERM and refusing after exit")
	}
	if n := s.count("SELECT count(*) FROM orders"); n != int64(len(created)) {
		t.Fatalf("%d orders in the database, %d answered 201", n, len(created))
	}
}

// TestWorkerSigtermMidDrain sends SIGTERM to a worker while it drains a backlog in small
// batches: it stops polling, lets the batch in hand commit, and exits 0 within
// SHUTDOWN_TIMEOUT; a second worker finishes the drain, and every read model equals a fresh
// replay of the log, with one history row per order: nothing applied twice, nothing lost.
func TestWorkerSigtermMidDrain(t *testing.T) {
	s := newStack(t)
	sh := s.openShop(5, 6)
	const total = 1500
	var wg sync.WaitGroup
	for g := range 5 {
		wg.Go(func() {
			for i := range total / 5 {
				lines := []orders.Line{{ProductID: sh.products[(g+i)%5].ID, Quantity: 1}}
				if _, _, err := s.orders.Place(context.Background(), sh.users[i%len(sh.users)], lines, ""); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	w := s.startWorker("PIPELINE_BATCH_SIZE=20", "SHUTDOWN_TIMEOUT=20s")
	waitFor(t, "the drain to be under way", time.Minute, func() (bool, string) {
		n := s.count("SELECT count(*) FROM order_history")
		return n > 0, fmt.Sprintf("%d in history", n)
	})
	if err := w.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	atSignal := s.count("SELECT count(*) FROM order_history")
	select {
	case err := <-exited(w):
		if err != nil {
			t.Fatalf("the worker exited with %v, want 0", err)
		}
	case <-time.After(40 * time.Second):
		t.Fatal("the worker did not exit within 40 s of SIGTERM")
	}
	if atSignal >= total {
		t.Fatalf("the drain was over (%d of %d) before SIGTERM: the drill proves nothing", atSignal, total)
	}
	t.Logf("SIGTERM with %d of %d orders in history", atSignal, total)
	s.startWorker()
	waitFor(t, "a second worker to finish the drain", 2*time.Minute, s.caughtUp)
	s.stopWorkers()
	s.expectFreshReplay("after the SIGTERM")
	if o, h := s.count("SELECT count(*) FROM orders"), s.count("SELECT count(*) FROM order_history"); o != h || o != total {
		t.Fatalf("%d placed, %d orders, %d in history", total, o, h)
	}
}
