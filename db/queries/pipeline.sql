-- name: LockPublisher :one
-- Taken first in every publishing transaction: one publisher at a time, and the statements
-- after it see every row the previous publisher published.
SELECT last_position FROM outbox_publisher FOR UPDATE;

-- name: PublishPending :one
-- Gives the next positions to rows whose transactions are older than every transaction still
-- running (so no earlier row can still appear), in (xid, id) order, and records the last
-- position handed out. Run it after LockPublisher, in the same transaction.
WITH next AS (
    SELECT s.id, sqlc.arg(last_position)::bigint + row_number() OVER (ORDER BY s.xid, s.id) AS pos
    FROM (
        SELECT o.id, o.xid FROM outbox o
        WHERE NOT o.published AND o.xid < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY o.xid, o.id
        LIMIT @batch_size
    ) s
), upd AS (
    UPDATE outbox o SET published = true, published_at = now(), position = next.pos
    FROM next WHERE o.id = next.id
    RETURNING o.position, o.type
), state AS (
    UPDATE outbox_publisher SET last_position = (SELECT max(pos) FROM next), updated_at = now()
    WHERE EXISTS (SELECT 1 FROM next)
)
SELECT count(*)::bigint AS published, COALESCE(max(upd.position), sqlc.arg(last_position)::bigint)::bigint AS last_position,
       -- rows this statement saw unpublished but could not publish yet (a transaction older than
       -- theirs was still running); the publisher looks again soon instead of waiting for a wake-up
       ((SELECT count(*) FROM (SELECT 1 FROM outbox WHERE NOT published LIMIT 1000) x) - count(*))::bigint AS held_back,
       -- the event types published, so that caches of the data they change can be dropped
       COALESCE(array_agg(DISTINCT upd.type), '{}')::text[] AS types
FROM upd;

-- name: PublishedPosition :one
SELECT last_position FROM outbox_publisher;

-- name: PendingStats :one
-- Pending rows and the age of the oldest, from the partial index of unpublished rows.
SELECT count(*)::bigint AS pending,
       COALESCE(EXTRACT(EPOCH FROM now() - min(occurred_at)), 0)::float8 AS oldest_pending_seconds
FROM outbox WHERE NOT published;

-- name: LockCheckpoint :one
-- Taken first in every projection transaction; also reads how far publication has got.
SELECT c.position, p.last_position AS latest FROM projection_checkpoints c, outbox_publisher p
WHERE c.name = @name FOR UPDATE OF c;

-- name: SetCheckpoint :exec
UPDATE projection_checkpoints SET position = @position, updated_at = now() WHERE name = @name;

-- name: Checkpoints :many
SELECT c.name, c.position, c.updated_at,
       COALESCE((SELECT EXTRACT(EPOCH FROM now() - o.published_at) FROM outbox o
                 WHERE o.published AND o.position = c.position + 1), 0)::float8 AS lag_seconds,
       (SELECT count(*) FROM parked_events p WHERE p.projection = c.name AND p.resolved_at IS NULL)::bigint AS parked
FROM projection_checkpoints c ORDER BY c.name;

-- name: PublishedEvents :many
SELECT position::bigint AS position, event_id, type, aggregate_type, aggregate_id, payload, version, occurred_at
FROM outbox WHERE published AND position > @after::bigint AND position <= @upto::bigint ORDER BY position;

-- name: TraceContexts :many
-- The stored trace contexts of the published events in (@after, @upto], in position order, at
-- most @max_links of them, each with the count of all there are; read only when tracing is on,
-- to link a publishing round's or a projection batch's span to the traces that wrote them.
SELECT position::bigint AS position, trace_context::text AS trace_context, count(*) OVER ()::bigint AS total
FROM outbox
WHERE published AND position > @after::bigint AND position <= @upto::bigint AND trace_context IS NOT NULL
ORDER BY position
LIMIT @max_links;

-- name: RecordFailure :one
INSERT INTO projection_failures (projection, position, attempts, last_error)
VALUES (@projection, @position, 1, @last_error)
ON CONFLICT (projection, position) DO UPDATE
    SET attempts = projection_failures.attempts + 1, last_error = excluded.last_error, updated_at = now()
RETURNING attempts;

-- name: ClearFailure :exec
DELETE FROM projection_failures WHERE projection = @projection AND position = @position;

-- name: ParkEvent :exec
INSERT INTO parked_events (projection, position, event_id, event_type, error, attempts)
SELECT @projection, o.position, o.event_id, o.type, @error, @attempts FROM outbox o WHERE o.position = @position::bigint
ON CONFLICT (projection, position) DO UPDATE
    SET error = excluded.error, attempts = excluded.attempts, parked_at = now(), resolved_at = NULL;

-- name: ListParked :many
SELECT projection, position, event_id, event_type, error, attempts, parked_at, resolved_at
FROM parked_events
WHERE (sqlc.narg(projection)::text IS NULL OR projection = sqlc.narg(projection))
  AND (@include_resolved::boolean OR resolved_at IS NULL)
ORDER BY projection, position;

-- name: ResolveParked :execrows
UPDATE parked_events SET resolved_at = now()
WHERE projection = @projection AND position = @position AND resolved_at IS NULL;

-- name: ClearFailures :exec
DELETE FROM projection_failures WHERE projection = @projection;
