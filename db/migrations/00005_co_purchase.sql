-- +goose Up
-- Recommendation inputs: the co_purchase read model, fed by OrderPlaced and OrderCancelled.
-- Counts are of live orders: a cancellation takes back what the placement added, and a row
-- whose count falls to zero is removed in the same transaction (the partial "spent" indexes
-- hold only such rows, so finding them costs nothing).

-- For every two products bought in one order, how many orders held both. Each unordered pair
-- is stored in both directions, so one product's partners are one range of the primary key.
CREATE TABLE co_purchase (
    product_id uuid NOT NULL,
    other_id   uuid NOT NULL,
    orders     bigint NOT NULL,
    PRIMARY KEY (product_id, other_id)
);
CREATE INDEX co_purchase_spent_idx ON co_purchase (product_id) WHERE orders <= 0;

-- How many orders held each product: the n_i of the similarity score, and popularity.
CREATE TABLE co_purchase_products (
    product_id uuid PRIMARY KEY,
    orders     bigint NOT NULL
);
CREATE INDEX co_purchase_products_spent_idx ON co_purchase_products (product_id) WHERE orders <= 0;

-- What each customer bought: one row per product of each of their live orders.
CREATE TABLE co_purchase_user_items (
    user_id    uuid NOT NULL,
    order_id   uuid NOT NULL,
    product_id uuid NOT NULL,
    placed_at  timestamptz NOT NULL,
    PRIMARY KEY (user_id, order_id, product_id)
);

INSERT INTO projection_checkpoints (name) VALUES ('co_purchase') ON CONFLICT DO NOTHING;

-- +goose Down
DELETE FROM projection_checkpoints WHERE name = 'co_purchase';
DELETE FROM parked_events WHERE projection = 'co_purchase';
DELETE FROM projection_failures WHERE projection = 'co_purchase';
DROP TABLE co_purchase_user_items;
DROP TABLE co_purchase_products;
DROP TABLE co_purchase;
