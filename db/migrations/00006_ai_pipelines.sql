-- +goose Up
-- Embeddings made by a remote model (AI_EMBED_MODEL), one row per product and model. The
-- search_index projection keeps the offline model's vectors in search_documents itself; a
-- remote model is called outside any projection transaction, by the re-embedding workflow,
-- which fills this table in batches. A row is current while its position equals the
-- document's: a product update moves the document's position and makes the row stale.
CREATE TABLE search_embeddings (
    model       text NOT NULL,
    product_id  uuid NOT NULL,
    embedding   bytea NOT NULL,
    position    bigint NOT NULL,
    embedded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (model, product_id)
);

-- Recommendations reranked by a language model, one row per customer: the product IDs in the
-- model's order with its one-line reasons, which model wrote them with which prompt and when,
-- and the customer's purchases they were based on (basis), so a new order makes them stale.
-- When the model could not answer after its retries, the row says so (provider 'local', the
-- reason in fallback, no items): the local recommendations stand until it is tried again.
CREATE TABLE llm_recommendations (
    user_id      uuid PRIMARY KEY,
    items        jsonb NOT NULL,
    provider     text NOT NULL,
    model        text NOT NULL,
    prompt       text NOT NULL,
    basis        text NOT NULL,
    fallback     text NOT NULL DEFAULT '',
    generated_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE llm_recommendations;
DROP TABLE search_embeddings;
