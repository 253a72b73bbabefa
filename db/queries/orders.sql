-- name: ClaimIdempotencyKey :execrows
-- Claims a key for this order. A concurrent claim of the same key waits here until the first
-- transaction ends; zero rows means the key was already taken.
INSERT INTO idempotency_keys (user_id, key, request_hash, order_id)
VALUES (@user_id, @key, @request_hash, @order_id)
ON CONFLICT DO NOTHING;

-- name: GetIdempotencyKey :one
SELECT request_hash, order_id FROM idempotency_keys WHERE user_id = @user_id AND key = @key;

-- name: DeleteIdempotencyKeysBefore :execrows
DELETE FROM idempotency_keys WHERE created_at < @before;

-- name: ReserveStock :many
-- Takes stock for every line in one statement; a line whose product is missing, deleted or
-- short of stock returns no row, so the caller compares the count and rolls back.
UPDATE products p SET stock = p.stock - r.quantity, updated_at = now()
FROM (SELECT unnest(@product_ids::uuid[]) AS product_id, unnest(@quantities::integer[]) AS quantity) AS r
WHERE p.id = r.product_id AND p.deleted_at IS NULL AND p.stock >= r.quantity
RETURNING p.id, p.sku, p.name, p.price_cents, p.currency;

-- name: ProductsAvailability :many
SELECT id, stock, (deleted_at IS NOT NULL)::boolean AS deleted FROM products WHERE id = ANY(@product_ids::uuid[]);

-- name: InsertOrder :exec
INSERT INTO orders (id, user_id, status, total_cents, currency, created_at, updated_at)
VALUES (@id, @user_id, 'placed', @total_cents, @currency, @created_at, @created_at);

-- name: InsertOrderItems :exec
INSERT INTO order_items (order_id, product_id, sku, name, quantity, unit_price_cents)
SELECT @order_id::uuid, unnest(@product_ids::uuid[]), unnest(@skus::text[]), unnest(@names::text[]),
       unnest(@quantities::integer[]), unnest(@unit_prices::bigint[]);

-- name: GetOrder :one
SELECT id, user_id, status, total_cents, currency, created_at, updated_at FROM orders WHERE id = @id;

-- name: ListOrderItems :many
SELECT product_id, sku, name, quantity, unit_price_cents FROM order_items
WHERE order_id = @order_id ORDER BY name, product_id;

-- name: TransitionOrder :one
-- Moves an order only if it is still in one of the allowed source states, so two concurrent
-- moves cannot both succeed.
UPDATE orders SET status = @to_status, updated_at = now()
WHERE id = @id AND status = ANY(@from_statuses::text[])
RETURNING id, user_id, status, total_cents, currency, created_at, updated_at;

-- name: ReleaseStock :exec
UPDATE products p SET stock = p.stock + oi.quantity, updated_at = now()
FROM order_items oi
WHERE oi.order_id = @order_id AND p.id = oi.product_id;
