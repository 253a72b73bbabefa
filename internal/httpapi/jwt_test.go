package httpapi_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/acme/orders/internal/auth"
)

// kidFor reproduces the key ID the server derives from its secret, by reading it off a real
// token, so forged tokens can claim the right kid.
func kidFor(t *testing.T, token string) string {
	t.Helper()
	tok, _, err := jwt.NewParser().ParseUnverified(token, jwt.MapClaims{})
	if err != nil {
		t.Fatal(err)
	}
	return tok.Header["kid"].(string)
}

func TestJWTAttacksAreRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newAccount(auth.RoleAdmin)
	kid := kidFor(t, a.Token)
	now := time.Now()
	claims := func(mut func(jwt.MapClaims)) jwt.MapClaims {
		c := jwt.MapClaims{"iss": testIssuer, "aud": []string{testAudience}, "sub": a.ID.String(), "role": "admin",
			"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Minute).Unix()}
		if mut != nil {
			mut(c)
		}
		return c
	}
	sign := func(m jwt.SigningMethod, key any, c jwt.MapClaims) string {
		tok := jwt.NewWithClaims(m, c)
		tok.Header["kid"] = kid
		s, err := tok.SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	good := sign(jwt.SigningMethodHS256, testSecret, claims(nil))
	parts := strings.Split(good, ".")
	tamperedPayload := base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"orders-api","aud":["orders"],"sub":"` + a.ID.String() + `","role":"admin","exp":9999999999,"iat":1,"nbf":1}`))

	cases := map[string]string{
		"alg none":           sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claims(nil)),
		"other secret":       sign(jwt.SigningMethodHS256, []byte("another-secret-another-secret-another-secret"), claims(nil)),
		"HS512 same secret":  sign(jwt.SigningMethodHS512, testSecret, claims(nil)),
		"RS256":              sign(jwt.SigningMethodRS256, rsaKey, claims(nil)),
		"expired":            sign(jwt.SigningMethodHS256, testSecret, claims(func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Hour).Unix() })),
		"no exp":             sign(jwt.SigningMethodHS256, testSecret, claims(func(c jwt.MapClaims) { delete(c, "exp") })),
		"not yet valid":      sign(jwt.SigningMethodHS256, testSecret, claims(func(c jwt.MapClaims) { c["nbf"] = now.Add(time.Hour).Unix() })),
		"issued in future":   sign(jwt.SigningMethodHS256, testSecret, claims(func(c jwt.MapClaims) { c["iat"] = now.Add(time.Hour).Unix() })),
		"wrong issuer":       sign(jwt.SigningMethodHS256, testSecret, claims(func(c jwt.MapClaims) { c["iss"] = "someone-else" })),
		"wrong audience":     sign(jwt.SigningMethodHS256, testSecret, claims(func(c jwt.MapClaims) { c["aud"] = []string{"billing"} })),
		"bad role":           sign(jwt.SigningMethodHS256, testSecret, claims(func(c jwt.MapClaims) { c["role"] = "root" })),
		"bad subject":        sign(jwt.SigningMethodHS256, testSecret, claims(func(c jwt.MapClaims) { c["sub"] = "admin" })),
		"tampered payload":   parts[0] + "." + tamperedPayload + "." + parts[2],
		"tampered signature": parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2])),
		"garbage":            "not.a.jwt",
		"refresh as access":  a.Refresh,
	}
	for name, tok := range cases {
		r := e.do(req{method: "GET", path: "/api/v1/me", token: tok})
		if r.Status != 401 {
			t.Errorf("%s: status %d, want 401", name, r.Status)
			continue
		}
		r.problem(t)
		if r.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s: no WWW-Authenticate header", name)
		}
	}
	// The well-formed forgery control: the same construction with the real key is accepted.
	expectStatus(t, e.do(req{method: "GET", path: "/api/v1/me", token: good}), 200)
	for _, h := range []string{"Basic dXNlcjpwYXNz", "Bearer", "Token " + good} {
		r := doHTTP(t, e.srv.URL, req{method: "GET", path: "/api/v1/me", header: map[string]string{"Authorization": h}})
		if r.Status != 401 {
			t.Errorf("Authorization %q: status %d, want 401", h, r.Status)
		}
	}
}

func TestKeyRotation(t *testing.T) {
	t.Parallel()
	oldSecret := []byte("old-secret-old-secret-old-secret-old-secret!")
	oldKeys, err := auth.NewKeys(auth.KeysConfig{Secret: oldSecret, Issuer: testIssuer, Audience: testAudience, TTL: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t)
	u := e.newAccount(auth.RoleCustomer)
	oldToken, _, err := oldKeys.Issue(u.ID, auth.RoleCustomer, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.keys.Verify(oldToken); err == nil {
		t.Fatal("a token of an unknown key was accepted")
	}
	rotated, err := auth.NewKeys(auth.KeysConfig{Secret: testSecret, OldSecrets: [][]byte{oldSecret}, Issuer: testIssuer, Audience: testAudience, TTL: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if p, err := rotated.Verify(oldToken); err != nil || p.UserID != u.ID {
		t.Fatalf("token of the previous key refused during rotation: %v", err)
	}
}
