-- name: SalesApplyBuyers :exec
-- Adds (or, for cancellations, removes) each buyer's units per product for events in (after, upto].
INSERT INTO product_sales_buyers (product_id, user_id, units)
SELECT (i->>'product_id')::uuid, (o.payload->>'user_id')::uuid,
       sum(CASE o.type WHEN 'OrderPlaced' THEN 1 ELSE -1 END * (i->>'quantity')::bigint)
FROM outbox o, jsonb_array_elements(o.payload->'items') AS i
WHERE o.published AND o.position > @after::bigint AND o.position <= @upto::bigint AND o.type IN ('OrderPlaced', 'OrderCancelled')
  AND NOT EXISTS (SELECT 1 FROM parked_events p WHERE p.projection = 'product_sales' AND p.position = o.position AND p.resolved_at IS NULL)
GROUP BY 1, 2
ON CONFLICT (product_id, user_id) DO UPDATE SET units = product_sales_buyers.units + excluded.units;

-- name: SalesApplyTotals :exec
-- Adds the units, revenue and orders of events in (after, upto] and recounts distinct buyers
-- of the products they touch.
INSERT INTO product_sales (product_id, units_sold, revenue_cents, order_count, distinct_buyers, updated_at)
SELECT d.product_id, d.units, d.revenue, d.orders,
       (SELECT count(*) FROM product_sales_buyers b WHERE b.product_id = d.product_id AND b.units > 0), d.at
FROM (
    SELECT (i->>'product_id')::uuid AS product_id,
           sum(CASE o.type WHEN 'OrderPlaced' THEN 1 ELSE -1 END * (i->>'quantity')::bigint) AS units,
           sum(CASE o.type WHEN 'OrderPlaced' THEN 1 ELSE -1 END * (i->>'quantity')::bigint * (i->>'unit_price_cents')::bigint) AS revenue,
           sum(CASE o.type WHEN 'OrderPlaced' THEN 1 ELSE -1 END) AS orders,
           max(o.occurred_at) AS at
    FROM outbox o, jsonb_array_elements(o.payload->'items') AS i
    WHERE o.published AND o.position > @after::bigint AND o.position <= @upto::bigint AND o.type IN ('OrderPlaced', 'OrderCancelled')
      AND NOT EXISTS (SELECT 1 FROM parked_events p WHERE p.projection = 'product_sales' AND p.position = o.position AND p.resolved_at IS NULL)
    GROUP BY 1
) d
ON CONFLICT (product_id) DO UPDATE SET
    units_sold = product_sales.units_sold + excluded.units_sold,
    revenue_cents = product_sales.revenue_cents + excluded.revenue_cents,
    order_count = product_sales.order_count + excluded.order_count,
    distinct_buyers = excluded.distinct_buyers,
    updated_at = GREATEST(product_sales.updated_at, excluded.updated_at);

-- name: SalesTruncate :exec
TRUNCATE product_sales, product_sales_buyers;

-- name: SalesChecksum :one
SELECT count(*)::bigint AS rows,
       (COALESCE(md5(string_agg(s::text, '|' ORDER BY s.product_id)), '')
         || COALESCE(md5((SELECT string_agg(b::text, '|' ORDER BY b.product_id, b.user_id) FROM product_sales_buyers b)), ''))::text AS checksum
FROM product_sales s;
