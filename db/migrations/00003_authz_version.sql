-- +goose Up
-- Every access token carries the authz_version of its user at the time it was issued. A role
-- change bumps the version, so privileged routes can refuse tokens issued before the change
-- without waiting for them to expire.
ALTER TABLE users ADD COLUMN authz_version integer NOT NULL DEFAULT 1;

-- +goose Down
ALTER TABLE users DROP COLUMN authz_version;
