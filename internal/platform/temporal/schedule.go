package temporal

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	sdktemporal "go.temporal.io/sdk/temporal"

	"github.com/acme/orders/workflows"
)

// Schedule is a cluster-wide Temporal Schedule that starts one workflow every period on the
// events task queue. Runs never overlap: a run due while the previous one is still going is
// skipped, and runs missed while Temporal was down are not made up for (beyond a minute).
type Schedule struct {
	ID         string        // the schedule's ID, also the prefix of its workflows' IDs
	Every      time.Duration // the period
	Workflow   any           // the workflow function, started without arguments
	RunTimeout time.Duration // a run still going after this long is ended by Temporal
}

// Schedules lists the schedules every worker makes sure exist: housekeeping every ten minutes
// and the pipeline check every thirty seconds.
func Schedules() []Schedule {
	return []Schedule{
		{ID: workflows.HousekeepingScheduleID, Every: workflows.HousekeepingEvery, Workflow: workflows.Housekeeping, RunTimeout: 30 * time.Minute},
		{ID: workflows.PipelineEnsureScheduleID, Every: workflows.PipelineEnsureEvery, Workflow: workflows.EnsurePipeline, RunTimeout: 2 * time.Minute},
	}
}

// Outcome says what EnsureSchedule did.
type Outcome string

// The outcomes of EnsureSchedule.
const (
	Created   Outcome = "created"
	Updated   Outcome = "updated"
	Unchanged Outcome = "unchanged"
)

const catchupWindow = time.Minute

func (s Schedule) spec() client.ScheduleSpec {
	return client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: s.Every}}}
}

func (s Schedule) action() *client.ScheduleWorkflowAction {
	return &client.ScheduleWorkflowAction{
		ID:                 s.ID,
		Workflow:           s.Workflow,
		TaskQueue:          workflows.EventsTaskQueue,
		WorkflowRunTimeout: s.RunTimeout,
	}
}

func (s Schedule) policy() *client.SchedulePolicies {
	return &client.SchedulePolicies{Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_SKIP, CatchupWindow: catchupWindow}
}

// EnsureSchedule creates the schedule unless it exists. An existing one is left as it is if
// its period, workflow, task queue and policies are those of s, and otherwise updated to
// them, keeping its state: a schedule an operator paused stays paused. Any number of
// workers may call it at once. It fails only if Temporal cannot be reached or refuses.
func EnsureSchedule(ctx context.Context, c client.Client, s Schedule) (Outcome, error) {
	_, err := c.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID:            s.ID,
		Spec:          s.spec(),
		Action:        s.action(),
		Overlap:       enumspb.SCHEDULE_OVERLAP_POLICY_SKIP,
		CatchupWindow: catchupWindow,
	})
	if err == nil {
		return Created, nil
	}
	if !errors.Is(err, sdktemporal.ErrScheduleAlreadyRunning) {
		return "", fmt.Errorf("create schedule %s: %w", s.ID, err)
	}
	h := c.ScheduleClient().GetHandle(ctx, s.ID)
	desc, err := h.Describe(ctx)
	if err != nil {
		return "", fmt.Errorf("describe schedule %s: %w", s.ID, err)
	}
	if s.matches(desc.Schedule) {
		return Unchanged, nil
	}
	err = h.Update(ctx, client.ScheduleUpdateOptions{DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
		sched := in.Description.Schedule
		spec := s.spec()
		sched.Spec, sched.Action, sched.Policy = &spec, s.action(), s.policy()
		return &client.ScheduleUpdate{Schedule: &sched}, nil
	}})
	if err != nil {
		return "", fmt.Errorf("update schedule %s: %w", s.ID, err)
	}
	return Updated, nil
}

// EnsureSchedules makes sure every schedule of Schedules exists, as EnsureSchedule does,
// and returns what it did to each, by schedule ID.
func EnsureSchedules(ctx context.Context, c client.Client) (map[string]Outcome, error) {
	done := map[string]Outcome{}
	for _, s := range Schedules() {
		o, err := EnsureSchedule(ctx, c, s)
		if err != nil {
			return done, err
		}
		done[s.ID] = o
	}
	return done, nil
}

// matches reports whether an existing schedule is the one s describes.
func (s Schedule) matches(got client.Schedule) bool {
	if got.Spec == nil || len(got.Spec.Calendars) != 0 || len(got.Spec.CronExpressions) != 0 ||
		!slices.Equal(got.Spec.Intervals, s.spec().Intervals) {
		return false
	}
	a, ok := got.Action.(*client.ScheduleWorkflowAction)
	if !ok || a.ID != s.ID || a.Workflow != workflowName(s.Workflow) || a.TaskQueue != workflows.EventsTaskQueue ||
		a.WorkflowRunTimeout != s.RunTimeout || len(a.Args) != 0 {
		return false
	}
	p := s.policy()
	return got.Policy != nil && got.Policy.Overlap == p.Overlap && got.Policy.CatchupWindow == p.CatchupWindow
}

// workflowName is the workflow type Temporal registers a workflow function under: the
// function's name without its package.
func workflowName(fn any) string {
	if name, ok := fn.(string); ok {
		return name
	}
	full := runtime.FuncForPC(reflect.ValueOf(fn).Pointer()).Name()
	return full[strings.LastIndex(full, ".")+1:]
}
