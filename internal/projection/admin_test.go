package projection_test

import (
	"context"
	"errors"
	"testing"

	"github.com/acme/orders/internal/fault"
	"github.com/acme/orders/internal/projection"
)

// fakeRebuilds stands in for the workflow engine.
type fakeRebuilds struct {
	startID  string
	startErr error
	latest   map[string]*projection.RebuildState
	failFor  string // LatestRebuild fails for this read model
}

func (f fakeRebuilds) StartRebuild(context.Context, string) (string, error) {
	return f.startID, f.startErr
}

func (f fakeRebuilds) LatestRebuild(_ context.Context, name string) (*projection.RebuildState, error) {
	if name == f.failFor {
		return &projection.RebuildState{WorkflowID: "half an answer"}, errors.New("query timed out")
	}
	return f.latest[name], nil
}

func TestAdminRebuildErrors(t *testing.T) {
	ctx := context.Background()
	pub := projection.NewPublisher(testDB.Pool)
	cases := []struct {
		name     string
		rebuilds projection.Rebuilds
		model    string
		wantID   string
		want     error
		wantKind fault.Kind
	}{
		{"started", fakeRebuilds{startID: "rebuild-order_history"}, "order_history", "rebuild-order_history", nil, 0},
		{"unknown read model", fakeRebuilds{startID: "x"}, "orders_by_colour", "", projection.ErrUnknownProjection, fault.NotFound},
		{"no workflow engine", nil, "order_history", "", projection.ErrWorkflowsUnavailable, fault.Unavailable},
		{"already running", fakeRebuilds{startErr: projection.ErrRebuildRunning}, "product_sales", "", projection.ErrRebuildRunning, fault.Conflict},
		{"engine refuses", fakeRebuilds{startErr: errors.New("connection refused")}, "product_sales", "", projection.ErrWorkflowsUnavailable, fault.Unavailable},
	}
	for _, c := range cases {
		a := projection.NewAdmin(pub, newRunner(), c.rebuilds)
		id, err := a.Rebuild(ctx, c.model)
		if id != c.wantID || !errors.Is(err, c.want) || (c.want != nil && fault.KindOf(err) != c.wantKind) {
			t.Errorf("%s: %q, %v", c.name, id, err)
		}
	}
	a := projection.NewAdmin(pub, newRunner(), nil)
	if err := a.Redrive(ctx, "orders_by_colour", 1); !errors.Is(err, projection.ErrUnknownProjection) {
		t.Errorf("re-drive of an unknown read model: %v", err)
	}
	if err := a.Redrive(ctx, "order_history", 0); !errors.Is(err, projection.ErrNotParked) {
		t.Errorf("re-drive of position 0: %v", err)
	}
	if _, err := a.ListParked(ctx, "orders_by_colour", false); !errors.Is(err, projection.ErrUnknownProjection) {
		t.Errorf("parked events of an unknown read model: %v", err)
	}
}

// TestAdminOverview: every read model is listed with its latest rebuild, none when there is
// no workflow engine, and "unknown" (not half an answer) when the engine fails to say.
func TestAdminOverview(t *testing.T) {
	ctx := context.Background()
	pub := projection.NewPublisher(testDB.Pool)
	done := &projection.RebuildState{WorkflowID: "rebuild-order_history", Status: "Completed", Progress: projection.RebuildProgress{Name: "order_history", State: "done"}}
	o, err := projection.NewAdmin(pub, newRunner(), fakeRebuilds{latest: map[string]*projection.RebuildState{"order_history": done}, failFor: "product_sales"}).Overview(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Projections) != 2 || o.Projections[0].Name != "order_history" || o.Projections[1].Name != "product_sales" {
		t.Fatalf("projections %+v", o.Projections)
	}
	if o.Projections[0].Rebuild != done || o.Projections[0].RebuildUnknown {
		t.Errorf("order_history: %+v", o.Projections[0])
	}
	if o.Projections[1].Rebuild != nil || !o.Projections[1].RebuildUnknown {
		t.Errorf("product_sales: %+v", o.Projections[1])
	}
	o, err = projection.NewAdmin(pub, newRunner(), nil).Overview(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range o.Projections {
		if p.Rebuild != nil || p.RebuildUnknown {
			t.Errorf("without a workflow engine: %+v", p)
		}
	}
	stats, statuses, err := projection.NewAdmin(pub, newRunner(), nil).Figures(ctx)
	if err != nil || len(statuses) != 2 || stats.LastPosition < o.Outbox.LastPosition {
		t.Fatalf("figures: %+v %+v %v", stats, statuses, err)
	}
}
