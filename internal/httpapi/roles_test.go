package httpapi_test

import (
	"testing"

	"github.com/acme/orders/internal/auth"
)

// A demoted admin holding a still-valid admin token cannot undo the demotion: privileged routes
// check the role's version, and the demotion revoked the refresh tokens it could renew with.
func TestDemotedAdminCannotRestoreItself(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, b := e.newAccount(auth.RoleAdmin), e.newAccount(auth.RoleAdmin)
	userPath := "/api/v1/users/" + b.ID.String()

	expectStatus(t, e.do(req{method: "GET", path: "/api/v1/admin/events", token: b.Token}), 200)
	expectStatus(t, e.do(req{method: "PATCH", path: userPath, token: a.Token, body: map[string]string{"role": "customer"}}), 200)

	r := e.do(req{method: "PATCH", path: userPath, token: b.Token, body: map[string]string{"role": "admin"}})
	expectStatus(t, r, 401)
	if p := r.problem(t); p.Type != "urn:problem-type:orders:stale-token" {
		t.Fatalf("problem type %q", p.Type)
	}
	for _, rq := range []req{
		{method: "GET", path: "/api/v1/admin/events"},
		{method: "GET", path: "/api/v1/users"},
		{method: "POST", path: "/api/v1/products", body: map[string]any{"sku": "X", "name": "n", "category": "c", "price_cents": 1, "currency": "USD", "stock": 1}},
	} {
		rq.token = b.Token
		expectStatus(t, e.do(rq), 401)
	}
	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/auth/refresh", body: map[string]string{"refresh_token": b.Refresh}}), 401)
	if n := e.count(`SELECT count(*) FROM users WHERE id = $1 AND role = 'customer'`, b.ID); n != 1 {
		t.Fatalf("b is not a customer any more")
	}
	// Routes open to every signed-in user keep trusting the token until it expires.
	expectStatus(t, e.do(req{method: "GET", path: "/api/v1/me", token: b.Token}), 200)

	// Signing in again gives a customer token, which privileged routes refuse with 403.
	r = e.do(req{method: "POST", path: "/api/v1/auth/login", body: map[string]string{"email": b.Email, "password": "correct horse battery"}})
	expectStatus(t, r, 200)
	var pair struct {
		AccessToken string `json:"access_token"`
	}
	r.decode(t, &pair)
	expectStatus(t, e.do(req{method: "PATCH", path: userPath, token: pair.AccessToken, body: map[string]string{"role": "admin"}}), 403)

}

func TestNobodyChangesTheirOwnRole(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount(auth.RoleAdmin)
	for _, role := range []string{"customer", "staff", "admin"} {
		r := e.do(req{method: "PATCH", path: "/api/v1/users/" + a.ID.String(), token: a.Token, body: map[string]string{"role": role}})
		expectStatus(t, r, 403)
		if p := r.problem(t); p.Type != "urn:problem-type:orders:own-role" {
			t.Fatalf("problem type %q", p.Type)
		}
	}
	expectStatus(t, e.do(req{method: "GET", path: "/api/v1/users", token: a.Token}), 200)
}
