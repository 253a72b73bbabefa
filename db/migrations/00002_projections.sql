-- +goose Up
-- Publication state and the read models fed by the event log.

-- One row: the last position handed out. Its row lock also makes publication single-file,
-- whatever number of publishers run.
CREATE TABLE outbox_publisher (
    id            boolean PRIMARY KEY DEFAULT true CHECK (id),
    last_position bigint NOT NULL DEFAULT 0,
    updated_at    timestamptz NOT NULL DEFAULT now()
);
INSERT INTO outbox_publisher DEFAULT VALUES;

-- Every statement that publishes wakes the projections when its transaction commits.
-- +goose StatementBegin
CREATE FUNCTION outbox_published_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox_published', '');
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER outbox_published_notify AFTER UPDATE OF published ON outbox
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_published_notify();

-- Each read model's checkpoint: the last position applied. Applying a batch and moving the
-- checkpoint happen in one transaction, under this row's lock.
CREATE TABLE projection_checkpoints (
    name       text PRIMARY KEY,
    position   bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO projection_checkpoints (name) VALUES ('order_history'), ('product_sales');

-- Events a projection could not apply after its retries: kept with the error, skipped so the
-- projection goes on, and re-driven by an operator once the cause is fixed.
CREATE TABLE parked_events (
    projection  text NOT NULL,
    position    bigint NOT NULL,
    event_id    uuid NOT NULL,
    event_type  text NOT NULL,
    error       text NOT NULL,
    attempts    integer NOT NULL,
    parked_at   timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    PRIMARY KEY (projection, position)
);
CREATE INDEX parked_events_open_idx ON parked_events (projection, position) WHERE resolved_at IS NULL;

-- Failed attempts at one event, counted across worker restarts until it applies or is parked.
CREATE TABLE projection_failures (
    projection text NOT NULL,
    position   bigint NOT NULL,
    attempts   integer NOT NULL,
    last_error text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (projection, position)
);

-- Read model: each customer's orders, newest first, with a summary of the lines.
CREATE TABLE order_history (
    order_id      uuid PRIMARY KEY,
    user_id       uuid NOT NULL,
    status        text NOT NULL,
    total_cents   bigint NOT NULL,
    currency      text NOT NULL,
    item_count    integer NOT NULL,
    items_summary text NOT NULL,
    items         jsonb NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    position      bigint NOT NULL
);
-- Two indexes only: a customer's history (a status filter reads along it), and everyone's for
-- staff. Every index here is paid for on each replayed event.
CREATE INDEX order_history_user_idx ON order_history (user_id, created_at DESC, order_id DESC);
CREATE INDEX order_history_all_idx ON order_history (created_at DESC, order_id DESC);

-- Read model: sales figures per product (feeds "popular" and recommendations).
CREATE TABLE product_sales (
    product_id      uuid PRIMARY KEY,
    units_sold      bigint NOT NULL,
    revenue_cents   bigint NOT NULL,
    order_count     bigint NOT NULL,
    distinct_buyers bigint NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX product_sales_units_idx ON product_sales (units_sold DESC, product_id);
CREATE TABLE product_sales_buyers (
    product_id uuid NOT NULL,
    user_id    uuid NOT NULL,
    units      bigint NOT NULL,
    PRIMARY KEY (product_id, user_id)
);

-- +goose Down
DROP TABLE product_sales_buyers;
DROP TABLE product_sales;
DROP TABLE order_history;
DROP TABLE projection_failures;
DROP TABLE parked_events;
DROP TABLE projection_checkpoints;
DROP TRIGGER outbox_published_notify ON outbox;
DROP FUNCTION outbox_published_notify();
DROP TABLE outbox_publisher;
