-- name: GetIdempotencyKey :one
SELECT request_hash, order_id FROM idempotency_keys WHERE user_id = @user_id AND key = @key;

-- name: DeleteIdempotencyKeysBefore :execrows
DELETE FROM idempotency_keys WHERE created_at < @before;

-- name: ReserveOrder :many
-- The first statement of the order transaction. It claims the Idempotency-Key for the new
-- order (unless @key is empty; a concurrent claim of the same key waits here until the first
-- transaction ends) and, only if the key was free, takes stock for every line it can with one
-- conditional UPDATE, so stock never goes below zero. It returns one row per requested line:
-- claimed is false when the key was already used (and no stock was taken); reserved is false
-- for a line whose product is missing, deleted or short of stock, and the caller rolls back.
WITH requested AS (
    SELECT unnest(@product_ids::uuid[]) AS product_id, unnest(@quantities::integer[]) AS quantity
), claim AS (
    INSERT INTO idempotency_keys (user_id, key, request_hash, order_id)
    SELECT @user_id::uuid, @key::text, @request_hash::bytea, @order_id::uuid
    WHERE @key::text <> ''
    ON CONFLICT DO NOTHING
    RETURNING 1
), key_free AS (
    SELECT (@key::text = '' OR EXISTS (SELECT 1 FROM claim)) AS claimed
), taken AS (
    UPDATE products p SET stock = p.stock - r.quantity, updated_at = now()
    FROM requested r, key_free k
    WHERE k.claimed AND p.id = r.product_id AND p.deleted_at IS NULL AND p.stock >= r.quantity
    RETURNING p.id, p.sku, p.name, p.price_cents, p.currency
)
SELECT k.claimed::boolean AS claimed, r.product_id::uuid AS product_id, (t.id IS NOT NULL)::boolean AS reserved,
       COALESCE(t.sku, '')::text AS sku, COALESCE(t.name, '')::text AS name,
       COALESCE(t.price_cents, 0)::bigint AS price_cents, COALESCE(t.currency, '')::text AS currency
FROM requested r CROSS JOIN key_free k LEFT JOIN taken t ON t.id = r.product_id;

-- name: ProductsAvailability :many
SELECT id, stock, (deleted_at IS NOT NULL)::boolean AS deleted FROM products WHERE id = ANY(@product_ids::uuid[]);

-- name: InsertPlacedOrder :exec
-- The second and last statement of the order transaction: the order, its lines (at the prices
-- ReserveOrder locked) and its OrderPlaced event, the outbox row that events.Append made.
WITH placed AS (
    INSERT INTO orders (id, user_id, status, total_cents, currency, created_at, updated_at)
    VALUES (@id, @user_id, 'placed', @total_cents, @currency, @created_at, @created_at)
), lines AS (
    INSERT INTO order_items (order_id, product_id, sku, name, quantity, unit_price_cents)
    SELECT @id::uuid, unnest(@product_ids::uuid[]), unnest(@skus::text[]), unnest(@names::text[]),
           unnest(@quantities::integer[]), unnest(@unit_prices::bigint[])
)
INSERT INTO outbox (event_id, type, aggregate_type, aggregate_id, payload, version, occurred_at, trace_context)
VALUES (@event_id, @event_type, @aggregate_type, @aggregate_id, @payload, @version, @occurred_at, sqlc.narg(trace_context));

-- name: GetOrder :one
SELECT id, user_id, status, total_cents, currency, created_at, updated_at FROM orders WHERE id = @id;

-- name: ListOrderItems :many
SELECT product_id, sku, name, quantity, unit_price_cents FROM order_items
WHERE order_id = @order_id ORDER BY name, product_id;

-- name: TransitionOrder :one
-- Moves an order only if it is still in one of the allowed source states, so two concurrent
-- moves cannot both succeed. The row is locked first (the CTE), so that the transaction's xid,
-- which orders its event for the publisher, is taken as it gets the row, not a moment before
-- finding it locked by another move (see UpdateProduct).
WITH locked AS (SELECT l.id FROM orders l WHERE l.id = @id FOR UPDATE)
UPDATE orders SET status = @to_status, updated_at = now()
FROM locked
WHERE orders.id = locked.id AND orders.status = ANY(@from_statuses::text[])
RETURNING orders.id, orders.user_id, orders.status, orders.total_cents, orders.currency, orders.created_at, orders.updated_at;

-- name: ReleaseStock :exec
UPDATE products p SET stock = p.stock + oi.quantity, updated_at = now()
FROM order_items oi
WHERE oi.order_id = @order_id AND p.id = oi.product_id;
