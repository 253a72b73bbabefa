-- +goose Up
-- The W3C traceparent of the span that wrote the row (a request, an activity), when tracing is
-- on and that span is sampled; NULL otherwise. The publisher's rounds and the projections'
-- batches link their spans to it, so a trace of a request leads to the work it caused later.
-- A nullable column without a default: adding it rewrites nothing.
ALTER TABLE outbox ADD COLUMN trace_context text;

-- +goose Down
ALTER TABLE outbox DROP COLUMN trace_context;
