package httpapi

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/fault"
)

// Cookie mode keeps the refresh token out of reach of the page's JavaScript: a client that
// sends X-Refresh-Token-Mode: cookie on sign-in, refresh and sign-out gets the refresh token as
// an httpOnly, SameSite=Strict cookie scoped to the auth path instead of in the body. Because a
// browser attaches that cookie by itself, a cookie-authenticated refresh or sign-out must also
// prove it comes from the page: it echoes the csrf_token cookie (readable by the page, set with
// the refresh cookie) in the X-CSRF-Token header. A cross-site request can neither read the
// cookie nor, with SameSite=Strict, send it.
const (
	refreshModeHeader = "X-Refresh-Token-Mode"
	csrfHeader        = "X-CSRF-Token"
	refreshCookie     = "refresh_token"
	csrfCookie        = "csrf_token"
	refreshCookiePath = "/api/v1/auth"
)

var errCSRF = fault.New(fault.Forbidden, "csrf-failed", "the X-CSRF-Token header must echo the csrf_token cookie")

// cookieMode reports whether the client asked for the refresh token in a cookie.
func cookieMode(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get(refreshModeHeader), "cookie")
}

// secureRequest reports whether the client reached us over TLS (directly or through a proxy
// we trust to say so).
func (a *API) secureRequest(r *http.Request) bool {
	return r.TLS != nil || (a.cfg.TrustProxyHeaders && r.Header.Get("X-Forwarded-Proto") == "https")
}

// setSessionCookies puts a new refresh token and a new CSRF token in cookies living as long as
// the refresh token, and leaves the refresh token out of the body.
func (a *API) setSessionCookies(w http.ResponseWriter, r *http.Request, pair *auth.TokenPair) error {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	maxAge := int(a.cfg.RefreshTokenTTL / time.Second)
	secure := a.secureRequest(r)
	http.SetCookie(w, &http.Cookie{Name: refreshCookie, Value: pair.RefreshToken, Path: refreshCookiePath, MaxAge: maxAge,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode})
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: base64.RawURLEncoding.EncodeToString(b), Path: "/", MaxAge: maxAge,
		Secure: secure, SameSite: http.SameSiteStrictMode})
	pair.RefreshToken = ""
	return nil
}

// clearSessionCookies expires both cookies.
func (a *API) clearSessionCookies(w http.ResponseWriter, r *http.Request) {
	secure := a.secureRequest(r)
	http.SetCookie(w, &http.Cookie{Name: refreshCookie, Path: refreshCookiePath, MaxAge: -1, HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode})
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Path: "/", MaxAge: -1, Secure: secure, SameSite: http.SameSiteStrictMode})
}

// refreshFromCookie returns the refresh token of a cookie-mode request after checking its CSRF
// token. A missing cookie gives an empty token, which the auth service refuses like any other
// unknown token.
func refreshFromCookie(r *http.Request) (string, error) {
	csrf, err := r.Cookie(csrfCookie)
	header := r.Header.Get(csrfHeader)
	if err != nil || csrf.Value == "" || subtle.ConstantTimeCompare([]byte(csrf.Value), []byte(header)) != 1 {
		return "", errCSRF
	}
	c, err := r.Cookie(refreshCookie)
	if err != nil {
		return "", nil
	}
	return c.Value, nil
}
