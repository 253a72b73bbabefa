package httpapi_test

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/httpapi"
	"github.com/acme/orders/internal/ratelimit"
)

// testBackoff is the sign-in policy with fewer free attempts and a shorter cap, so that a test
// can wait one out; the first wait is still long against a request (even a slow password
// check), so that the test does not depend on the machine's speed.
var testBackoff = ratelimit.BackoffPolicy{Free: 3, Base: 3 * time.Second, Max: 6 * time.Second, Window: time.Minute}

func withThrottle(b *ratelimit.Backoff) envOption {
	return func(c *httpapi.Config, d *httpapi.Deps) {
		c.TrustProxyHeaders = true // the tests speak for several client addresses
		d.Throttle = b
	}
}

// fakeIP returns a documentation address unique enough that parallel runs sharing one Redis
// do not count each other's attempts.
func fakeIP() string {
	return fmt.Sprintf("198.51.%d.%d", rand.IntN(256), 1+rand.IntN(254))
}

func login(e *env, email, password, ip string) resp {
	e.t.Helper()
	return e.do(req{method: "POST", path: "/api/v1/auth/login", body: map[string]string{"email": email, "password": password},
		header: map[string]string{"X-Forwarded-For": ip}})
}

func retryAfter(t *testing.T, r resp) time.Duration {
	t.Helper()
	s, err := strconv.Atoi(r.Header.Get("Retry-After"))
	if err != nil || s < 1 {
		t.Fatalf("Retry-After %q on %d", r.Header.Get("Retry-After"), r.Status)
	}
	return time.Duration(s) * time.Second
}

// Wrong passwords against one account from several addresses are spaced out per account;
// after the wait the right password still signs in, and a success resets the count.
func TestSignInIsThrottledPerAccount(t *testing.T) {
	if testing.Short() {
		t.Skip("sleeps out the sign-in backoff")
	}
	t.Parallel()
	for name, rdb := range map[string]*redis.Client{
		"redis":      redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"}),
		"in-process": nil,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, withThrottle(ratelimit.NewBackoff(rdb, testBackoff)))
			u := e.newAccount(auth.RoleCustomer)
			ips := []string{fakeIP(), fakeIP(), fakeIP()}
			for i := range testBackoff.Free {
				expectStatus(t, login(e, u.Email, "wrong password!", ips[i%3]), 401)
			}
			// The fourth attempt is admitted and closes the account for a while.
			expectStatus(t, login(e, u.Email, "wrong password!", ips[0]), 401)
			r := login(e, "  "+strings.ToUpper(u.Email)+" ", "correct horse battery", ips[1])
			expectStatus(t, r, 429)
			if p := r.problem(t); p.Type != "urn:problem-type:orders:too-many-attempts" {
				t.Fatalf("problem %q", p.Type)
			}
			if wait := retryAfter(t, r); wait > testBackoff.Max+time.Second {
				t.Fatalf("Retry-After %s beyond the cap", wait)
			}
			time.Sleep(retryAfter(t, r) + 100*time.Millisecond)
			expectStatus(t, login(e, u.Email, "correct horse battery", ips[2]), 200)
			// The success reset the account: the free attempts are there again.
			for range testBackoff.Free {
				expectStatus(t, login(e, u.Email, "wrong password!", ips[0]), 401)
			}

			// Unknown emails are limited the same way, so a scan of addresses gains nothing.
			ghost := "nobody-" + uuid.NewString()[:8] + "@example.com"
			for range testBackoff.Free + 1 {
				expectStatus(t, login(e, ghost, "whatever pass", fakeIP()), 401)
			}
			expectStatus(t, login(e, ghost, "whatever pass", fakeIP()), 429)
		})
	}
}

// Two API processes sharing Redis share the count of attempts.
func TestSignInThrottleIsSharedThroughRedis(t *testing.T) {
	t.Parallel()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	one := newEnv(t, withThrottle(ratelimit.NewBackoff(rdb, testBackoff)))
	two := newEnv(t, withThrottle(ratelimit.NewBackoff(rdb, testBackoff)))
	u := one.newAccount(auth.RoleCustomer)
	for i := range testBackoff.Free + 1 {
		e := one
		if i%2 == 1 {
			e = two
		}
		expectStatus(t, login(e, u.Email, "wrong password!", fakeIP()), 401)
	}
	expectStatus(t, login(two, u.Email, "correct horse battery", fakeIP()), 429)
	expectStatus(t, login(one, u.Email, "correct horse battery", fakeIP()), 429)
}

// Refresh and sign-up are spaced out per client address.
func TestRefreshAndSignUpAreThrottled(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withThrottle(ratelimit.NewBackoff(redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"}), testBackoff)))
	ip := fakeIP()
	var last resp
	for range testBackoff.Free + 2 {
		last = e.do(req{method: "POST", path: "/api/v1/auth/refresh", body: map[string]string{"refresh_token": "rt_guess-" + uuid.NewString()},
			header: map[string]string{"X-Forwarded-For": ip}})
	}
	expectStatus(t, last, 429)
	retryAfter(t, last)
	// Another address is not affected.
	u := e.newAccount(auth.RoleCustomer)
	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/auth/refresh", body: map[string]string{"refresh_token": u.Refresh},
		header: map[string]string{"X-Forwarded-For": fakeIP()}}), 200)

	ip = fakeIP()
	for i := range testBackoff.Free + 2 {
		last = e.do(req{method: "POST", path: "/api/v1/auth/register", header: map[string]string{"X-Forwarded-For": ip},
			body: map[string]string{"email": fmt.Sprintf("signup-%d-%s@example.com", i, uuid.NewString()[:8]), "password": "long enough password", "name": "S"}})
	}
	expectStatus(t, last, 429)
	retryAfter(t, last)
}
