package auth_test

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/platform/pgtest"
)

var testDB *pgtest.DB

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, "auth", &testDB)) }

func newService(t *testing.T) *auth.Service {
	t.Helper()
	keys, err := auth.NewKeys(auth.KeysConfig{Secret: []byte("service-test-secret-service-test-secret"), Issuer: "i", Audience: "a", TTL: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	return auth.NewService(auth.NewPostgresStore(testDB.Pool), keys, time.Hour)
}

func createUser(t *testing.T, s *auth.Service, role auth.Role) auth.User {
	t.Helper()
	u, err := s.CreateUser(context.Background(), auth.Registration{Email: uuid.NewString()[:12] + "@example.com", Password: "long enough password", Name: "U"}, role)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func admins(t *testing.T) int {
	t.Helper()
	var n int
	if err := testDB.Pool.QueryRow(context.Background(), `SELECT count(*) FROM users WHERE role = 'admin'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The last admin cannot be demoted, even when two admins demote each other at the same time.
// The tests of this package share one database, so these run one after the other.
func TestTheLastAdminStays(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	for range 5 {
		a, b := createUser(t, s, auth.RoleAdmin), createUser(t, s, auth.RoleAdmin)
		if _, err := testDB.Pool.Exec(ctx, `UPDATE users SET role = 'customer' WHERE role = 'admin' AND id NOT IN ($1, $2)`, a.ID, b.ID); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, pair := range [][2]auth.User{{a, b}, {b, a}} {
			wg.Go(func() {
				_, errs[i] = s.SetRole(ctx, auth.Principal{UserID: pair[0].ID, Role: auth.RoleAdmin}, pair[1].ID, auth.RoleCustomer)
			})
		}
		wg.Wait()
		refused := 0
		for _, err := range errs {
			switch {
			case errors.Is(err, auth.ErrLastAdmin):
				refused++
			case err != nil:
				t.Fatal(err)
			}
		}
		if refused != 1 || admins(t) != 1 {
			t.Fatalf("errors %v; %d admins left", errs, admins(t))
		}
	}

	var last auth.User
	if err := testDB.Pool.QueryRow(ctx, `SELECT id FROM users WHERE role = 'admin'`).Scan(&last.ID); err != nil {
		t.Fatal(err)
	}
	other := createUser(t, s, auth.RoleStaff)
	for _, role := range []auth.Role{auth.RoleStaff, auth.RoleCustomer} {
		if _, err := s.SetRole(ctx, auth.Principal{UserID: other.ID, Role: auth.RoleAdmin}, last.ID, role); !errors.Is(err, auth.ErrLastAdmin) {
			t.Fatalf("demoting the last admin to %s: %v", role, err)
		}
	}
	// Promoting someone first makes the demotion possible.
	if _, err := s.SetRole(ctx, auth.Principal{UserID: last.ID, Role: auth.RoleAdmin}, other.ID, auth.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetRole(ctx, auth.Principal{UserID: other.ID, Role: auth.RoleAdmin}, last.ID, auth.RoleStaff); err != nil {
		t.Fatal(err)
	}
}

// A role change bumps the version that tokens carry, revokes the user's refresh tokens and
// writes its event, all in one transaction.
func TestRoleChangeRevokesTokensAndBumpsTheVersion(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	admin, u := createUser(t, s, auth.RoleAdmin), createUser(t, s, auth.RoleCustomer)
	pair, err := s.Login(ctx, u.Email, "long enough password")
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Keys().Verify(pair.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Fresh(ctx, p); err != nil {
		t.Fatalf("a new token is not fresh: %v", err)
	}
	changed, err := s.SetRole(ctx, auth.Principal{UserID: admin.ID, Role: auth.RoleAdmin}, u.ID, auth.RoleStaff)
	if err != nil {
		t.Fatal(err)
	}
	if changed.AuthzVersion != u.AuthzVersion+1 || changed.Role != auth.RoleStaff {
		t.Fatalf("after the change: %+v (before %+v)", changed, u)
	}
	if err := s.Fresh(ctx, p); !errors.Is(err, auth.ErrStaleToken) {
		t.Fatalf("the old token is still fresh: %v", err)
	}
	if _, err := s.Refresh(ctx, pair.RefreshToken); !errors.Is(err, auth.ErrInvalidRefreshToken) {
		t.Fatalf("refresh after the change: %v", err)
	}
	var events int
	if err := testDB.Pool.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE type = 'UserRoleChanged' AND aggregate_id = $1`, u.ID).Scan(&events); err != nil {
		t.Fatal(err)
	}
	if events != 1 {
		t.Fatalf("%d UserRoleChanged events", events)
	}
	pair, err = s.Login(ctx, u.Email, "long enough password")
	if err != nil {
		t.Fatal(err)
	}
	if p, err = s.Keys().Verify(pair.AccessToken); err != nil || p.Role != auth.RoleStaff || s.Fresh(ctx, p) != nil {
		t.Fatalf("token after sign-in: %+v, %v", p, err)
	}

	// A refused change writes nothing.
	if _, err := s.SetRole(ctx, auth.Principal{UserID: u.ID, Role: auth.RoleStaff}, u.ID, auth.RoleAdmin); !errors.Is(err, auth.ErrOwnRole) {
		t.Fatalf("own role: %v", err)
	}
	if err := testDB.Pool.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE type = 'UserRoleChanged' AND aggregate_id = $1`, u.ID).Scan(&events); err != nil || events != 1 {
		t.Fatalf("%d events after a refused change (%v)", events, err)
	}
}
