package auth

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/acme/orders/db/sqlc"
	"github.com/acme/orders/internal/events"
	"github.com/acme/orders/internal/platform/postgres"
)

// PostgresStore is the Store on the sqlc queries.
type PostgresStore struct{ q postgres.Queries }

// NewPostgresStore returns a Store over pool.
func NewPostgresStore(pool *pgxpool.Pool) *PostgresStore {
	return &PostgresStore{q: postgres.NewQueries(pool)}
}

// InTx runs fn with a Store bound to one transaction; inside a transaction it joins it.
func (s *PostgresStore) InTx(ctx context.Context, fn func(Store) error) error {
	return s.q.InTx(ctx, func(q postgres.Queries) error { return fn(&PostgresStore{q: q}) })
}

// InsertUser implements Store.
func (s *PostgresStore) InsertUser(ctx context.Context, u User, passwordHash string) (User, error) {
	row, err := s.q.CreateUser(ctx, sqlc.CreateUserParams{
		ID: u.ID, Email: u.Email, Name: u.Name, PasswordHash: passwordHash, Role: string(u.Role),
	})
	if postgres.IsUniqueViolation(err, "users_email_key") {
		return User{}, ErrEmailTaken
	}
	if err != nil {
		return User{}, postgres.Classify(err)
	}
	return User{ID: row.ID, Email: row.Email, Name: row.Name, Role: Role(row.Role), CreatedAt: row.CreatedAt, AuthzVersion: row.AuthzVersion}, nil
}

// UserByID implements Store.
func (s *PostgresStore) UserByID(ctx context.Context, id uuid.UUID) (User, error) {
	row, err := s.q.GetUserByID(ctx, id)
	if postgres.IsNoRows(err) {
		return User{}, ErrUserNotFound
	}
	if err != nil {
		return User{}, postgres.Classify(err)
	}
	return User{ID: row.ID, Email: row.Email, Name: row.Name, Role: Role(row.Role), CreatedAt: row.CreatedAt, AuthzVersion: row.AuthzVersion}, nil
}

// Credentials implements Store.
func (s *PostgresStore) Credentials(ctx context.Context, email string) (User, string, error) {
	row, err := s.q.GetUserCredentials(ctx, email)
	if postgres.IsNoRows(err) {
		return User{}, "", ErrUserNotFound
	}
	if err != nil {
		return User{}, "", postgres.Classify(err)
	}
	return User{ID: row.ID, Email: row.Email, Name: row.Name, Role: Role(row.Role), CreatedAt: row.CreatedAt, AuthzVersion: row.AuthzVersion}, row.PasswordHash, nil
}

// ListUsers implements Store.
func (s *PostgresStore) ListUsers(ctx context.Context, f UserFilter) ([]User, int64, error) {
	var role, query *string
	if f.Role != nil {
		r := string(*f.Role)
		role = &r
	}
	if f.Query != "" {
		q := postgres.EscapeLike(strings.ToLower(f.Query))
		query = &q
	}
	rows, err := s.q.ListUsers(ctx, sqlc.ListUsersParams{Role: role, Query: query, PageLimit: int32(f.Limit), PageOffset: int32(f.Offset)})
	if err != nil {
		return nil, 0, postgres.Classify(err)
	}
	total, err := s.q.CountUsers(ctx, sqlc.CountUsersParams{Role: role, Query: query})
	if err != nil {
		return nil, 0, postgres.Classify(err)
	}
	users := make([]User, len(rows))
	for i, r := range rows {
		users[i] = User{ID: r.ID, Email: r.Email, Name: r.Name, Role: Role(r.Role), CreatedAt: r.CreatedAt}
	}
	return users, total, nil
}

// LockRoleChanges implements Store.
func (s *PostgresStore) LockRoleChanges(ctx context.Context) error {
	return postgres.Classify(s.q.LockRoleChanges(ctx))
}

// LockRole implements Store.
func (s *PostgresStore) LockRole(ctx context.Context, id uuid.UUID) (Role, error) {
	role, err := s.q.LockUserRole(ctx, id)
	if postgres.IsNoRows(err) {
		return "", ErrUserNotFound
	}
	return Role(role), postgres.Classify(err)
}

// CountAdminsLocked implements Store.
func (s *PostgresStore) CountAdminsLocked(ctx context.Context) (int64, error) {
	n, err := s.q.CountAdminsLocked(ctx)
	return n, postgres.Classify(err)
}

// UpdateRole implements Store.
func (s *PostgresStore) UpdateRole(ctx context.Context, id uuid.UUID, role Role) (User, error) {
	row, err := s.q.UpdateUserRole(ctx, sqlc.UpdateUserRoleParams{ID: id, Role: string(role)})
	if postgres.IsNoRows(err) {
		return User{}, ErrUserNotFound
	}
	if err != nil {
		return User{}, postgres.Classify(err)
	}
	return User{ID: row.ID, Email: row.Email, Name: row.Name, Role: Role(row.Role), CreatedAt: row.CreatedAt, AuthzVersion: row.AuthzVersion}, nil
}

// Authz implements Store.
func (s *PostgresStore) Authz(ctx context.Context, id uuid.UUID) (Role, int32, error) {
	row, err := s.q.GetUserAuthz(ctx, id)
	if postgres.IsNoRows(err) {
		return "", 0, ErrUserNotFound
	}
	if err != nil {
		return "", 0, postgres.Classify(err)
	}
	return Role(row.Role), row.AuthzVersion, nil
}

// RevokeUserTokens implements Store.
func (s *PostgresStore) RevokeUserTokens(ctx context.Context, userID uuid.UUID) error {
	_, err := s.q.RevokeUserRefreshTokens(ctx, userID)
	return postgres.Classify(err)
}

// AppendEvent implements Store.
func (s *PostgresStore) AppendEvent(ctx context.Context, typ string, userID uuid.UUID, at time.Time, payload events.Payload) error {
	return postgres.Classify(events.Append(ctx, s.q.Queries, typ, events.AggregateUser, userID, at, payload))
}

// SaveRefreshToken implements Store.
func (s *PostgresStore) SaveRefreshToken(ctx context.Context, t RefreshToken) error {
	return postgres.Classify(s.q.InsertRefreshToken(ctx, sqlc.InsertRefreshTokenParams{
		ID: t.ID, UserID: t.UserID, FamilyID: t.FamilyID, TokenHash: t.Hash, ExpiresAt: t.ExpiresAt,
	}))
}

// SpendRefreshToken implements Store.
func (s *PostgresStore) SpendRefreshToken(ctx context.Context, hash []byte) (uuid.UUID, uuid.UUID, bool, error) {
	row, err := s.q.SpendRefreshToken(ctx, hash)
	if postgres.IsNoRows(err) {
		return uuid.Nil, uuid.Nil, false, nil
	}
	if err != nil {
		return uuid.Nil, uuid.Nil, false, postgres.Classify(err)
	}
	return row.UserID, row.FamilyID, true, nil
}

// RefreshTokenState implements Store.
func (s *PostgresStore) RefreshTokenState(ctx context.Context, hash []byte) (RefreshToken, bool, error) {
	row, err := s.q.GetRefreshToken(ctx, hash)
	if postgres.IsNoRows(err) {
		return RefreshToken{}, false, nil
	}
	if err != nil {
		return RefreshToken{}, false, postgres.Classify(err)
	}
	return RefreshToken{
		UserID: row.UserID, FamilyID: row.FamilyID, Hash: hash, ExpiresAt: row.ExpiresAt,
		Used: row.UsedAt != nil, Revoked: row.RevokedAt != nil,
	}, true, nil
}

// DeleteRefreshTokensExpiredBefore implements Store.
func (s *PostgresStore) DeleteRefreshTokensExpiredBefore(ctx context.Context, t time.Time) (int64, error) {
	n, err := s.q.DeleteExpiredRefreshTokens(ctx, t)
	return n, postgres.Classify(err)
}

// RevokeFamily implements Store.
func (s *PostgresStore) RevokeFamily(ctx context.Context, familyID uuid.UUID) error {
	return postgres.Classify(s.q.RevokeRefreshFamily(ctx, familyID))
}
