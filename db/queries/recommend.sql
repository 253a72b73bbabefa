-- The co_purchase read model (recommendation inputs) and the reads of the recommender.

-- name: CoPurchaseApply :exec
-- Adds the order events in (after, upto] past the checkpoint (so that running it again over
-- events already applied changes nothing), skipping events parked for co_purchase, in one
-- pass: an OrderPlaced adds one to each of its products and to each pair of them, and its
-- products to the customer's purchases; an OrderCancelled (which lists the same lines) takes
-- them back. Every part of one statement sees the same snapshot, so an order placed and
-- cancelled in the same range adds nothing. Counts that reach zero are removed by
-- CoPurchasePrune.
WITH events AS MATERIALIZED (
    SELECT o.position, o.type, CASE o.type WHEN 'OrderPlaced' THEN 1 ELSE -1 END AS sign, o.payload
    FROM outbox o
    WHERE o.published AND o.position > @after::bigint AND o.position <= @upto::bigint AND o.type IN ('OrderPlaced', 'OrderCancelled')
      AND o.position > (SELECT c.position FROM projection_checkpoints c WHERE c.name = 'co_purchase')
      AND NOT EXISTS (SELECT 1 FROM parked_events p WHERE p.projection = 'co_purchase' AND p.position = o.position AND p.resolved_at IS NULL)
), lines AS MATERIALIZED (
    SELECT DISTINCT e.position, e.sign, (i->>'product_id')::uuid AS product_id
    FROM events e, jsonb_array_elements(e.payload->'items') AS i
), per_product AS (
    INSERT INTO co_purchase_products (product_id, orders)
    SELECT l.product_id, sum(l.sign) FROM lines l GROUP BY 1
    ON CONFLICT (product_id) DO UPDATE SET orders = co_purchase_products.orders + excluded.orders
), cancelled AS (
    SELECT (e.payload->>'user_id')::uuid AS user_id, (e.payload->>'order_id')::uuid AS order_id
    FROM events e WHERE e.type = 'OrderCancelled'
), items_gone AS (
    DELETE FROM co_purchase_user_items u USING cancelled c WHERE u.user_id = c.user_id AND u.order_id = c.order_id
), items_new AS (
    INSERT INTO co_purchase_user_items (user_id, order_id, product_id, placed_at)
    SELECT DISTINCT (e.payload->>'user_id')::uuid, (e.payload->>'order_id')::uuid, (i->>'product_id')::uuid,
           (e.payload->>'created_at')::timestamptz
    FROM events e, jsonb_array_elements(e.payload->'items') AS i
    WHERE e.type = 'OrderPlaced' AND NOT EXISTS (SELECT 1 FROM cancelled c WHERE c.order_id = (e.payload->>'order_id')::uuid)
)
INSERT INTO co_purchase (product_id, other_id, orders)
SELECT a.product_id, b.product_id, sum(a.sign)
FROM lines a JOIN lines b ON b.position = a.position AND b.product_id <> a.product_id
GROUP BY 1, 2
ON CONFLICT (product_id, other_id) DO UPDATE SET orders = co_purchase.orders + excluded.orders;

-- name: CoPurchasePrune :exec
-- Removes the counts that cancellations brought to zero (found through partial indexes that
-- hold only such rows).
WITH pairs AS (DELETE FROM co_purchase WHERE orders <= 0)
DELETE FROM co_purchase_products WHERE orders <= 0;

-- name: CoPurchaseTruncate :exec
TRUNCATE co_purchase, co_purchase_products, co_purchase_user_items;

-- name: CoPurchaseChecksum :one
SELECT ((SELECT count(*) FROM co_purchase) + (SELECT count(*) FROM co_purchase_products)
          + (SELECT count(*) FROM co_purchase_user_items))::bigint AS rows,
       (COALESCE((SELECT md5(string_agg(c::text, '|' ORDER BY c.product_id, c.other_id)) FROM co_purchase c), '')
         || COALESCE((SELECT md5(string_agg(p::text, '|' ORDER BY p.product_id)) FROM co_purchase_products p), '')
         || COALESCE((SELECT md5(string_agg(u::text, '|' ORDER BY u.user_id, u.order_id, u.product_id)) FROM co_purchase_user_items u), ''))::text AS checksum;

-- name: RecommendProduct :one
-- A live product.
SELECT id, sku, name, description, category, price_cents, currency, stock, created_at, updated_at
FROM products WHERE id = @id AND deleted_at IS NULL;

-- name: RecommendProducts :many
-- The live products among the given IDs; with a user, not those they bought; with in_stock,
-- only those in stock.
SELECT p.id, p.sku, p.name, p.description, p.category, p.price_cents, p.currency, p.stock, p.created_at, p.updated_at
FROM products p
WHERE p.id = ANY(@ids::uuid[]) AND p.deleted_at IS NULL
  AND (NOT @in_stock::boolean OR p.stock > 0)
  AND (sqlc.narg(user_id)::uuid IS NULL
       OR NOT EXISTS (SELECT 1 FROM co_purchase_user_items u WHERE u.user_id = sqlc.narg(user_id) AND u.product_id = p.id));

-- name: RecommendPartners :many
-- The products bought together most often with each of the given products, at most
-- @per_product each, with the order counts of both.
SELECT s.product_id::uuid AS product_id, c.other_id, c.orders AS together, pi.orders AS product_orders, pj.orders AS other_orders
FROM (SELECT unnest(@product_ids::uuid[])::uuid AS product_id) s
JOIN co_purchase_products pi ON pi.product_id = s.product_id
CROSS JOIN LATERAL (
    SELECT x.other_id, x.orders FROM co_purchase x WHERE x.product_id = s.product_id
    ORDER BY x.orders DESC, x.other_id LIMIT @per_product
) c
JOIN co_purchase_products pj ON pj.product_id = c.other_id
ORDER BY s.product_id, c.orders DESC, c.other_id;

-- name: RecommendPurchases :many
-- What a customer bought in their live orders, most recent first, with the name and category
-- of each product (deleted ones included: they still say what the customer likes).
SELECT u.product_id, p.name, p.category, count(*)::bigint AS orders, max(u.placed_at)::timestamptz AS last_at
FROM co_purchase_user_items u JOIN products p ON p.id = u.product_id
WHERE u.user_id = @user_id
GROUP BY u.product_id, p.name, p.category
ORDER BY last_at DESC, u.product_id
LIMIT @max_rows;

-- name: RecommendPopular :many
-- The most ordered live products in stock: the first @per_category of each given category, or
-- overall when no category is given.
WITH ranked AS (
    SELECT p.id, p.category, s.orders,
           row_number() OVER (PARTITION BY CASE WHEN cardinality(@categories::text[]) = 0 THEN '' ELSE p.category END
                              ORDER BY s.orders DESC, p.id) AS rank
    FROM co_purchase_products s JOIN products p ON p.id = s.product_id
    WHERE p.deleted_at IS NULL AND p.stock > 0
      AND (cardinality(@categories::text[]) = 0 OR p.category = ANY(@categories::text[]))
)
SELECT ranked.id, ranked.category, ranked.orders
FROM ranked
WHERE ranked.rank <= @per_category::bigint
ORDER BY ranked.orders DESC, ranked.id;
