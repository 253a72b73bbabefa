package httpapi_test

import (
	"strings"
	"testing"

	"github.com/acme/orders/internal/auth"
)

func TestRegisterLoginRefreshLogout(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	email := "Ann.Lee+" + strings.ToLower(t.Name()) + "@Example.com"

	r := e.do(req{method: "POST", path: "/api/v1/auth/register", body: map[string]string{"email": email, "password": "s3cret-enough", "name": "Ann Lee"}})
	expectStatus(t, r, 201)
	var u struct{ ID, Email, Role string }
	r.decode(t, &u)
	if u.Role != "customer" || u.Email != email {
		t.Fatalf("user = %+v", u)
	}
	if strings.Contains(string(r.Body), "argon2") || strings.Contains(string(r.Body), "password") {
		t.Fatalf("response leaks the password hash: %s", r.Body)
	}
	if got := e.count("SELECT count(*) FROM outbox WHERE type = 'UserRegistered' AND aggregate_id = $1", u.ID); got != 1 {
		t.Fatalf("UserRegistered rows = %d", got)
	}
	dup := e.do(req{method: "POST", path: "/api/v1/auth/register", body: map[string]string{"email": strings.ToUpper(email), "password": "s3cret-enough", "name": "Ann"}})
	expectStatus(t, dup, 409)

	bad := e.do(req{method: "POST", path: "/api/v1/auth/register", body: map[string]string{"email": "not-an-email", "password": "short", "name": ""}})
	expectStatus(t, bad, 422)
	if p := bad.problem(t); len(p.Errors) != 3 {
		t.Fatalf("want 3 field errors, got %+v", p.Errors)
	}

	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/auth/login", body: map[string]string{"email": email, "password": "wrong-password"}}), 401)
	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/auth/login", body: map[string]string{"email": "nobody@example.com", "password": "wrong-password"}}), 401)
	login := e.do(req{method: "POST", path: "/api/v1/auth/login", body: map[string]string{"email": strings.ToLower(email), "password": "s3cret-enough"}})
	expectStatus(t, login, 200)
	var pair struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		TokenType    string `json:"token_type"`
		ExpiresIn    int    `json:"expires_in"`
	}
	login.decode(t, &pair)
	if pair.TokenType != "Bearer" || pair.ExpiresIn != 900 || pair.AccessToken == "" || !strings.HasPrefix(pair.RefreshToken, "rt_") {
		t.Fatalf("pair = %+v", pair)
	}
	if got := e.count("SELECT count(*) FROM refresh_tokens WHERE token_hash = convert_to($1, 'UTF8')", pair.RefreshToken); got != 0 {
		t.Fatal("refresh token stored in clear")
	}
	me := e.do(req{method: "GET", path: "/api/v1/me", token: pair.AccessToken})
	expectStatus(t, me, 200)

	// Rotation: the old refresh token is spent.
	rot := e.do(req{method: "POST", path: "/api/v1/auth/refresh", body: map[string]string{"refresh_token": pair.RefreshToken}})
	expectStatus(t, rot, 200)
	var next struct {
		RefreshToken string `json:"refresh_token"`
		AccessToken  string `json:"access_token"`
	}
	rot.decode(t, &next)
	if next.RefreshToken == pair.RefreshToken {
		t.Fatal("refresh token not rotated")
	}
	// Logout revokes the family: the current refresh token no longer works.
	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/auth/logout", token: next.AccessToken, body: map[string]string{"refresh_token": next.RefreshToken}}), 204)
	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/auth/refresh", body: map[string]string{"refresh_token": next.RefreshToken}}), 401)
	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/auth/refresh", body: map[string]string{"refresh_token": "rt_made-up"}}), 401)
}

func TestRefreshReuseRevokesTheFamily(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount(auth.RoleCustomer)
	refresh := func(tok string) (int, string) {
		r := e.do(req{method: "POST", path: "/api/v1/auth/refresh", body: map[string]string{"refresh_token": tok}})
		var p struct {
			RefreshToken string `json:"refresh_token"`
		}
		if r.Status == 200 {
			r.decode(t, &p)
		} else {
			r.problem(t)
		}
		return r.Status, p.RefreshToken
	}
	st, second := refresh(a.Refresh)
	if st != 200 {
		t.Fatalf("first refresh: %d", st)
	}
	// A thief replays the first token: refused, and the legitimate holder's newer token dies too.
	if st, _ := refresh(a.Refresh); st != 401 {
		t.Fatalf("reuse: %d, want 401", st)
	}
	if st, _ := refresh(second); st != 401 {
		t.Fatalf("token of a revoked family: %d, want 401", st)
	}
	// Another session (family) of the same user is untouched.
	other, err := e.auth.Login(t.Context(), a.Email, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := refresh(other.RefreshToken); st != 200 {
		t.Fatalf("other family: %d, want 200", st)
	}
}

func TestLogoutNeedsOwnToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, b := e.newAccount(auth.RoleCustomer), e.newAccount(auth.RoleCustomer)
	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/auth/logout", token: a.Token, body: map[string]string{"refresh_token": b.Refresh}}), 401)
	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/auth/refresh", body: map[string]string{"refresh_token": b.Refresh}}), 200)
}

func TestMassAssignmentChangesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	email := "mallory-" + strings.ToLower(t.Name()) + "@example.com"
	r := e.do(req{method: "POST", path: "/api/v1/auth/register", body: map[string]string{"email": email, "password": "s3cret-enough", "name": "M", "role": "admin"}})
	expectStatus(t, r, 400)
	if p := r.problem(t); len(p.Errors) != 1 || p.Errors[0].Field != "role" {
		t.Fatalf("errors = %+v", p.Errors)
	}
	if e.count("SELECT count(*) FROM users WHERE email = $1", email) != 0 {
		t.Fatal("refused registration created a user")
	}
	staff := e.newAccount(auth.RoleStaff)
	admin := e.newAccount(auth.RoleAdmin)
	p := e.newProduct(5, 1000)
	cust := e.newAccount(auth.RoleCustomer)
	for _, tc := range []struct {
		name, method, path, token string
		body                      map[string]any
	}{
		{"product id", "PATCH", "/api/v1/products/" + p.ID.String(), staff.Token, map[string]any{"name": "x", "id": "0195f0c4-0000-7000-8000-000000000000"}},
		{"product deleted_at", "PATCH", "/api/v1/products/" + p.ID.String(), staff.Token, map[string]any{"deleted_at": nil}},
		{"user role via PATCH with extra", "PATCH", "/api/v1/users/" + cust.ID.String(), admin.Token, map[string]any{"role": "staff", "email": "x@example.com"}},
		{"order status on create", "POST", "/api/v1/orders", cust.Token, map[string]any{"items": []any{map[string]any{"product_id": p.ID, "quantity": 1}}, "status": "delivered"}},
	} {
		r := e.do(req{method: tc.method, path: tc.path, token: tc.token, body: tc.body})
		if r.Status != 400 {
			t.Errorf("%s: status %d, want 400", tc.name, r.Status)
		}
	}
	if e.count("SELECT count(*) FROM users WHERE id = $1 AND role = 'customer'", cust.ID) != 1 {
		t.Error("role changed")
	}
	if e.count("SELECT count(*) FROM products WHERE id = $1 AND name = $2 AND price_cents = 1000 AND stock = 5", p.ID, p.Name) != 1 {
		t.Error("product changed")
	}
	if e.count("SELECT count(*) FROM orders WHERE user_id = $1", cust.ID) != 0 {
		t.Error("order created")
	}
}

func TestUsersAdmin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.newAccount(auth.RoleAdmin)
	c := e.newAccount(auth.RoleCustomer)

	r := e.do(req{method: "GET", path: "/api/v1/users?role=admin&page_size=100", token: admin.Token})
	expectStatus(t, r, 200)
	var page struct {
		Items []struct{ ID, Role string }
		Page  int   `json:"page"`
		Size  int   `json:"page_size"`
		Total int64 `json:"total"`
	}
	r.decode(t, &page)
	if page.Total < 1 || page.Size != 100 {
		t.Fatalf("page = %+v", page)
	}
	for _, u := range page.Items {
		if u.Role != "admin" {
			t.Fatalf("role filter let through %+v", u)
		}
	}
	r = e.do(req{method: "GET", path: "/api/v1/users?q=" + strings.Split(c.Email, "@")[0], token: admin.Token})
	r.decode(t, &page)
	if page.Total != 1 || page.Items[0].ID != c.ID.String() {
		t.Fatalf("q search: %+v", page)
	}
	expectStatus(t, e.do(req{method: "GET", path: "/api/v1/users?role=wizard", token: admin.Token}), 400)
	expectStatus(t, e.do(req{method: "GET", path: "/api/v1/users?page_size=101", token: admin.Token}), 400)

	expectStatus(t, e.do(req{method: "PATCH", path: "/api/v1/users/" + c.ID.String(), token: admin.Token, body: map[string]string{"role": "wizard"}}), 422)
	expectStatus(t, e.do(req{method: "PATCH", path: "/api/v1/users/0195f0c4-0000-7000-8000-000000000000", token: admin.Token, body: map[string]string{"role": "staff"}}), 404)
	r = e.do(req{method: "PATCH", path: "/api/v1/users/" + c.ID.String(), token: admin.Token, body: map[string]string{"role": "staff"}})
	expectStatus(t, r, 200)
	// The change signs the user out: its refresh tokens are revoked, and the next sign-in
	// carries the new role.
	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/auth/refresh", body: map[string]string{"refresh_token": c.Refresh}}), 401)
	expectStatus(t, e.do(req{method: "GET", path: "/api/v1/me", token: c.Token}), 200)
	ref := e.do(req{method: "POST", path: "/api/v1/auth/login", body: map[string]string{"email": c.Email, "password": "correct horse battery"}})
	expectStatus(t, ref, 200)
	var pair struct {
		AccessToken string `json:"access_token"`
	}
	ref.decode(t, &pair)
	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/products", token: pair.AccessToken, body: map[string]any{
		"sku": "PROMOTED-1-" + strings.ToUpper(c.ID.String()[:8]), "name": "n", "category": "c", "price_cents": 1, "currency": "USD", "stock": 1}}), 201)
}
