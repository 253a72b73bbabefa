-- name: HistoryApplyPlaced :exec
-- Adds the orders placed in (after, upto], set-based. Events at or before the checkpoint are
-- left out (the caller moves the checkpoint after applying), so running it again over events
-- already applied changes nothing; a second OrderPlaced for one order breaks the primary key and
-- is parked like any event that cannot be applied.
INSERT INTO order_history (order_id, user_id, status, total_cents, currency, item_count, items_summary, items, created_at, updated_at, position)
SELECT (o.payload->>'order_id')::uuid, (o.payload->>'user_id')::uuid, o.payload->>'status',
       (o.payload->>'total_cents')::bigint, o.payload->>'currency', jsonb_array_length(o.payload->'items'),
       concat_ws(', ',
           (o.payload->'items'->0->>'quantity') || ' × ' || (o.payload->'items'->0->>'name'),
           (o.payload->'items'->1->>'quantity') || ' × ' || (o.payload->'items'->1->>'name'),
           (o.payload->'items'->2->>'quantity') || ' × ' || (o.payload->'items'->2->>'name'))
         || CASE WHEN jsonb_array_length(o.payload->'items') > 3
                 THEN ' and ' || (jsonb_array_length(o.payload->'items') - 3) || ' more' ELSE '' END,
       o.payload->'items', (o.payload->>'created_at')::timestamptz, (o.payload->>'created_at')::timestamptz, o.position
FROM outbox o
WHERE o.published AND o.position > @after::bigint AND o.position <= @upto::bigint AND o.type = 'OrderPlaced'
  AND o.position > (SELECT c.position FROM projection_checkpoints c WHERE c.name = 'order_history')
  AND NOT EXISTS (SELECT 1 FROM parked_events p WHERE p.projection = 'order_history' AND p.position = o.position AND p.resolved_at IS NULL);

-- name: HistoryApplyStatus :exec
-- Moves each order to the status of its latest status event in (after, upto] past the
-- checkpoint; an event older than what the row already reflects changes nothing.
UPDATE order_history h SET status = s.status, updated_at = s.at, position = s.position
FROM (
    SELECT DISTINCT ON (o.aggregate_id) o.aggregate_id::uuid AS order_id, o.position,
           CASE o.type WHEN 'OrderCancelled' THEN 'cancelled' ELSE o.payload->>'to_status' END AS status,
           COALESCE(o.payload->>'changed_at', o.payload->>'cancelled_at')::timestamptz AS at
    FROM outbox o
    WHERE o.published AND o.position > @after::bigint AND o.position <= @upto::bigint AND o.type IN ('OrderStatusChanged', 'OrderCancelled')
      AND o.position > (SELECT c.position FROM projection_checkpoints c WHERE c.name = 'order_history')
      AND NOT EXISTS (SELECT 1 FROM parked_events p WHERE p.projection = 'order_history' AND p.position = o.position AND p.resolved_at IS NULL)
    ORDER BY o.aggregate_id, o.position DESC
) s
WHERE h.order_id = s.order_id AND h.position < s.position;

-- name: HistoryTruncate :exec
TRUNCATE order_history;

-- name: HistoryChecksum :one
SELECT count(*)::bigint AS rows, COALESCE(md5(string_agg(h::text, '|' ORDER BY h.order_id)), '')::text AS checksum FROM order_history h;

-- name: HistoryList :many
-- A page of order history, newest first, after the cursor (created_at, order_id).
SELECT order_id, user_id, status, total_cents, currency, item_count, items_summary, items, created_at, updated_at
FROM order_history
WHERE (sqlc.narg(user_id)::uuid IS NULL OR user_id = sqlc.narg(user_id))
  AND (sqlc.narg(status)::text IS NULL OR status = sqlc.narg(status))
  AND (sqlc.narg(before_at)::timestamptz IS NULL OR (created_at, order_id) < (sqlc.narg(before_at), sqlc.narg(before_id)::uuid))
ORDER BY created_at DESC, order_id DESC
LIMIT @page_limit;

-- name: HistoryConsistency :one
-- How far order_history has caught up with publication.
SELECT c.position AS projected_through, p.last_position AS latest
FROM projection_checkpoints c, outbox_publisher p WHERE c.name = 'order_history';

-- name: HistoryUsersIn :many
-- The customers whose history the events in (after, upto] change.
SELECT DISTINCT (payload->>'user_id')::text AS user_id FROM outbox
WHERE published AND position > @after::bigint AND position <= @upto::bigint
  AND type IN ('OrderPlaced', 'OrderStatusChanged', 'OrderCancelled');
