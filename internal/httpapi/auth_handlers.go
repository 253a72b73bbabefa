package httpapi

import (
	"net/http"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/fault"
)

type registerRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Name     string `json:"name"`
}

func (a *API) register(w http.ResponseWriter, r *http.Request) error {
	var req registerRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := a.admit(r, "register", a.clientIP(r)); err != nil {
		return err
	}
	u, err := a.auth.Register(r.Context(), auth.Registration{Email: req.Email, Password: req.Password, Name: req.Name})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/me")
	return respond(w, http.StatusCreated, toUserJSON(u))
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

func (a *API) login(w http.ResponseWriter, r *http.Request) error {
	var req loginRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	account := auth.NormalizeEmail(req.Email)
	if err := a.admit(r, "login", account); err != nil {
		return err
	}
	pair, err := a.auth.Login(r.Context(), req.Email, req.Password)
	if err != nil {
		return err
	}
	a.resetThrottle(r, "login", account)
	return a.respondTokens(w, r, pair)
}

// refreshRequest carries the refresh token in the body; in cookie mode the body is {} and
// the token comes from the cookie.
type refreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

// refreshToken returns the token the request presents, from the cookie in cookie mode (after
// its CSRF check) and from the body otherwise.
func refreshToken(r *http.Request) (string, error) {
	var req refreshRequest
	if err := decode(r, &req); err != nil {
		return "", err
	}
	if cookieMode(r) {
		return refreshFromCookie(r)
	}
	return req.RefreshToken, nil
}

// respondTokens answers a sign-in or refresh with the new pair; in cookie mode the refresh
// token goes into a cookie instead of the body.
func (a *API) respondTokens(w http.ResponseWriter, r *http.Request, pair auth.TokenPair) error {
	w.Header().Set("Cache-Control", "no-store")
	if cookieMode(r) {
		if err := a.setSessionCookies(w, r, &pair); err != nil {
			return err
		}
	}
	return respond(w, http.StatusOK, toTokenPairJSON(pair))
}

func (a *API) refresh(w http.ResponseWriter, r *http.Request) error {
	token, err := refreshToken(r)
	if err != nil {
		return err
	}
	if err := a.admit(r, "refresh", a.clientIP(r)); err != nil {
		return err
	}
	pair, err := a.auth.Refresh(r.Context(), token)
	if err != nil {
		return err
	}
	a.resetThrottle(r, "refresh", a.clientIP(r))
	return a.respondTokens(w, r, pair)
}

func (a *API) logout(w http.ResponseWriter, r *http.Request) error {
	token, err := refreshToken(r)
	if err != nil {
		return err
	}
	p, _ := auth.PrincipalFrom(r.Context())
	if err := a.auth.Logout(r.Context(), p, token); err != nil {
		return err
	}
	if cookieMode(r) {
		a.clearSessionCookies(w, r)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) me(w http.ResponseWriter, r *http.Request) error {
	p, _ := auth.PrincipalFrom(r.Context())
	u, err := a.auth.User(r.Context(), p.UserID)
	if err != nil {
		return err
	}
	return respond(w, http.StatusOK, toUserJSON(u))
}

func (a *API) listUsers(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r, "role", "q", "page", "page_size")
	f := auth.UserFilter{Query: q.str("q", 200)}
	if role := q.values.Get("role"); role != "" {
		rl := auth.Role(role)
		q.v.Check(rl.Valid(), "role", "must be customer, staff or admin")
		f.Role = &rl
	}
	page, size, offset := q.page()
	if err := q.err(); err != nil {
		return err
	}
	f.Limit, f.Offset = size, offset
	users, total, err := a.auth.ListUsers(r.Context(), f)
	if err != nil {
		return err
	}
	return respond(w, http.StatusOK, pageJSON[userJSON]{Items: mapSlice(users, toUserJSON), Page: page, PageSize: size, Total: total})
}

type setRoleRequest struct {
	Role auth.Role `json:"role"`
}

func (a *API) setUserRole(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req setRoleRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	caller, _ := auth.PrincipalFrom(r.Context())
	u, err := a.auth.SetRole(r.Context(), caller, id, req.Role)
	if err != nil {
		return err
	}
	return respond(w, http.StatusOK, toUserJSON(u))
}

var errTooManyAttempts = fault.New(fault.RateLimited, "too-many-attempts", "too many attempts in a row; wait before trying again")

// admit counts one attempt on key (an account or a client address) in scope and refuses it
// with 429 and Retry-After while repeated attempts keep that key waiting.
func (a *API) admit(r *http.Request, scope, key string) error {
	if a.throttle == nil {
		return nil
	}
	if ok, wait := a.throttle.Admit(r.Context(), scope, key); !ok {
		return errTooManyAttempts.WithRetryAfter(wait)
	}
	return nil
}

// resetThrottle forgets the attempts on key in scope after a success.
func (a *API) resetThrottle(r *http.Request, scope, key string) {
	if a.throttle != nil {
		a.throttle.Reset(r.Context(), scope, key)
	}
}
