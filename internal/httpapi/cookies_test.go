package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/acme/orders/internal/auth"
)

func cookieNamed(r resp, name string) *http.Cookie {
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// In cookie mode the refresh token never reaches the page: it lives in an httpOnly,
// SameSite=Strict cookie on the auth path, and a refresh or sign-out with it must echo the
// CSRF cookie in a header.
func TestRefreshTokenInACookie(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := e.newAccount(auth.RoleCustomer)
	mode := map[string]string{"X-Refresh-Token-Mode": "cookie"}
	r := e.do(req{method: "POST", path: "/api/v1/auth/login", header: mode, body: map[string]string{"email": u.Email, "password": "correct horse battery"}})
	expectStatus(t, r, 200)
	if strings.Contains(string(r.Body), "refresh_token") || !strings.Contains(string(r.Body), "access_token") {
		t.Fatalf("body %s", r.Body)
	}
	rt, csrf := cookieNamed(r, "refresh_token"), cookieNamed(r, "csrf_token")
	if rt == nil || !rt.HttpOnly || rt.SameSite != http.SameSiteStrictMode || rt.Path != "/api/v1/auth" || rt.MaxAge <= 0 || rt.Value == "" {
		t.Fatalf("refresh cookie %+v", rt)
	}
	if csrf == nil || csrf.HttpOnly || csrf.SameSite != http.SameSiteStrictMode || csrf.Path != "/" || csrf.Value == "" {
		t.Fatalf("csrf cookie %+v", csrf)
	}
	cookies := "refresh_token=" + rt.Value + "; csrf_token=" + csrf.Value
	with := func(extra map[string]string) map[string]string {
		h := map[string]string{"X-Refresh-Token-Mode": "cookie", "Cookie": cookies}
		for k, v := range extra {
			h[k] = v
		}
		return h
	}

	// Without the CSRF header, or with a wrong one, the cookie is not spent.
	for _, h := range []map[string]string{with(nil), with(map[string]string{"X-CSRF-Token": "guess"})} {
		r = e.do(req{method: "POST", path: "/api/v1/auth/refresh", header: h, body: map[string]string{}})
		expectStatus(t, r, 403)
		if p := r.problem(t); p.Type != "urn:problem-type:orders:csrf-failed" {
			t.Fatalf("problem %q", p.Type)
		}
	}
	r = e.do(req{method: "POST", path: "/api/v1/auth/refresh", header: with(map[string]string{"X-CSRF-Token": csrf.Value}), body: map[string]string{}})
	expectStatus(t, r, 200)
	next := cookieNamed(r, "refresh_token")
	if next == nil || next.Value == rt.Value || strings.Contains(string(r.Body), "refresh_token") {
		t.Fatalf("the refresh cookie was not rotated: %+v %s", next, r.Body)
	}
	var pair struct {
		AccessToken string `json:"access_token"`
	}
	r.decode(t, &pair)
	expectStatus(t, e.do(req{method: "GET", path: "/api/v1/me", token: pair.AccessToken}), 200)

	// The spent cookie presented again revokes the family, as a spent token in a body does.
	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/auth/refresh", header: with(map[string]string{"X-CSRF-Token": csrf.Value}), body: map[string]string{}}), 401)

	// Sign out: both cookies expire.
	r = e.do(req{method: "POST", path: "/api/v1/auth/login", header: mode, body: map[string]string{"email": u.Email, "password": "correct horse battery"}})
	r.decode(t, &pair)
	rt, csrf = cookieNamed(r, "refresh_token"), cookieNamed(r, "csrf_token")
	cookies = "refresh_token=" + rt.Value + "; csrf_token=" + csrf.Value
	r = e.do(req{method: "POST", path: "/api/v1/auth/logout", token: pair.AccessToken, header: with(map[string]string{"X-CSRF-Token": csrf.Value}), body: map[string]string{}})
	expectStatus(t, r, 204)
	if c := cookieNamed(r, "refresh_token"); c == nil || c.MaxAge >= 0 {
		t.Fatalf("refresh cookie after sign-out %+v", c)
	}
	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/auth/refresh", header: with(map[string]string{"X-CSRF-Token": csrf.Value}), body: map[string]string{}}), 401)
}
