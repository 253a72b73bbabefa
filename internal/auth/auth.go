// Package auth owns users, passwords, access tokens and refresh-token families, and the roles
// that decide what a caller may do.
//
// Access tokens are short-lived JWTs verified without a database read; refresh tokens are
// opaque, stored only as SHA-256 hashes, rotated on every use, and a reused one revokes its
// whole family.
//
// A role change takes effect at once where it matters: it bumps the user's authz version and
// revokes every refresh-token family of the user in the same transaction, and privileged
// routes compare the version carried by the token with the current one (see Service.Fresh).
// Routes open to every signed-in user keep trusting the token until it expires.
package auth

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/fault"
)

// Role is what a user may do. Customers see only their own orders; staff run the catalogue
// and fulfilment; admins also manage users and delete products.
type Role string

// The roles, from least to most privileged.
const (
	RoleCustomer Role = "customer"
	RoleStaff    Role = "staff"
	RoleAdmin    Role = "admin"
)

// Valid reports whether r is one of the defined roles.
func (r Role) Valid() bool { return r == RoleCustomer || r == RoleStaff || r == RoleAdmin }

// IsStaff reports whether r may act on other users' orders (staff and admin).
func (r Role) IsStaff() bool { return r == RoleStaff || r == RoleAdmin }

// User is an account, without its password hash.
type User struct {
	ID        uuid.UUID
	Email     string
	Name      string
	Role      Role
	CreatedAt time.Time
	// AuthzVersion counts the user's role changes; tokens carry the value they were issued with.
	AuthzVersion int32
}

// Principal is the authenticated caller of a request, as its access token describes it.
type Principal struct {
	UserID uuid.UUID
	Role   Role
	// AuthzVersion is the user's authz version when the token was issued.
	AuthzVersion int32
}

// TokenPair is what a login or a refresh returns.
type TokenPair struct {
	AccessToken  string
	RefreshToken string
	ExpiresIn    time.Duration
}

// Errors returned by this package.
var (
	ErrEmailTaken          = fault.New(fault.Conflict, "email-taken", "an account with this email already exists")
	ErrBadCredentials      = fault.New(fault.Unauthorized, "bad-credentials", "email or password is wrong")
	ErrInvalidToken        = fault.New(fault.Unauthorized, "invalid-token", "the access token is missing, malformed, expired or not valid here")
	ErrInvalidRefreshToken = fault.New(fault.Unauthorized, "invalid-refresh-token", "the refresh token is unknown, expired, revoked or already used")
	ErrUserNotFound        = fault.New(fault.NotFound, "user-not-found", "no such user")
	ErrStaleToken          = fault.New(fault.Unauthorized, "stale-token", "your role has changed since this token was issued; sign in again")
	ErrOwnRole             = fault.New(fault.Forbidden, "own-role", "nobody can change their own role; ask another admin")
	ErrLastAdmin           = fault.New(fault.Conflict, "last-admin", "this is the last admin; make another user admin first")
)

type principalKey struct{}

// WithPrincipal returns a context carrying the authenticated caller.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the authenticated caller, if any.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}
