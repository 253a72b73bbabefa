-- name: CreateProduct :one
INSERT INTO products (id, sku, name, description, category, price_cents, currency, stock, created_at, updated_at)
VALUES (@id, @sku, @name, @description, @category, @price_cents, @currency, @stock, @at, @at)
RETURNING id, sku, name, description, category, price_cents, currency, stock, created_at, updated_at;

-- name: GetProduct :one
SELECT id, sku, name, description, category, price_cents, currency, stock, created_at, updated_at
FROM products WHERE id = @id AND deleted_at IS NULL;

-- name: ListProducts :many
-- The CASE sort keys fold to a single column once the parameters are bound, so each sort
-- walks its own index (see the EXPLAIN checks in the catalogue tests).
SELECT id, sku, name, description, category, price_cents, currency, stock, created_at, updated_at
FROM products
WHERE deleted_at IS NULL
  AND (sqlc.narg(category)::text IS NULL OR category = sqlc.narg(category))
  AND (sqlc.narg(query)::text IS NULL OR search_text LIKE '%' || sqlc.narg(query) || '%')
  AND (sqlc.narg(min_price)::bigint IS NULL OR price_cents >= sqlc.narg(min_price))
  AND (sqlc.narg(max_price)::bigint IS NULL OR price_cents <= sqlc.narg(max_price))
  AND (NOT @in_stock::boolean OR stock > 0)
ORDER BY
  CASE WHEN @sort::text = 'name' THEN name END ASC,
  CASE WHEN @sort::text = '-name' THEN name END DESC,
  CASE WHEN @sort::text = 'price_cents' THEN price_cents END ASC,
  CASE WHEN @sort::text = '-price_cents' THEN price_cents END DESC,
  CASE WHEN @sort::text = 'created_at' THEN created_at END ASC,
  CASE WHEN @sort::text = '-created_at' THEN created_at END DESC,
  CASE WHEN @sort::text LIKE '-%' THEN id END DESC,
  id ASC
LIMIT @page_limit OFFSET @page_offset;

-- name: CountProducts :one
SELECT count(*) FROM products
WHERE deleted_at IS NULL
  AND (sqlc.narg(category)::text IS NULL OR category = sqlc.narg(category))
  AND (sqlc.narg(query)::text IS NULL OR search_text LIKE '%' || sqlc.narg(query) || '%')
  AND (sqlc.narg(min_price)::bigint IS NULL OR price_cents >= sqlc.narg(min_price))
  AND (sqlc.narg(max_price)::bigint IS NULL OR price_cents <= sqlc.narg(max_price))
  AND (NOT @in_stock::boolean OR stock > 0);

-- name: UpdateProduct :one
-- The row is locked (FOR UPDATE, in the CTE) before the UPDATE writes it: a transaction gets its
-- xid, which orders its events for the publisher, when it first writes, and a row lock taken
-- while waiting for no one is that first write. An UPDATE alone takes its xid a moment before it
-- finds the row locked, so two concurrent changes of one product could get xids in the
-- opposite order of their commits, and their ProductUpdated events be published in that order.
WITH locked AS (SELECT l.id FROM products l WHERE l.id = @id AND l.deleted_at IS NULL FOR UPDATE)
UPDATE products SET
    sku = COALESCE(sqlc.narg(sku), sku),
    name = COALESCE(sqlc.narg(name), name),
    description = COALESCE(sqlc.narg(description), description),
    category = COALESCE(sqlc.narg(category), category),
    price_cents = COALESCE(sqlc.narg(price_cents), price_cents),
    currency = COALESCE(sqlc.narg(currency), currency),
    stock = COALESCE(sqlc.narg(stock), stock),
    updated_at = @at
FROM locked
WHERE products.id = locked.id AND products.deleted_at IS NULL
RETURNING products.id, products.sku, products.name, products.description, products.category, products.price_cents,
          products.currency, products.stock, products.created_at, products.updated_at;

-- name: SoftDeleteProduct :one
-- Locks the row first, as UpdateProduct does and for the same reason.
WITH locked AS (SELECT l.id FROM products l WHERE l.id = @id AND l.deleted_at IS NULL FOR UPDATE)
UPDATE products SET deleted_at = @at::timestamptz, updated_at = @at::timestamptz
FROM locked
WHERE products.id = locked.id AND products.deleted_at IS NULL
RETURNING products.id, products.sku;

-- name: ListCategories :many
SELECT category, count(*) AS product_count FROM products
WHERE deleted_at IS NULL GROUP BY category ORDER BY category;
