-- name: AppendEvent :exec
-- Written in the same transaction as the change it describes; xid defaults to that
-- transaction's id.
INSERT INTO outbox (event_id, type, aggregate_type, aggregate_id, payload, version, occurred_at)
VALUES (@event_id, @type, @aggregate_type, @aggregate_id, @payload, @version, @occurred_at);
