-- name: AppendEvent :exec
-- Written in the same transaction as the change it describes; xid defaults to that
-- transaction's id. trace_context is the writer's traceparent, or NULL.
INSERT INTO outbox (event_id, type, aggregate_type, aggregate_id, payload, version, occurred_at, trace_context)
VALUES (@event_id, @type, @aggregate_type, @aggregate_id, @payload, @version, @occurred_at, sqlc.narg(trace_context));

-- name: SetOutboxWaiting :exec
-- The publisher says whether it waits for a notification: while it does, every statement that
-- writes outbox rows notifies when its transaction commits (the outbox_notify trigger).
UPDATE outbox_wakeup SET waiting = @waiting;

-- name: RunningTransactions :one
-- The oldest transaction ID still running (xmin, or xmax when none runs) and the first one not
-- yet assigned (xmax), of a snapshot taken now.
SELECT pg_snapshot_xmin(s)::text::bigint AS xmin, pg_snapshot_xmax(s)::text::bigint AS xmax
FROM pg_current_snapshot() AS s;
