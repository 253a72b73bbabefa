-- name: SalesApply :exec
-- Adds the events in (after, upto] past the checkpoint (so that running it again over events
-- already applied changes nothing) to the sales figures in one pass over their lines: each
-- buyer's units per product, and per product the units, revenue and orders (cancellations
-- subtract) and the change in distinct buyers, worked out against the buyers' units before
-- this batch (every part of one statement sees the same snapshot).
WITH lines AS MATERIALIZED (
    SELECT (i->>'product_id')::uuid AS product_id, (o.payload->>'user_id')::uuid AS user_id,
           CASE o.type WHEN 'OrderPlaced' THEN 1 ELSE -1 END AS sign,
           (i->>'quantity')::bigint AS quantity, (i->>'unit_price_cents')::bigint AS price, o.occurred_at
    FROM outbox o, jsonb_array_elements(o.payload->'items') AS i
    WHERE o.published AND o.position > @after::bigint AND o.position <= @upto::bigint AND o.type IN ('OrderPlaced', 'OrderCancelled')
      AND o.position > (SELECT c.position FROM projection_checkpoints c WHERE c.name = 'product_sales')
      AND NOT EXISTS (SELECT 1 FROM parked_events p WHERE p.projection = 'product_sales' AND p.position = o.position AND p.resolved_at IS NULL)
), per_buyer AS (
    SELECT l.product_id, l.user_id, sum(l.sign * l.quantity) AS units FROM lines l GROUP BY 1, 2
), buyer_change AS (
    SELECT pb.product_id,
           sum(CASE WHEN COALESCE(b.units, 0) <= 0 AND COALESCE(b.units, 0) + pb.units > 0 THEN 1
                    WHEN COALESCE(b.units, 0) > 0 AND COALESCE(b.units, 0) + pb.units <= 0 THEN -1
                    ELSE 0 END) AS buyers
    FROM per_buyer pb LEFT JOIN product_sales_buyers b ON b.product_id = pb.product_id AND b.user_id = pb.user_id
    GROUP BY 1
), buyers AS (
    INSERT INTO product_sales_buyers (product_id, user_id, units)
    SELECT pb.product_id, pb.user_id, pb.units FROM per_buyer pb
    ON CONFLICT (product_id, user_id) DO UPDATE SET units = product_sales_buyers.units + excluded.units
), totals AS (
    SELECT l.product_id, sum(l.sign * l.quantity) AS units, sum(l.sign * l.quantity * l.price) AS revenue,
           sum(l.sign) AS orders, max(l.occurred_at) AS at
    FROM lines l GROUP BY 1
)
INSERT INTO product_sales (product_id, units_sold, revenue_cents, order_count, distinct_buyers, updated_at)
SELECT t.product_id, t.units, t.revenue, t.orders, c.buyers, t.at
FROM totals t JOIN buyer_change c ON c.product_id = t.product_id
ON CONFLICT (product_id) DO UPDATE SET
    units_sold = product_sales.units_sold + excluded.units_sold,
    revenue_cents = product_sales.revenue_cents + excluded.revenue_cents,
    order_count = product_sales.order_count + excluded.order_count,
    distinct_buyers = product_sales.distinct_buyers + excluded.distinct_buyers,
    updated_at = GREATEST(product_sales.updated_at, excluded.updated_at);

-- name: SalesTruncate :exec
TRUNCATE product_sales, product_sales_buyers;

-- name: SalesChecksum :one
SELECT count(*)::bigint AS rows,
       (COALESCE(md5(string_agg(s::text, '|' ORDER BY s.product_id)), '')
         || COALESCE(md5((SELECT string_agg(b::text, '|' ORDER BY b.product_id, b.user_id) FROM product_sales_buyers b)), ''))::text AS checksum
FROM product_sales s;
