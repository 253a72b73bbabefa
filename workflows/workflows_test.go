package workflows

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/acme/orders/activities"
)

var a *activities.Pipeline

func TestOutboxPublisherLoopsThenContinuesAsNew(t *testing.T) {
	t.Parallel()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterActivity(a)
	calls := 0
	env.OnActivity(a.PublishOutbox, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.LoopInput) (activities.PublishResult, error) {
		calls++
		if in.RunFor != time.Second {
			t.Errorf("RunFor = %s", in.RunFor)
		}
		return activities.PublishResult{LastPosition: int64(100 * calls), Published: 100}, nil
	})
	env.ExecuteWorkflow(OutboxPublisher, SupervisorInput{RunsPerExecution: 3, Loop: activities.LoopInput{RunFor: time.Second}})
	if !env.IsWorkflowCompleted() {
		t.Fatal("workflow did not end")
	}
	var can *workflow.ContinueAsNewError
	if err := env.GetWorkflowError(); !errors.As(err, &can) {
		t.Fatalf("want continue-as-new, got %v", err)
	}
	if calls != 3 {
		t.Fatalf("activity ran %d times, want 3", calls)
	}
	v, err := env.QueryWorkflow(StatusQuery)
	if err != nil {
		t.Fatal(err)
	}
	var last activities.PublishResult
	if err := v.Get(&last); err != nil || last.LastPosition != 300 {
		t.Fatalf("status = %+v, %v", last, err)
	}
}

func TestProjectionRetriesAFailedRun(t *testing.T) {
	t.Parallel()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterActivity(a)
	calls := 0
	env.OnActivity(a.RunProjection, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.ProjectInput) (activities.ProjectResult, error) {
		calls++
		if in.Name != "order_history" {
			t.Errorf("name = %q", in.Name)
		}
		if calls == 1 {
			return activities.ProjectResult{}, errors.New("database restarting")
		}
		return activities.ProjectResult{Name: in.Name, Checkpoint: int64(calls)}, nil
	})
	env.ExecuteWorkflow(Projection, ProjectionInput{Name: "order_history", Supervisor: SupervisorInput{RunsPerExecution: 2}})
	var can *workflow.ContinueAsNewError
	if err := env.GetWorkflowError(); !errors.As(err, &can) {
		t.Fatalf("want continue-as-new, got %v", err)
	}
	if calls != 3 {
		t.Fatalf("activity ran %d times, want 3 (one retried failure)", calls)
	}
}

func TestRebuildResetsThenReplaysToTheTarget(t *testing.T) {
	t.Parallel()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterActivity(a)
	env.OnActivity(a.ResetProjection, mock.Anything, "product_sales").Return(activities.ResetResult{Target: 250}, nil).Once()
	var progressDuring RebuildProgress
	checkpoints := []int64{100, 250}
	env.OnActivity(a.RunProjection, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.ProjectInput) (activities.ProjectResult, error) {
		if in.StopAt != 250 || in.Name != "product_sales" {
			t.Errorf("input = %+v", in)
		}
		if len(checkpoints) == 1 {
			v, err := env.QueryWorkflow(ProgressQuery)
			if err == nil {
				_ = v.Get(&progressDuring)
			}
		}
		cp := checkpoints[0]
		checkpoints = checkpoints[1:]
		return activities.ProjectResult{Name: in.Name, Checkpoint: cp}, nil
	}).Times(2)
	env.ExecuteWorkflow(RebuildProjection, RebuildInput{Name: "product_sales"})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var res RebuildProgress
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if res.State != "done" || res.Checkpoint != 250 || res.Target != 250 {
		t.Fatalf("result = %+v", res)
	}
	if progressDuring.State != "replaying" || progressDuring.Checkpoint != 100 || progressDuring.Target != 250 {
		t.Fatalf("progress during the replay = %+v", progressDuring)
	}
	env.AssertExpectations(t)
}

func TestRebuildOfAnUnknownReadModelFails(t *testing.T) {
	t.Parallel()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterActivity(a)
	env.OnActivity(a.ResetProjection, mock.Anything, "nope").Return(activities.ResetResult{},
		temporal.NewNonRetryableApplicationError("unknown", "UnknownProjection", nil))
	env.ExecuteWorkflow(RebuildProjection, RebuildInput{Name: "nope"})
	var appErr *temporal.ApplicationError
	if err := env.GetWorkflowError(); !errors.As(err, &appErr) || appErr.Type() != "UnknownProjection" {
		t.Fatalf("error = %v", err)
	}
}
