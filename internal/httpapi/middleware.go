package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"go.opentelemetry.io/otel/trace"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/fault"
	"github.com/acme/orders/internal/ratelimit"
)

type requestIDKey struct{}

var saneRequestID = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)

// withRequestID echoes a sane incoming X-Request-ID or makes a new one, and puts it in the
// context and the response.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-ID")
		if !saneRequestID.MatchString(id) {
			id = uuid.NewString()
		}
		w.Header().Set("X-Request-ID", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// statusRecorder remembers the status and size a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// observe logs every request as one structured line and records its metrics; with tracing on
// it also makes the request's server span (serverSpans), which the log line names. It turns a
// panic into a 500 problem response, logged with the stack.
func (a *API) observe(next http.Handler) http.Handler {
	spans := newServerSpans()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		if spans != nil {
			var span trace.Span
			if r, span = spans.start(r, a.clientIP(r)); span != nil {
				// Deferred first, so it runs last: after the log line below, and even when a
				// panic is passed on.
				defer spans.end(span, r, rec)
			}
		}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				slog.ErrorContext(r.Context(), "panic", "panic", fmt.Sprint(v), "stack", string(debug.Stack()), "request_id", requestID(r.Context()))
				if rec.status == 0 {
					writeError(rec, r, fmt.Errorf("panic: %v", v))
				}
			}
			route := chi.RouteContext(r.Context()).RoutePattern()
			if route == "" {
				route = "unmatched"
			}
			elapsed := time.Since(start)
			a.metrics.observe(r.Method, route, rec.status, elapsed)
			level := slog.LevelInfo
			if rec.status >= 500 {
				level = slog.LevelError
			}
			attrs := []slog.Attr{
				slog.String("request_id", requestID(r.Context())), slog.String("method", r.Method),
				slog.String("path", r.URL.Path), slog.String("route", route), slog.Int("status", rec.status),
				slog.Int("bytes", rec.bytes), slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
				slog.String("remote_ip", a.clientIP(r)),
			}
			if p, ok := auth.PrincipalFrom(r.Context()); ok {
				attrs = append(attrs, slog.String("user_id", p.UserID.String()))
			}
			slog.LogAttrs(r.Context(), level, "request", attrs...)
		}()
		next.ServeHTTP(rec, r)
	})
}

// limitBody refuses declared bodies over MaxBodyBytes at once and caps the rest while reading.
func limitBody(next http.Handler) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		if r.ContentLength > MaxBodyBytes {
			return errTooLarge
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		next.ServeHTTP(w, r)
		return nil
	})
}

// contentSecurityPolicy allows the API's own docs page and nothing from elsewhere.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// securityHeaderValues are the headers every response carries, in canonical form, so that
// setting them on each response neither canonicalises names nor allocates values (no one
// appends to a response header's values in place).
var securityHeaderValues = map[string][]string{
	"Content-Security-Policy":      {contentSecurityPolicy},
	"X-Content-Type-Options":       {"nosniff"},
	"X-Frame-Options":              {"DENY"},
	"Referrer-Policy":              {"no-referrer"},
	"Cross-Origin-Opener-Policy":   {"same-origin"},
	"Cross-Origin-Resource-Policy": {"same-site"},
}

var hstsValue = []string{"max-age=63072000; includeSubDomains"}

// securityHeaders sets the headers every response carries; HSTS only over TLS.
func (a *API) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range securityHeaderValues {
			h[k] = v
		}
		if a.secureRequest(r) {
			h["Strict-Transport-Security"] = hstsValue
		}
		next.ServeHTTP(w, r)
	})
}

// cors answers preflights and sets CORS headers for allowlisted origins only.
func (a *API) cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" || !slices.Contains(a.cfg.CORSOrigins, origin) {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Add("Vary", "Origin")
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Expose-Headers", "X-Request-ID, Retry-After, Location, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, Idempotency-Key, X-Request-ID, X-Refresh-Token-Mode, X-CSRF-Token")
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// timeout bounds the time a request may spend; queries see the deadline through the context.
func (a *API) timeout(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), a.cfg.RequestTimeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// authenticate puts the caller in the context when a valid bearer token is present. A present
// but invalid token is refused at once; no token means an anonymous caller, whom the route's
// access rule may then refuse.
func (a *API) authenticate(next http.Handler) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		h := r.Header.Get("Authorization")
		if h == "" {
			next.ServeHTTP(w, r)
			return nil
		}
		scheme, token, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_request"`)
			return auth.ErrInvalidToken
		}
		p, err := a.auth.Keys().Verify(strings.TrimSpace(token))
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			return err
		}
		// An answer to an authenticated request is for that caller only: no cache may keep it.
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r.WithContext(auth.WithPrincipal(r.Context(), p)))
		return nil
	})
}

// clientIP is the peer address, or the first X-Forwarded-For hop when the API runs behind a
// proxy that sets it (TRUST_PROXY_HEADERS).
func (a *API) clientIP(r *http.Request) string {
	if a.cfg.TrustProxyHeaders {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			first, _, _ := strings.Cut(xff, ",")
			if ip := net.ParseIP(strings.TrimSpace(first)); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

var errRateLimited = fault.New(fault.RateLimited, "rate-limited", "too many requests; wait before trying again")

// rateLimit allows limit requests per minute per key (the user when signed in, else the client
// IP), as a sustained rate with a burst of limit (see ratelimit.PerMinute); beyond it the answer
// is 429 with Retry-After. Every answer, refused or not, carries RateLimit-Limit (the burst),
// RateLimit-Remaining and RateLimit-Reset (seconds until the whole budget is back). limit 0
// turns it off.
func (a *API) rateLimit(scope string, limit int) func(http.Handler) http.Handler {
	lim := ratelimit.PerMinute(limit)
	return func(next http.Handler) http.Handler {
		if limit <= 0 || a.limiter == nil {
			return next
		}
		return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
			key := "ip:" + a.clientIP(r)
			if p, ok := auth.PrincipalFrom(r.Context()); ok {
				key = "user:" + p.UserID.String()
			}
			d := a.limiter.Allow(r.Context(), scope+":"+key, lim)
			h := w.Header()
			h.Set("RateLimit-Limit", strconv.Itoa(d.Limit))
			h.Set("RateLimit-Remaining", strconv.Itoa(d.Remaining))
			h.Set("RateLimit-Reset", strconv.Itoa(int((d.Reset+time.Second-1)/time.Second)))
			if !d.Allowed {
				return errRateLimited.WithRetryAfter(d.RetryAfter)
			}
			next.ServeHTTP(w, r)
			return nil
		})
	}
}
