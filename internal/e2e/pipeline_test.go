package e2e

import (
	"context"
	"maps"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/acme/orders/activities"
	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/orders"
	"github.com/acme/orders/workflows"
)

type historyPage struct {
	Items []struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	} `json:"items"`
	NextCursor  *string `json:"next_cursor"`
	Consistency struct {
		ProjectedThrough int64 `json:"projected_through"`
		Latest           int64 `json:"latest"`
	} `json:"consistency"`
}

// TestOrdersReachHistoryAndRebuild: orders placed through the API appear in the order history
// once the worker has published and projected them; the publisher's position is visible
// through Temporal; a rebuild by replay gives the same read model while the other read model
// keeps its state, and a second rebuild while one runs is refused.
func TestOrdersReachHistoryAndRebuild(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	sh := s.openShop(5, 4)
	mine := map[string]bool{}
	for i := range 30 {
		id, status := s.placeHTTP(sh.tokens[i%3], sh.products[i%5].ID, 1+i%2)
		if status != 201 {
			t.Fatalf("order %d: status %d", i, status)
		}
		if i%3 == 0 {
			mine[id] = true
		}
	}
	waitFor(t, "the pipeline to catch up", 60*time.Second, s.caughtUp)

	var page historyPage
	if st := s.getJSON(sh.tokens[0], "/api/v1/orders?page_size=7", &page); st != 200 {
		t.Fatalf("GET /orders: %d", st)
	}
	seen := 0
	for {
		for _, it := range page.Items {
			if !mine[it.ID] {
				t.Fatalf("history shows order %s that is not the customer's", it.ID)
			}
			seen++
		}
		if page.Consistency.ProjectedThrough != page.Consistency.Latest || page.Consistency.Latest == 0 {
			t.Fatalf("consistency %+v after catching up", page.Consistency)
		}
		if page.NextCursor == nil {
			break
		}
		cursor := *page.NextCursor
		page = historyPage{}
		s.getJSON(sh.tokens[0], "/api/v1/orders?page_size=7&cursor="+cursor, &page)
	}
	if seen != len(mine) {
		t.Fatalf("history has %d of the customer's %d orders", seen, len(mine))
	}

	// The publisher's state through Temporal: its query and its activity's heartbeat.
	ctx := context.Background()
	resp, err := s.client.QueryWorkflow(ctx, workflows.PublisherWorkflowID, "", workflows.StatusQuery)
	if err != nil {
		t.Fatal(err)
	}
	var pub activities.PublishResult
	if err := resp.Get(&pub); err != nil {
		t.Fatal(err)
	}
	desc, err := s.client.DescribeWorkflowExecution(ctx, workflows.PublisherWorkflowID, "")
	if err != nil || len(desc.PendingActivities) != 1 || desc.PendingActivities[0].HeartbeatDetails == nil {
		t.Fatalf("publisher activity not visible with a heartbeat: %v %+v", err, desc)
	}

	before := s.checksums()
	salesBefore := s.count("SELECT position FROM projection_checkpoints WHERE name = 'product_sales'")
	s.stopWorkers() // the rebuild waits for a worker, so the second request finds it running
	code, body := s.post(sh.staff, "/api/v1/admin/projections/order_history/rebuild")
	if code != 403 {
		t.Fatalf("staff may not rebuild: %d %s", code, body)
	}
	admin := s.token(auth.RoleAdmin)
	code, body = s.post(admin, "/api/v1/admin/projections/order_history/rebuild")
	if code != 202 || !strings.Contains(body, workflows.RebuildWorkflowID("order_history")) {
		t.Fatalf("rebuild: %d %s", code, body)
	}
	if code, body = s.post(admin, "/api/v1/admin/projections/order_history/rebuild"); code != 409 {
		t.Fatalf("second rebuild while one runs: %d %s", code, body)
	}
	if code, _ = s.post(admin, "/api/v1/admin/projections/nonsense/rebuild"); code != 404 {
		t.Fatalf("rebuild of an unknown read model: %d", code)
	}
	s.startWorker()
	var progress workflows.RebuildProgress
	if err := s.client.GetWorkflow(ctx, workflows.RebuildWorkflowID("order_history"), "").Get(ctx, &progress); err != nil {
		t.Fatal(err)
	}
	if progress.State != "done" || progress.Checkpoint < progress.Target || progress.Target == 0 {
		t.Fatalf("rebuild result %+v", progress)
	}
	q, err := s.client.QueryWorkflow(ctx, workflows.RebuildWorkflowID("order_history"), "", workflows.ProgressQuery)
	if err != nil {
		t.Fatal(err)
	}
	var queried workflows.RebuildProgress
	if err := q.Get(&queried); err != nil || queried.State != "done" {
		t.Fatalf("progress query: %+v %v", queried, err)
	}
	var status struct {
		Projections []struct {
			Name    string `json:"name"`
			Rebuild *struct {
				Status   string                    `json:"status"`
				Progress workflows.RebuildProgress `json:"progress"`
			} `json:"rebuild"`
		} `json:"projections"`
	}
	if code := s.getJSON(admin, "/api/v1/admin/events", &status); code != 200 {
		t.Fatalf("admin/events: %d", code)
	}
	for _, p := range status.Projections {
		switch {
		case p.Name == "order_history" && (p.Rebuild == nil || p.Rebuild.Status != "Completed" || p.Rebuild.Progress.Checkpoint != progress.Checkpoint):
			t.Fatalf("admin/events shows the rebuild as %+v", p.Rebuild)
		case p.Name == "product_sales" && p.Rebuild != nil:
			t.Fatalf("admin/events shows a rebuild of product_sales: %+v", p.Rebuild)
		}
	}
	waitFor(t, "the pipeline to catch up after the rebuild", 60*time.Second, s.caughtUp)
	if after := s.checksums(); !maps.Equal(after, before) {
		t.Fatalf("after rebuild %v, before %v", after, before)
	}
	if got := s.count("SELECT position FROM projection_checkpoints WHERE name = 'product_sales'"); got < salesBefore {
		t.Fatalf("product_sales went back from %d to %d during another read model's rebuild", salesBefore, got)
	}
	if code, _ := s.post(admin, "/api/v1/admin/projections/order_history/rebuild"); code != 202 {
		t.Fatalf("a new rebuild after the first finished: %d", code)
	}
}

// TestBacklogWhileTemporalAndWorkerAreDown: with Temporal and every worker stopped, orders
// are still accepted and readable at once; rows pile up unpublished; once both are back the
// backlog is published in order and the history catches up with every order exactly once.
func TestBacklogWhileTemporalAndWorkerAreDown(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	sh := s.openShop(4, 3)
	for i := range 5 {
		if _, st := s.placeHTTP(sh.tokens[i%2], sh.products[i%4].ID, 1); st != 201 {
			t.Fatalf("status %d", st)
		}
	}
	waitFor(t, "the pipeline to catch up", 60*time.Second, s.caughtUp)
	s.stopWorkers()
	s.stopTemporal()

	pendingBefore := s.count("SELECT count(*) FROM outbox WHERE NOT published")
	var ids []string
	for i := range 40 {
		id, st := s.placeHTTP(sh.tokens[i%2], sh.products[i%4].ID, 1+i%3, sh.products[(i+1)%4].ID, 1)
		if st != 201 {
			t.Fatalf("order during the outage: status %d", st)
		}
		ids = append(ids, id)
		if st := s.getJSON(sh.tokens[i%2], "/api/v1/orders/"+id, nil); st != 200 {
			t.Fatalf("GET /orders/%s during the outage: %d", id, st)
		}
	}
	if got := s.count("SELECT count(*) FROM outbox WHERE NOT published"); got != pendingBefore+40 {
		t.Fatalf("%d rows pending during the outage, want %d", got, pendingBefore+40)
	}

	s.startTemporal()
	s.startWorker()
	waitFor(t, "the backlog to be published and projected", 90*time.Second, s.caughtUp)
	if got := s.count("SELECT count(*) FROM order_history WHERE order_id = ANY($1::uuid[])", ids); got != 40 {
		t.Fatalf("history has %d of the 40 backlog orders", got)
	}
	if o, h := s.count("SELECT count(*) FROM orders"), s.count("SELECT count(*) FROM order_history"); o != h {
		t.Fatalf("%d orders, %d in history", o, h)
	}
	// Gap-free positions, and the backlog in transaction order.
	if n, m := s.count("SELECT count(*) FROM outbox"), s.count("SELECT max(position) FROM outbox"); n != m {
		t.Fatalf("%d rows, last position %d", n, m)
	}
	if bad := s.count(`SELECT count(*) FROM (SELECT xid, id, lag(xid) OVER w AS pxid, lag(id) OVER w AS pid FROM outbox WINDOW w AS (ORDER BY position)) x
		WHERE (xid, id) < (pxid, pid)`); bad != 0 {
		t.Fatalf("%d rows published out of transaction order", bad)
	}
}

// TestWorkerKilledRepeatedly: while orders stream in, the worker process is killed (SIGKILL)
// again and again and restarted; in the end every read model equals the one a fresh replay
// builds, and every order is in the history once.
func TestWorkerKilledRepeatedly(t *testing.T) {
	s := newStack(t)
	sh := s.openShop(6, 5)
	w := s.startWorker()
	var placed atomic.Int64
	stop := make(chan struct{})
	var load sync.WaitGroup
	for g := range 3 {
		load.Add(1)
		go func() {
			defer load.Done()
			rng := rand.New(rand.NewPCG(uint64(g), 99))
			ctx := context.Background()
			for {
				select {
				case <-stop:
					return
				default:
				}
				lines := []orders.Line{{ProductID: sh.products[rng.IntN(6)].ID, Quantity: int32(1 + rng.IntN(3))}}
				o, _, err := s.orders.Place(ctx, sh.users[rng.IntN(len(sh.users))], lines, "")
				if err != nil {
					t.Error(err)
					return
				}
				placed.Add(1)
				if rng.IntN(4) == 0 {
					if _, err := s.orders.Cancel(ctx, orders.Caller{Staff: true}, o.ID); err != nil {
						t.Error(err)
						return
					}
				}
			}
		}()
	}
	for range 4 {
		time.Sleep(time.Duration(800+rand.IntN(800)) * time.Millisecond)
		kill(w)
		w = s.startWorker()
	}
	close(stop)
	load.Wait()
	t.Logf("%d orders placed across 4 kills", placed.Load())
	waitFor(t, "the pipeline to catch up after the kills", 90*time.Second, s.caughtUp)
	s.stopWorkers()
	s.expectFreshReplay("after kills")
	if o, h := s.count("SELECT count(*) FROM orders"), s.count("SELECT count(*) FROM order_history"); o != h || o != placed.Load() {
		t.Fatalf("%d placed, %d orders, %d in history", placed.Load(), o, h)
	}
}
