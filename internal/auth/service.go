package auth

import (
	"context"
	"errors"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/events"
	"github.com/acme/orders/internal/fault"
)

// Service runs sign-up, sign-in, token rotation and user administration.
type Service struct {
	store      Store
	keys       *Keys
	refreshTTL time.Duration
	authz      AuthzCache
	now        func() time.Time
}

// AuthzCache keeps users' current authz versions close at hand for privileged requests. It is
// best effort: a miss (ok false), for whatever reason, sends the check to the database.
type AuthzCache interface {
	Version(ctx context.Context, userID uuid.UUID) (version int32, ok bool)
	// Remember stores the version unless a newer one is stored already.
	Remember(ctx context.Context, userID uuid.UUID, version int32)
}

type noAuthzCache struct{}

func (noAuthzCache) Version(context.Context, uuid.UUID) (int32, bool) { return 0, false }
func (noAuthzCache) Remember(context.Context, uuid.UUID, int32)       {}

// NewService returns a Service; refresh tokens live for refreshTTL. Its freshness checks read
// the database until WithAuthzCache gives it a cache.
func NewService(store Store, keys *Keys, refreshTTL time.Duration) *Service {
	return &Service{store: store, keys: keys, refreshTTL: refreshTTL, authz: noAuthzCache{}, now: time.Now}
}

// WithAuthzCache makes freshness checks consult c before the database; it returns s.
func (s *Service) WithAuthzCache(c AuthzCache) *Service {
	if c != nil {
		s.authz = c
	}
	return s
}

// Keys returns the access-token keys, for the middleware that verifies tokens.
func (s *Service) Keys() *Keys { return s.keys }

// Registration is a sign-up request.
type Registration struct {
	Email    string
	Password string
	Name     string
}

func (r *Registration) normalize() error {
	r.Email = strings.TrimSpace(r.Email)
	r.Name = strings.TrimSpace(r.Name)
	var v fault.Validation
	addr, err := mail.ParseAddress(r.Email)
	v.Check(err == nil && addr.Address == r.Email && len(r.Email) <= 254 && addr.Name == "", "email", "must be a plain email address of at most 254 characters")
	n := utf8.RuneCountInString(r.Password)
	v.Check(n >= 8 && n <= 128, "password", "must be 8 to 128 characters")
	n = utf8.RuneCountInString(r.Name)
	v.Check(n >= 1 && n <= 100, "name", "must be 1 to 100 characters")
	return v.Err()
}

// Register creates a customer account. Returns a validation error for a bad email, password or
// name, and ErrEmailTaken if the email is in use.
func (s *Service) Register(ctx context.Context, r Registration) (User, error) {
	return s.CreateUser(ctx, r, RoleCustomer)
}

// CreateUser creates an account with the given role (operators use it to create staff and
// admins); errors as for Register.
func (s *Service) CreateUser(ctx context.Context, r Registration, role Role) (User, error) {
	if err := r.normalize(); err != nil {
		return User{}, err
	}
	if !role.Valid() {
		return User{}, fault.ErrValidation.WithFields(fault.FieldError{Field: "role", Message: "must be customer, staff or admin"})
	}
	hash, err := HashPassword(r.Password)
	if err != nil {
		return User{}, err
	}
	var out User
	err = s.store.InTx(ctx, func(tx Store) error {
		u, err := tx.InsertUser(ctx, User{ID: uuid.Must(uuid.NewV7()), Email: r.Email, Name: r.Name, Role: role}, hash)
		if err != nil {
			return err
		}
		out = u
		return tx.AppendEvent(ctx, events.UserRegistered, u.ID, u.CreatedAt,
			events.UserRegisteredV1{UserID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role)})
	})
	return out, err
}

// NormalizeEmail is the form of an email under which accounts are looked up and sign-in
// attempts are counted: trimmed and lower-cased.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// Login checks the password and starts a new refresh-token family. Returns ErrBadCredentials
// for an unknown email or a wrong password, after the same amount of work in both cases.
func (s *Service) Login(ctx context.Context, email, password string) (TokenPair, error) {
	u, hash, err := s.store.Credentials(ctx, strings.TrimSpace(email))
	if fault.KindOf(err) == fault.NotFound {
		_, _ = CheckPassword(dummyHash, password)
		return TokenPair{}, ErrBadCredentials
	}
	if err != nil {
		return TokenPair{}, err
	}
	ok, err := CheckPassword(hash, password)
	if err != nil {
		return TokenPair{}, err
	}
	if !ok {
		return TokenPair{}, ErrBadCredentials
	}
	return s.issue(ctx, s.store, u, uuid.Must(uuid.NewV7()))
}

// Refresh spends a refresh token and returns a new pair in the same family. Presenting a token
// that was already used revokes the whole family (someone else holds a copy). Returns
// ErrInvalidRefreshToken for any token that cannot be spent.
func (s *Service) Refresh(ctx context.Context, token string) (TokenPair, error) {
	hash := hashRefreshToken(token)
	var pair TokenPair
	reused := false
	err := s.store.InTx(ctx, func(tx Store) error {
		userID, familyID, ok, err := tx.SpendRefreshToken(ctx, hash)
		if err != nil {
			return err
		}
		if !ok {
			t, found, err := tx.RefreshTokenState(ctx, hash)
			if err != nil {
				return err
			}
			if found && t.Used && !t.Revoked {
				reused = true
				return tx.RevokeFamily(ctx, t.FamilyID)
			}
			return ErrInvalidRefreshToken
		}
		u, err := tx.UserByID(ctx, userID)
		if err != nil {
			return err
		}
		pair, err = s.issue(ctx, tx, u, familyID)
		return err
	})
	if err == nil && reused {
		return TokenPair{}, ErrInvalidRefreshToken.WithMessage("this refresh token was already used; every session it belongs to has been signed out")
	}
	return pair, err
}

// Logout revokes the family of the caller's refresh token. Returns ErrInvalidRefreshToken if
// the token is unknown or belongs to another user.
func (s *Service) Logout(ctx context.Context, p Principal, token string) error {
	t, found, err := s.store.RefreshTokenState(ctx, hashRefreshToken(token))
	if err != nil {
		return err
	}
	if !found || t.UserID != p.UserID {
		return ErrInvalidRefreshToken
	}
	return s.store.RevokeFamily(ctx, t.FamilyID)
}

func (s *Service) issue(ctx context.Context, st Store, u User, familyID uuid.UUID) (TokenPair, error) {
	access, ttl, err := s.keys.Issue(u.ID, u.Role, u.AuthzVersion)
	if err != nil {
		return TokenPair{}, err
	}
	refresh, hash, err := newRefreshToken()
	if err != nil {
		return TokenPair{}, err
	}
	err = st.SaveRefreshToken(ctx, RefreshToken{
		ID: uuid.Must(uuid.NewV7()), UserID: u.ID, FamilyID: familyID, Hash: hash,
		ExpiresAt: s.now().Add(s.refreshTTL),
	})
	if err != nil {
		return TokenPair{}, err
	}
	return TokenPair{AccessToken: access, RefreshToken: refresh, ExpiresIn: ttl}, nil
}

// RefreshTokenRetention is how long an expired refresh token is kept: while it is, presenting
// it still counts as reuse and revokes its family.
const RefreshTokenRetention = 7 * 24 * time.Hour

// PurgeExpiredRefreshTokens deletes refresh tokens that expired more than RefreshTokenRetention
// ago and returns how many.
func (s *Service) PurgeExpiredRefreshTokens(ctx context.Context) (int64, error) {
	return s.store.DeleteRefreshTokensExpiredBefore(ctx, s.now().Add(-RefreshTokenRetention))
}

// User returns one user; ErrUserNotFound if missing.
func (s *Service) User(ctx context.Context, id uuid.UUID) (User, error) {
	return s.store.UserByID(ctx, id)
}

// ListUsers returns a page of users and the total that match the filter.
func (s *Service) ListUsers(ctx context.Context, f UserFilter) ([]User, int64, error) {
	if f.Role != nil && !f.Role.Valid() {
		return nil, 0, fault.ErrValidation.WithFields(fault.FieldError{Field: "role", Message: "must be customer, staff or admin"})
	}
	return s.store.ListUsers(ctx, f)
}

// SetRole changes a user's role on behalf of caller. In the same transaction it bumps the
// user's authz version (tokens issued before stop working on privileged routes) and revokes
// every refresh-token family of the user (the next sign-in gets a token with the new role).
// Returns a validation error for an unknown role, ErrOwnRole when the caller is the user,
// ErrUserNotFound for an unknown user, and ErrLastAdmin when it would leave no admin.
func (s *Service) SetRole(ctx context.Context, caller Principal, id uuid.UUID, role Role) (User, error) {
	if !role.Valid() {
		return User{}, fault.ErrValidation.WithFields(fault.FieldError{Field: "role", Message: "must be customer, staff or admin"})
	}
	if caller.UserID == id {
		return User{}, ErrOwnRole
	}
	var out User
	err := s.store.InTx(ctx, func(tx Store) error {
		if err := tx.LockRoleChanges(ctx); err != nil {
			return err
		}
		current, err := tx.LockRole(ctx, id)
		if err != nil {
			return err
		}
		if current == RoleAdmin && role != RoleAdmin {
			admins, err := tx.CountAdminsLocked(ctx)
			if err != nil {
				return err
			}
			if admins <= 1 {
				return ErrLastAdmin
			}
		}
		if out, err = tx.UpdateRole(ctx, id, role); err != nil {
			return err
		}
		if err := tx.RevokeUserTokens(ctx, id); err != nil {
			return err
		}
		return tx.AppendEvent(ctx, events.UserRoleChanged, id, s.now().UTC(), events.UserRoleChangedV1{UserID: id, Role: string(role)})
	})
	if err != nil {
		return User{}, err
	}
	s.authz.Remember(ctx, id, out.AuthzVersion)
	return out, nil
}

// Fresh checks that p's token was issued at the user's current authz version, for privileged
// requests. Returns ErrStaleToken if the user's role changed since (or the user is gone), and
// the store's error (e.g. fault.ErrUnavailable) if the current version cannot be read: it
// never lets a request through on doubt.
func (s *Service) Fresh(ctx context.Context, p Principal) error {
	if v, ok := s.authz.Version(ctx, p.UserID); ok {
		if v != p.AuthzVersion {
			return ErrStaleToken
		}
		return nil
	}
	role, v, err := s.store.Authz(ctx, p.UserID)
	if errors.Is(err, ErrUserNotFound) {
		return ErrStaleToken
	}
	if err != nil {
		return err
	}
	s.authz.Remember(ctx, p.UserID, v)
	if v != p.AuthzVersion || role != p.Role {
		return ErrStaleToken
	}
	return nil
}
