-- name: SearchIndexApply :exec
-- Brings the documents of the products that the events in (after, upto] touched up to their
-- latest event: a deletion removes the document, a creation or update rewrites it from the
-- event's payload (the whole product) and clears its embedding for the embedder to redo.
-- Events at or before the checkpoint are left out (the caller moves it after applying), so
-- running it again over a range already applied changes nothing.
WITH latest AS MATERIALIZED (
    SELECT DISTINCT ON (o.aggregate_id) o.aggregate_id::uuid AS product_id, o.type, o.payload, o.position
    FROM outbox o
    WHERE o.published AND o.position > @after::bigint AND o.position <= @upto::bigint
      AND o.type IN ('ProductCreated', 'ProductUpdated', 'ProductDeleted')
      AND o.position > (SELECT c.position FROM projection_checkpoints c WHERE c.name = 'search_index')
      AND NOT EXISTS (SELECT 1 FROM parked_events p WHERE p.projection = 'search_index' AND p.position = o.position AND p.resolved_at IS NULL)
    ORDER BY o.aggregate_id, o.position DESC
), gone AS (
    DELETE FROM search_documents d USING latest l
    WHERE d.product_id = l.product_id AND l.type = 'ProductDeleted'
)
INSERT INTO search_documents (product_id, document, trigram_text, embed_text, embedding, embed_model, position, indexed_at)
SELECT l.product_id,
       setweight(to_tsvector('english', l.payload->>'name'), 'A')
         || setweight(to_tsvector('english', (l.payload->>'category') || ' ' || (l.payload->>'sku')), 'B')
         || setweight(to_tsvector('english', l.payload->>'description'), 'C'),
       lower((l.payload->>'name') || ' ' || (l.payload->>'sku')),
       (l.payload->>'name') || '. ' || (l.payload->>'category') || '. ' || (l.payload->>'description'),
       NULL, NULL, l.position, now()
FROM latest l
WHERE l.type <> 'ProductDeleted'
ON CONFLICT (product_id) DO UPDATE SET
    document = excluded.document, trigram_text = excluded.trigram_text,
    embedding = CASE WHEN search_documents.embed_text = excluded.embed_text THEN search_documents.embedding END,
    embed_model = CASE WHEN search_documents.embed_text = excluded.embed_text THEN search_documents.embed_model END,
    embed_text = excluded.embed_text, position = excluded.position, indexed_at = excluded.indexed_at;

-- name: SearchUnembedded :many
SELECT product_id, embed_text FROM search_documents WHERE embedding IS NULL ORDER BY product_id LIMIT @max_rows;

-- name: SearchSetEmbeddings :exec
UPDATE search_documents d SET embedding = u.embedding, embed_model = @embed_model::text
FROM (SELECT unnest(@product_ids::uuid[]) AS product_id, unnest(@embeddings::bytea[]) AS embedding) AS u
WHERE d.product_id = u.product_id;

-- name: SearchTruncate :exec
TRUNCATE search_documents;

-- name: SearchChecksum :one
SELECT count(*)::bigint AS rows,
       COALESCE(md5(string_agg(d.product_id::text || ':' || d.document::text || ':' || d.trigram_text || ':'
         || COALESCE(md5(d.embedding), '-'), '|' ORDER BY d.product_id)), '')::text AS checksum
FROM search_documents d;

-- name: SearchVectorsVersion :one
-- Changes whenever a document is written or removed, so a reader knows to reload its vectors.
SELECT count(*)::bigint AS documents, count(embedding)::bigint AS embedded, COALESCE(max(position), 0)::bigint AS position,
       COALESCE(sum(position), 0)::bigint AS position_sum
FROM search_documents;

-- name: SearchLoadVectors :many
SELECT d.product_id, p.category, d.embedding FROM search_documents d JOIN products p ON p.id = d.product_id
WHERE d.embedding IS NOT NULL AND d.embed_model = @embed_model::text AND p.deleted_at IS NULL ORDER BY d.product_id;

-- name: SearchFullText :many
-- Full-text candidates, best first, with every filter applied: the documents with every word
-- of the query (websearch syntax: "quoted phrases", or, -word) come first, then those with
-- some of its words (@any_words: the words joined by |), so that a need put in a sentence
-- still finds the documents that share its telling words; each group is ranked by ts_rank
-- with the field weights {D, C, B, A}.
WITH q AS (SELECT websearch_to_tsquery('english', @query::text) AS every, to_tsquery('english', @any_words::text) AS some)
SELECT p.id, ((d.document @@ q.every)::int + ts_rank(@weights::real[], d.document, q.some, 1))::real AS rank
FROM q, search_documents d JOIN products p ON p.id = d.product_id
WHERE (d.document @@ q.every OR d.document @@ q.some)
  AND p.deleted_at IS NULL
  AND (sqlc.narg(category)::text IS NULL OR p.category = sqlc.narg(category))
  AND (sqlc.narg(min_price)::bigint IS NULL OR p.price_cents >= sqlc.narg(min_price))
  AND (sqlc.narg(max_price)::bigint IS NULL OR p.price_cents <= sqlc.narg(max_price))
  AND (NOT @in_stock::boolean OR p.stock > 0)
ORDER BY rank DESC, p.id
LIMIT @max_rows;

-- name: SearchSetTrigramThreshold :exec
-- Sets the least strict word similarity of the <<% operator
-- (pg_trgm.strict_word_similarity_threshold) for the rest of the transaction.
SELECT set_config('pg_trgm.strict_word_similarity_threshold', @threshold::text, true);

-- name: SearchTrigram :many
-- Spelling candidates (typos, prefixes, partial SKUs) over name and SKU, best first, with
-- every filter applied: strict word similarity (the query against whole words of the text,
-- so "perfume" is not half of "performance") at least the transaction's threshold
-- (SearchSetTrigramThreshold), through the <<% operator, which the trigram index serves.
SELECT p.id, strict_word_similarity(@query::text, d.trigram_text)::real AS similarity
FROM search_documents d JOIN products p ON p.id = d.product_id
WHERE @query::text <<% d.trigram_text
  AND p.deleted_at IS NULL
  AND (sqlc.narg(category)::text IS NULL OR p.category = sqlc.narg(category))
  AND (sqlc.narg(min_price)::bigint IS NULL OR p.price_cents >= sqlc.narg(min_price))
  AND (sqlc.narg(max_price)::bigint IS NULL OR p.price_cents <= sqlc.narg(max_price))
  AND (NOT @in_stock::boolean OR p.stock > 0)
ORDER BY similarity DESC, p.id
LIMIT @max_rows;

-- name: SearchFilterProducts :many
-- The live products among the given IDs that pass every filter.
SELECT id, sku, name, description, category, price_cents, currency, stock, created_at, updated_at
FROM products p
WHERE p.id = ANY(@ids::uuid[]) AND p.deleted_at IS NULL
  AND (sqlc.narg(category)::text IS NULL OR p.category = sqlc.narg(category))
  AND (sqlc.narg(min_price)::bigint IS NULL OR p.price_cents >= sqlc.narg(min_price))
  AND (sqlc.narg(max_price)::bigint IS NULL OR p.price_cents <= sqlc.narg(max_price))
  AND (NOT @in_stock::boolean OR p.stock > 0);
