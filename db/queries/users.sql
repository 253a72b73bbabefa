-- name: CreateUser :one
INSERT INTO users (id, email, name, password_hash, role)
VALUES (@id, @email, @name, @password_hash, @role)
RETURNING id, email, name, role, created_at, authz_version;

-- name: GetUserByID :one
SELECT id, email, name, role, created_at, authz_version FROM users WHERE id = @id;

-- name: GetUserCredentials :one
SELECT id, email, name, role, created_at, authz_version, password_hash FROM users WHERE lower(email) = lower(@email);

-- name: ListUsers :many
SELECT id, email, name, role, created_at FROM users
WHERE (sqlc.narg(role)::text IS NULL OR role = sqlc.narg(role))
  AND (sqlc.narg(query)::text IS NULL OR lower(email || ' ' || name) LIKE '%' || sqlc.narg(query) || '%')
ORDER BY created_at, id
LIMIT @page_limit OFFSET @page_offset;

-- name: CountUsers :one
SELECT count(*) FROM users
WHERE (sqlc.narg(role)::text IS NULL OR role = sqlc.narg(role))
  AND (sqlc.narg(query)::text IS NULL OR lower(email || ' ' || name) LIKE '%' || sqlc.narg(query) || '%');

-- name: UpdateUserRole :one
-- Changes the role and bumps authz_version, so tokens issued before the change stop working on
-- privileged routes.
UPDATE users SET role = @role, authz_version = authz_version + 1, updated_at = now() WHERE id = @id
RETURNING id, email, name, role, created_at, authz_version;

-- name: LockRoleChanges :exec
-- Serialises role changes (they are rare) until the transaction ends, so that two admins
-- changing each other's roles at once wait for each other instead of deadlocking.
SELECT pg_advisory_xact_lock(7210001);

-- name: LockUserRole :one
-- The user's current role, locked until the transaction ends.
SELECT role FROM users WHERE id = @id FOR UPDATE;

-- name: CountAdminsLocked :one
-- Locks every admin row, so that two concurrent demotions cannot both see another admin left.
SELECT count(*) FROM (SELECT id FROM users WHERE role = 'admin' FOR UPDATE) AS admins;

-- name: GetUserAuthz :one
SELECT role, authz_version FROM users WHERE id = @id;

-- name: RevokeUserRefreshTokens :execrows
UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = @user_id AND revoked_at IS NULL;

-- name: InsertRefreshToken :exec
INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, expires_at)
VALUES (@id, @user_id, @family_id, @token_hash, @expires_at);

-- name: SpendRefreshToken :one
-- Marks a live token used and returns its owner and family; no row if the token is unknown,
-- expired, revoked or already used.
UPDATE refresh_tokens SET used_at = now()
WHERE token_hash = @token_hash AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
RETURNING user_id, family_id;

-- name: GetRefreshToken :one
SELECT user_id, family_id, used_at, revoked_at, expires_at FROM refresh_tokens WHERE token_hash = @token_hash;

-- name: RevokeRefreshFamily :exec
UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = @family_id AND revoked_at IS NULL;

-- name: DeleteExpiredRefreshTokens :execrows
DELETE FROM refresh_tokens WHERE expires_at < @before;
