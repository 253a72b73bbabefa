-- name: EmbeddingsStaleCount :one
-- How many live documents lack a current embedding for the model: for the offline model the
-- documents embedded by another version of it; for a remote model those without a row in
-- search_embeddings or with one older than the document.
SELECT count(*)::bigint FROM search_documents d
WHERE CASE WHEN @local::boolean THEN d.embed_model IS DISTINCT FROM @model::text
      ELSE NOT EXISTS (SELECT 1 FROM search_embeddings e
                       WHERE e.model = @model::text AND e.product_id = d.product_id AND e.position = d.position) END;

-- name: EmbeddingsStale :many
-- The next documents, by product ID after the given one, that lack a current embedding for
-- the model (see EmbeddingsStaleCount), with the text to embed and their position.
SELECT d.product_id, d.embed_text, d.position FROM search_documents d
WHERE d.product_id > @after::uuid
  AND CASE WHEN @local::boolean THEN d.embed_model IS DISTINCT FROM @model::text
      ELSE NOT EXISTS (SELECT 1 FROM search_embeddings e
                       WHERE e.model = @model::text AND e.product_id = d.product_id AND e.position = d.position) END
ORDER BY d.product_id
LIMIT @max_rows;

-- name: EmbeddingsSetLocal :execrows
-- Stores the offline model's vectors in the documents, unless a document changed since it was
-- read (its position moved: the projection re-embeds it).
UPDATE search_documents d SET embedding = u.embedding, embed_model = @model::text
FROM (SELECT unnest(@product_ids::uuid[]) AS product_id, unnest(@embeddings::bytea[]) AS embedding,
             unnest(@positions::bigint[]) AS position) AS u
WHERE d.product_id = u.product_id AND d.position = u.position;

-- name: EmbeddingsSetRemote :execrows
-- Stores a remote model's vectors for documents still at the position they were read at.
INSERT INTO search_embeddings (model, product_id, embedding, position, embedded_at)
SELECT @model::text, u.product_id, u.embedding, u.position, now()
FROM (SELECT unnest(@product_ids::uuid[]) AS product_id, unnest(@embeddings::bytea[]) AS embedding,
             unnest(@positions::bigint[]) AS position) AS u
JOIN search_documents d ON d.product_id = u.product_id AND d.position = u.position
ON CONFLICT (model, product_id) DO UPDATE SET
    embedding = excluded.embedding, position = excluded.position, embedded_at = excluded.embedded_at;

-- name: EmbeddingsPrune :execrows
-- Removes a remote model's vectors of products no longer in the index.
DELETE FROM search_embeddings e
WHERE e.model = @model::text AND NOT EXISTS (SELECT 1 FROM search_documents d WHERE d.product_id = e.product_id);

-- name: EmbeddingsLoadRemote :many
-- A remote model's current vectors of live products, for the in-process scan.
SELECT e.product_id, p.category, e.embedding FROM search_embeddings e
JOIN search_documents d ON d.product_id = e.product_id AND d.position = e.position
JOIN products p ON p.id = e.product_id
WHERE e.model = @model::text AND p.deleted_at IS NULL ORDER BY e.product_id;

-- name: EmbeddingsRemoteVersion :one
-- How many live documents there are and how many hold a current vector of the model; with
-- the sum of positions and the latest write, it changes whenever the model's vectors do.
SELECT (SELECT count(*) FROM search_documents)::bigint AS documents, count(*)::bigint AS current,
       COALESCE(sum(e.position), 0)::bigint AS position_sum, COALESCE(max(e.embedded_at), 'epoch')::timestamptz AS latest
FROM search_embeddings e JOIN search_documents d ON d.product_id = e.product_id AND d.position = e.position
WHERE e.model = @model::text;
