package auth

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/events"
)

// Store is the persistence the auth service needs. Methods of the Store passed to InTx's
// function run in that transaction.
type Store interface {
	InTx(ctx context.Context, fn func(Store) error) error
	// InsertUser inserts a user and returns it as stored; ErrEmailTaken if the email is in use.
	InsertUser(ctx context.Context, u User, passwordHash string) (User, error)
	// UserByID returns ErrUserNotFound if there is no such user.
	UserByID(ctx context.Context, id uuid.UUID) (User, error)
	// Credentials returns the user and password hash for an email (case-insensitive), or ErrUserNotFound.
	Credentials(ctx context.Context, email string) (User, string, error)
	ListUsers(ctx context.Context, f UserFilter) ([]User, int64, error)
	// LockRoleChanges makes role changes wait for each other until the transaction ends.
	LockRoleChanges(ctx context.Context) error
	// LockRole returns the user's current role and locks the row until the transaction ends;
	// ErrUserNotFound if missing.
	LockRole(ctx context.Context, id uuid.UUID) (Role, error)
	// CountAdminsLocked counts the admins, locking their rows until the transaction ends.
	CountAdminsLocked(ctx context.Context) (int64, error)
	// UpdateRole sets the role and bumps the authz version; ErrUserNotFound if missing.
	UpdateRole(ctx context.Context, id uuid.UUID, role Role) (User, error)
	// Authz returns the user's current role and authz version; ErrUserNotFound if missing.
	Authz(ctx context.Context, id uuid.UUID) (Role, int32, error)
	// RevokeUserTokens revokes every live refresh token of the user.
	RevokeUserTokens(ctx context.Context, userID uuid.UUID) error
	// AppendEvent writes an event about the user to the outbox, in the store's transaction.
	AppendEvent(ctx context.Context, typ string, userID uuid.UUID, at time.Time, payload events.Payload) error

	SaveRefreshToken(ctx context.Context, t RefreshToken) error
	// SpendRefreshToken marks a live token used and returns its user and family; ok is false
	// if the token is unknown, expired, revoked or already used.
	SpendRefreshToken(ctx context.Context, hash []byte) (userID, familyID uuid.UUID, ok bool, err error)
	// RefreshTokenState describes a token in any state; found is false if it never existed.
	RefreshTokenState(ctx context.Context, hash []byte) (t RefreshToken, found bool, err error)
	RevokeFamily(ctx context.Context, familyID uuid.UUID) error
	// DeleteRefreshTokensExpiredBefore removes tokens that expired before t; it returns how many.
	DeleteRefreshTokensExpiredBefore(ctx context.Context, t time.Time) (int64, error)
}

// RefreshToken is the stored form of a refresh token.
type RefreshToken struct {
	ID        uuid.UUID
	UserID    uuid.UUID
	FamilyID  uuid.UUID
	Hash      []byte
	ExpiresAt time.Time
	Used      bool
	Revoked   bool
}

// UserFilter selects a page of users.
type UserFilter struct {
	Role   *Role
	Query  string // substring of email or name, case-insensitive
	Limit  int
	Offset int
}
