-- +goose Up
-- The search index: a read model fed by the product events. Each live product has its weighted
-- full-text document (name A, category and SKU B, description C), the text its trigram match
-- runs on (name and SKU), and its embedding (unit-length float32 little-endian; NULL until the
-- projection has embedded it). Nearest-neighbour search over the embeddings runs in process.

CREATE TABLE search_documents (
    product_id   uuid PRIMARY KEY,
    document     tsvector NOT NULL,
    trigram_text text NOT NULL,
    embed_text   text NOT NULL,
    embedding    bytea,
    embed_model  text,
    position     bigint NOT NULL,
    indexed_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX search_documents_document_idx ON search_documents USING gin (document);
CREATE INDEX search_documents_trigram_idx ON search_documents USING gin (trigram_text gin_trgm_ops);
CREATE INDEX search_documents_unembedded_idx ON search_documents (product_id) WHERE embedding IS NULL;

INSERT INTO projection_checkpoints (name) VALUES ('search_index') ON CONFLICT DO NOTHING;

-- +goose Down
DELETE FROM projection_checkpoints WHERE name = 'search_index';
DELETE FROM parked_events WHERE projection = 'search_index';
DELETE FROM projection_failures WHERE projection = 'search_index';
DROP TABLE search_documents;
