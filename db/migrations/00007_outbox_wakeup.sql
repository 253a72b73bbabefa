-- +goose Up
-- A transaction that sent NOTIFY holds the notification queue's lock from its commit until its
-- commit record is flushed, so writers that all notify commit one at a time, each waiting for
-- the flush of the one before (docs/benchmarks.md has the figures). Writers now notify only
-- while the publisher says it waits for them: it sets `waiting` before it sleeps and clears it
-- once a round finds rows, looking again shortly after each busy round instead. Under load no
-- commit notifies; after a quiet moment the first commits wake the publisher at once. Until a
-- publisher sets it, nothing notifies: a publisher that does not know this table finds the
-- rows by its poll.
CREATE TABLE outbox_wakeup (
    id      boolean PRIMARY KEY DEFAULT true CHECK (id),
    waiting boolean NOT NULL DEFAULT false
);
INSERT INTO outbox_wakeup DEFAULT VALUES;

-- Each statement reads the flag afresh (READ COMMITTED), after its rows are written.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT waiting FROM outbox_wakeup) THEN
        PERFORM pg_notify('outbox', '');
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox', '');
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
DROP TABLE outbox_wakeup;
