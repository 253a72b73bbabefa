package workflows

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/testsuite"

	"github.com/acme/orders/activities"
)

var (
	hk  *activities.Housekeeping
	sup *activities.Supervision
)

func TestHousekeepingRunsBothPurges(t *testing.T) {
	t.Parallel()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterActivity(hk)
	env.OnActivity(hk.PurgeIdempotencyKeys, mock.Anything).Return(activities.PurgeResult{Deleted: 3}, nil).Once()
	env.OnActivity(hk.PurgeRefreshTokens, mock.Anything).Return(activities.PurgeResult{Deleted: 2}, nil).Once()
	env.ExecuteWorkflow(Housekeeping)
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var res HousekeepingResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if res != (HousekeepingResult{IdempotencyKeysDeleted: 3, RefreshTokensDeleted: 2}) {
		t.Fatalf("result = %+v", res)
	}
	env.AssertExpectations(t)
}

// A purge that keeps failing is retried a bounded number of times and fails the run, but
// does not keep the other purge from running.
func TestHousekeepingPurgesTokensWhenKeysKeepFailing(t *testing.T) {
	t.Parallel()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterActivity(hk)
	keyCalls := 0
	env.OnActivity(hk.PurgeIdempotencyKeys, mock.Anything).Return(func(context.Context) (activities.PurgeResult, error) {
		keyCalls++
		return activities.PurgeResult{}, errors.New("database unavailable")
	})
	env.OnActivity(hk.PurgeRefreshTokens, mock.Anything).Return(activities.PurgeResult{Deleted: 4}, nil).Once()
	env.ExecuteWorkflow(Housekeeping)
	if err := env.GetWorkflowError(); err == nil || !contains(err, "database unavailable") {
		t.Fatalf("error = %v, want the purge's failure", err)
	}
	if keyCalls != 5 {
		t.Fatalf("idempotency-key purge ran %d times, want 5", keyCalls)
	}
	env.AssertExpectations(t)
}

func TestEnsurePipelineReportsWhatItStarted(t *testing.T) {
	t.Parallel()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterActivity(sup)
	calls := 0
	env.OnActivity(sup.StartMissingPipelineWorkflows, mock.Anything).Return(func(context.Context) (activities.StartedResult, error) {
		calls++
		if calls == 1 {
			return activities.StartedResult{}, errors.New("temporal frontend restarting")
		}
		return activities.StartedResult{Started: []string{PublisherWorkflowID}}, nil
	})
	env.ExecuteWorkflow(EnsurePipeline)
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var res activities.StartedResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Started, []string{PublisherWorkflowID}) || calls != 2 {
		t.Fatalf("result %+v after %d calls, want the publisher after one retry", res, calls)
	}
}

// A check that cannot reach Temporal gives up after three attempts: the next scheduled run
// tries again, and runs never pile up.
func TestEnsurePipelineGivesUp(t *testing.T) {
	t.Parallel()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterActivity(sup)
	calls := 0
	env.OnActivity(sup.StartMissingPipelineWorkflows, mock.Anything).Return(func(context.Context) (activities.StartedResult, error) {
		calls++
		return activities.StartedResult{}, errors.New("connection refused")
	})
	env.ExecuteWorkflow(EnsurePipeline)
	if err := env.GetWorkflowError(); err == nil || !contains(err, "connection refused") {
		t.Fatalf("error = %v", err)
	}
	if calls != 3 {
		t.Fatalf("activity ran %d times, want 3", calls)
	}
}

func contains(err error, s string) bool {
	for ; err != nil; err = errors.Unwrap(err) {
		if err.Error() == s {
			return true
		}
	}
	return false
}
