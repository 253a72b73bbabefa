package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/orders"
	"github.com/acme/orders/workflows"
)

// TestSchedulesKeepHousekeepingAndThePipeline: a worker at start makes sure the housekeeping
// and pipeline-ensure schedules exist; triggering housekeeping runs its workflow, which deletes
// the old Idempotency-Key and the long-expired refresh tokens and nothing else; and a
// terminated publisher is started again by the pipeline-ensure schedule within about a
// minute, with no worker restarted, and publishes again.
func TestSchedulesKeepHousekeepingAndThePipeline(t *testing.T) {
	s := newStack(t)
	sh := s.openShop(2, 3)
	s.startWorker()
	ctx := context.Background()
	for _, id := range []string{workflows.HousekeepingScheduleID, workflows.PipelineEnsureScheduleID} {
		waitFor(t, "schedule "+id, 60*time.Second, func() (bool, string) {
			_, err := s.client.ScheduleClient().GetHandle(ctx, id).Describe(ctx)
			return err == nil, fmt.Sprint(err)
		})
	}

	// What housekeeping must forget, next to what it must keep.
	lines := []orders.Line{{ProductID: sh.products[0].ID, Quantity: 1}}
	for _, key := range []string{"old-key", "new-key"} {
		if _, _, err := s.orders.Place(ctx, sh.users[0], lines, key); err != nil {
			t.Fatal(err)
		}
	}
	s.exec("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'old-key'")
	stale, fresh := s.signIn(), s.signIn()
	s.exec("UPDATE refresh_tokens SET expires_at = now() - interval '8 days' WHERE user_id = $1", stale)

	h := s.client.ScheduleClient().GetHandle(ctx, workflows.HousekeepingScheduleID)
	if err := h.Trigger(ctx, client.ScheduleTriggerOptions{}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "housekeeping to purge", 60*time.Second, func() (bool, string) {
		old := s.count("SELECT count(*) FROM idempotency_keys WHERE key = 'old-key'")
		tokens := s.count("SELECT count(*) FROM refresh_tokens WHERE user_id = $1", stale)
		return old == 0 && tokens == 0, fmt.Sprintf("old key rows %d, stale tokens %d", old, tokens)
	})
	if n := s.count("SELECT count(*) FROM idempotency_keys WHERE key = 'new-key'"); n != 1 {
		t.Fatalf("the recent Idempotency-Key was deleted too (%d rows)", n)
	}
	if n := s.count("SELECT count(*) FROM refresh_tokens WHERE user_id = $1", fresh); n != 1 {
		t.Fatalf("a live refresh token was deleted too (%d rows)", n)
	}
	desc, err := h.Describe(ctx)
	if err != nil || len(desc.Info.RecentActions) == 0 {
		t.Fatalf("the schedule shows no run: %v %+v", err, desc)
	}
	var total workflows.HousekeepingResult
	for _, a := range desc.Info.RecentActions {
		var res workflows.HousekeepingResult
		if err := s.client.GetWorkflow(ctx, a.StartWorkflowResult.WorkflowID, "").Get(ctx, &res); err != nil {
			t.Fatal(err)
		}
		total.IdempotencyKeysDeleted += res.IdempotencyKeysDeleted
		total.RefreshTokensDeleted += res.RefreshTokensDeleted
	}
	if total.IdempotencyKeysDeleted != 1 || total.RefreshTokensDeleted != 1 {
		t.Fatalf("housekeeping reported %+v, want one key and one token", total)
	}

	// An operator terminates the publisher; the schedule brings it back.
	before, err := s.client.DescribeWorkflowExecution(ctx, workflows.PublisherWorkflowID, "")
	if err != nil {
		t.Fatal(err)
	}
	oldRun := before.GetWorkflowExecutionInfo().GetExecution().GetRunId()
	if err := s.client.TerminateWorkflow(ctx, workflows.PublisherWorkflowID, "", "new settings"); err != nil {
		t.Fatal(err)
	}
	terminated := time.Now()
	waitFor(t, "the publisher to be started again", 75*time.Second, func() (bool, string) {
		d, err := s.client.DescribeWorkflowExecution(ctx, workflows.PublisherWorkflowID, "")
		if err != nil {
			return false, err.Error()
		}
		info := d.GetWorkflowExecutionInfo()
		return info.GetExecution().GetRunId() != oldRun && info.GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING, info.GetStatus().String()
	})
	t.Logf("publisher back %s after it was terminated", time.Since(terminated).Round(time.Second))
	if _, st := s.placeHTTP(sh.tokens[1], sh.products[1].ID, 1); st != 201 {
		t.Fatalf("order after the restart: %d", st)
	}
	waitFor(t, "the pipeline to catch up after the restart", 60*time.Second, s.caughtUp)
}

// signIn creates a customer, signs in once (one live refresh token) and returns the user's ID.
func (s *stack) signIn() uuid.UUID {
	s.t.Helper()
	ctx := context.Background()
	email := fmt.Sprintf("hk-%d@example.com", time.Now().UnixNano())
	u, err := s.auth.CreateUser(ctx, auth.Registration{Email: email, Password: "long enough", Name: "H"}, auth.RoleCustomer)
	if err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.auth.Login(ctx, email, "long enough"); err != nil {
		s.t.Fatal(err)
	}
	return u.ID
}

func (s *stack) exec(sql string, args ...any) {
	s.t.Helper()
	if _, err := s.db.Pool.Exec(context.Background(), sql, args...); err != nil {
		s.t.Fatal(err)
	}
}
