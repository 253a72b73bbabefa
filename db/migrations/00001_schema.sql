-- +goose Up
-- The write model (users, catalogue, orders) and the outbox, which is also the event log.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    email         text NOT NULL,
    name          text NOT NULL,
    password_hash text NOT NULL,
    role          text NOT NULL DEFAULT 'customer' CHECK (role IN ('customer', 'staff', 'admin')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_created_idx ON users (created_at, id);
CREATE INDEX users_role_created_idx ON users (role, created_at, id);
CREATE INDEX users_search_trgm_idx ON users USING gin ((lower(email || ' ' || name)) gin_trgm_ops);

-- Refresh tokens are opaque to clients; only their SHA-256 is stored. Every login starts a
-- family; each refresh spends one token and issues the next in the same family. Presenting a
-- spent token revokes the family (reuse detection).
CREATE TABLE refresh_tokens (
    id         uuid PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id  uuid NOT NULL,
    token_hash bytea NOT NULL UNIQUE,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    revoked_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_expires_idx ON refresh_tokens (expires_at);

CREATE TABLE products (
    id          uuid PRIMARY KEY,
    sku         text NOT NULL,
    name        text NOT NULL,
    description text NOT NULL DEFAULT '',
    category    text NOT NULL,
    price_cents bigint NOT NULL CHECK (price_cents >= 0),
    currency    text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    stock       integer NOT NULL CHECK (stock >= 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz,
    search_text text GENERATED ALWAYS AS (lower(name || ' ' || category || ' ' || description)) STORED
);
CREATE UNIQUE INDEX products_sku_key ON products (sku);
-- One index per offered sort, each usable with or without the category filter, all partial on
-- live products; price ranges use the price indexes, free text the trigram index.
CREATE INDEX products_name_idx ON products (name, id) WHERE deleted_at IS NULL;
CREATE INDEX products_price_idx ON products (price_cents, id) WHERE deleted_at IS NULL;
CREATE INDEX products_created_idx ON products (created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX products_category_name_idx ON products (category, name, id) WHERE deleted_at IS NULL;
CREATE INDEX products_category_price_idx ON products (category, price_cents, id) WHERE deleted_at IS NULL;
CREATE INDEX products_category_created_idx ON products (category, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX products_search_trgm_idx ON products USING gin (search_text gin_trgm_ops) WHERE deleted_at IS NULL;

CREATE TABLE orders (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id),
    status      text NOT NULL CHECK (status IN ('placed', 'paid', 'shipped', 'delivered', 'cancelled')),
    total_cents bigint NOT NULL CHECK (total_cents >= 0),
    currency    text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_user_created_idx ON orders (user_id, created_at DESC, id DESC);

-- Order lines keep the name, SKU and unit price the customer saw, so later catalogue changes
-- never rewrite history.
CREATE TABLE order_items (
    order_id         uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id       uuid NOT NULL REFERENCES products (id),
    sku              text NOT NULL,
    name             text NOT NULL,
    quantity         integer NOT NULL CHECK (quantity > 0),
    unit_price_cents bigint NOT NULL CHECK (unit_price_cents >= 0),
    PRIMARY KEY (order_id, product_id)
);
CREATE INDEX order_items_product_idx ON order_items (product_id);

-- A client's Idempotency-Key, claimed inside the order transaction: a concurrent request with
-- the same key waits on the unique index until the first commits or rolls back.
CREATE TABLE idempotency_keys (
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key          text NOT NULL,
    request_hash bytea NOT NULL,
    order_id     uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- The outbox is also the event log: publication never deletes a row. `xid` is the writing
-- transaction's id; a publisher takes only rows whose transaction is older than every running
-- one (xid < pg_snapshot_xmin), in (xid, id) order, and gives them a gap-free `position`.
CREATE TABLE outbox (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id       uuid NOT NULL UNIQUE,
    type           text NOT NULL,
    aggregate_type text NOT NULL,
    aggregate_id   text NOT NULL,
    payload        jsonb NOT NULL,
    version        integer NOT NULL DEFAULT 1,
    occurred_at    timestamptz NOT NULL DEFAULT now(),
    xid            xid8 NOT NULL DEFAULT pg_current_xact_id(),
    published      boolean NOT NULL DEFAULT false,
    published_at   timestamptz,
    position       bigint UNIQUE,
    CHECK (published = (position IS NOT NULL))
);
CREATE INDEX outbox_pending_idx ON outbox (xid, id) WHERE NOT published;

-- Every statement that writes outbox rows wakes the publisher when its transaction commits
-- (NOTIFY is delivered on commit, and dropped on rollback).
-- +goose StatementBegin
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox', '');
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- +goose Down
DROP TABLE outbox;
DROP FUNCTION outbox_notify();
DROP TABLE idempotency_keys;
DROP TABLE order_items;
DROP TABLE orders;
DROP TABLE products;
DROP TABLE refresh_tokens;
DROP TABLE users;
