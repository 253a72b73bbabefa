// Package httpapi is the REST API, version 1: the chi router, its middleware, the handlers
// (which decode, call one domain service and encode), and the single place where domain errors
// become RFC 9457 problem details and where roles are enforced.
package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/acme/orders/internal/assistant"
	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/catalog"
	"github.com/acme/orders/internal/httpapi/apidocs"
	"github.com/acme/orders/internal/orders"
	"github.com/acme/orders/internal/ratelimit"
	"github.com/acme/orders/internal/recommend"
	"github.com/acme/orders/internal/search"
	"github.com/acme/orders/internal/webui"
)

// Config is the part of the process configuration the HTTP layer uses.
type Config struct {
	CORSOrigins       []string
	RequestTimeout    time.Duration
	RateLimitAuth     int // per minute per client IP on sign-up, sign-in and refresh; 0 = off
	RateLimitAPI      int // per minute per user (or IP when anonymous) on /api/v1; 0 = off
	TrustProxyHeaders bool
	RefreshTokenTTL   time.Duration // lifetime of the refresh-token cookie in cookie mode (default 720h)
}

// Throttle spaces out repeated attempts on one key (see ratelimit.Backoff).
type Throttle interface {
	Admit(ctx context.Context, scope, key string) (bool, time.Duration)
	Reset(ctx context.Context, scope, key string)
}

// Deps are the services the handlers call.
type Deps struct {
	Auth     *auth.Service
	Catalog  *catalog.Service
	Orders   *orders.Service
	Pipeline *Pipeline          // order history and pipeline administration
	Limiter  *ratelimit.Limiter // nil: no rate limits
	Throttle Throttle           // per-account sign-in and per-client refresh and sign-up backoff; nil: none
	Pool     *pgxpool.Pool      // for pool metrics; may be nil
	Checks   []Check            // readiness probes
	Search   *search.Service    // hybrid product search; nil: GET /search is 404
	// Assistant turns a message into filters and products; nil: POST /assistant/query is 404.
	Assistant *assistant.Service
	// Recommend suggests similar products and recommendations; nil: GET /products/{id}/similar
	// and GET /recommendations are 404.
	Recommend *recommend.Service
	// Views are the view caches of catalogue reads; their zero value caches nothing (the
	// answers still carry ETags and answer If-None-Match).
	Views Views
	// Collectors are more metrics to export at /metrics (e.g. the AI providers').
	Collectors []prometheus.Collector
	Web        http.Handler // the web app, for browser paths outside the API; nil: none
}

// API is the HTTP handler of the whole service.
type API struct {
	cfg       Config
	auth      *auth.Service
	catalog   *catalog.Service
	orders    *orders.Service
	pipeline  *Pipeline
	limiter   *ratelimit.Limiter
	throttle  Throttle
	checks    []Check
	searcher  *search.Service
	assistant *assistant.Service
	recs      *recommend.Service
	views     Views
	web       http.Handler
	metrics   *metrics
	router    chi.Router
	draining  atomic.Bool // set by Drain
}

// New builds the API.
func New(cfg Config, d Deps) *API {
	if cfg.RefreshTokenTTL <= 0 {
		cfg.RefreshTokenTTL = 720 * time.Hour
	}
	a := &API{cfg: cfg, auth: d.Auth, catalog: d.Catalog, orders: d.Orders, pipeline: d.Pipeline, limiter: d.Limiter,
		throttle: d.Throttle, checks: d.Checks, searcher: d.Search, assistant: d.Assistant, recs: d.Recommend,
		views: d.Views, web: d.Web, metrics: newMetrics(d.Pool, d.Pipeline)}
	for _, c := range d.Collectors {
		a.metrics.registry.MustRegister(c)
	}
	a.router = a.routes()
	return a
}

// ServeHTTP implements http.Handler.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.router.ServeHTTP(w, r) }

// Router exposes the chi router, so tests can walk the routes it serves.
func (a *API) Router() chi.Routes { return a.router }

// MetricsHandler serves the Prometheus metrics of the API. It is not on the API's router:
// serve it on a listener of its own that only operators reach (METRICS_ADDR).
func (a *API) MetricsHandler() http.Handler { return a.metrics.handler() }

// access is who may call a route. It is checked in one place, allow, from the route table.
type access int

const (
	anyone access = iota
	signedIn
	staffOnly // staff and admin
	adminOnly
)

var errNotFoundRoute = handlerFunc(func(w http.ResponseWriter, r *http.Request) error { return errNoRoute })

// allow refuses callers the route's access rule excludes: 401 without a valid token, 403 with
// a valid token but a role that is not allowed. On staff and admin routes it also checks that
// the token is still current (the user's role has not changed since it was issued), so a
// demotion takes effect at once there; a failure to check refuses the request.
func (a *API) allow(rule access, next http.Handler) http.Handler {
	if rule == anyone {
		return next
	}
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		p, ok := auth.PrincipalFrom(r.Context())
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer`)
			return auth.ErrInvalidToken.WithMessage("sign in: this endpoint needs a bearer access token")
		}
		if (rule == staffOnly && !p.Role.IsStaff()) || (rule == adminOnly && p.Role != auth.RoleAdmin) {
			return errForbidden
		}
		if rule == staffOnly || rule == adminOnly {
			if err := a.auth.Fresh(r.Context(), p); err != nil {
				if errors.Is(err, auth.ErrStaleToken) {
					w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
				}
				return err
			}
		}
		next.ServeHTTP(w, r)
		return nil
	})
}

// methodNotAllowed answers 405 with the Allow header listing the methods the path does take.
func methodNotAllowed(w http.ResponseWriter, r *http.Request) error {
	rctx := chi.RouteContext(r.Context())
	path := r.URL.RawPath
	if path == "" {
		path = r.URL.Path
	}
	var allowed []string
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := m
		if m == http.MethodHead {
			probe = http.MethodGet // HEAD is answered wherever GET is
		}
		if rctx != nil && rctx.Routes != nil && rctx.Routes.Match(chi.NewRouteContext(), probe, path) {
			allowed = append(allowed, m)
		}
	}
	if len(allowed) > 0 {
		w.Header().Set("Allow", strings.Join(allowed, ", "))
	}
	return errMethod
}

type route struct {
	method, pattern string
	who             access
	h               handlerFunc
}

// routes is the route table: every endpoint, who may call it, and its handler.
func (a *API) routes() chi.Router {
	r := chi.NewRouter()
	r.Use(withRequestID, a.observe, a.securityHeaders, a.cors, limitBody, a.timeout, a.authenticate, middleware.GetHead)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		if a.web != nil && webui.Owns(r) {
			a.web.ServeHTTP(w, r) // the app's own routes; API paths keep their problem+json 404
			return
		}
		errNotFoundRoute.ServeHTTP(w, r)
	})
	r.MethodNotAllowed(handlerFunc(methodNotAllowed).ServeHTTP)

	r.Get("/healthz", handlerFunc(a.healthz).ServeHTTP)
	r.Get("/readyz", handlerFunc(a.readyz).ServeHTTP)
	docs := http.StripPrefix("/api/docs", apidocs.Handler())
	r.Get("/api/docs", docs.ServeHTTP)
	r.Get("/api/docs/*", docs.ServeHTTP)

	authRoutes := []route{
		{"POST", "/auth/register", anyone, a.register},
		{"POST", "/auth/login", anyone, a.login},
		{"POST", "/auth/refresh", anyone, a.refresh},
	}
	catalogViews := a.views.Catalog
	apiRoutes := []route{
		{"GET", "/openapi.json", anyone, a.openapi},
		{"POST", "/auth/logout", signedIn, a.logout},
		{"GET", "/me", signedIn, a.me},
		{"GET", "/users", adminOnly, a.listUsers},
		{"PATCH", "/users/{id}", adminOnly, a.setUserRole},

		{"GET", "/products", anyone, cached(catalogViews, a.listProducts)},
		{"GET", "/products/{id}", anyone, cached(catalogViews, a.getProduct)},
		{"POST", "/products", staffOnly, invalidates(catalogViews, a.createProduct)},
		{"PATCH", "/products/{id}", staffOnly, invalidates(catalogViews, a.updateProduct)},
		{"DELETE", "/products/{id}", adminOnly, invalidates(catalogViews, a.deleteProduct)},
		{"GET", "/categories", anyone, cached(catalogViews, a.listCategories)},
		{"GET", "/search", anyone, cached(catalogViews, a.search)},
		{"GET", "/products/{id}/similar", anyone, cached(catalogViews, a.similarProducts)},
		{"GET", "/recommendations", signedIn, a.recommendations},
		{"POST", "/assistant/query", signedIn, a.assistantQuery},

		{"POST", "/orders", signedIn, a.placeOrder},
		{"GET", "/orders", signedIn, a.listOrders},
		{"GET", "/orders/{id}", signedIn, a.getOrder},
		{"POST", "/orders/{id}/cancel", signedIn, a.cancelOrder},
		{"PATCH", "/orders/{id}/status", staffOnly, a.setOrderStatus},

		{"GET", "/admin/events", staffOnly, a.adminEvents},
		{"POST", "/admin/projections/{name}/rebuild", adminOnly, a.rebuildProjection},
		{"GET", "/admin/parked-events", staffOnly, a.listParked},
		{"POST", "/admin/parked-events/{name}/{position}/redrive", adminOnly, a.redriveParked},
	}
	r.Route("/api/v1", func(r chi.Router) {
		r.Group(func(r chi.Router) {
			r.Use(a.rateLimit("auth", a.cfg.RateLimitAuth))
			for _, rt := range authRoutes {
				r.Method(rt.method, rt.pattern, a.allow(rt.who, rt.h))
			}
		})
		r.Group(func(r chi.Router) {
			r.Use(a.rateLimit("api", a.cfg.RateLimitAPI))
			for _, rt := range apiRoutes {
				r.Method(rt.method, rt.pattern, a.allow(rt.who, rt.h))
			}
		})
	})
	return r
}

func (a *API) openapi(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(apidocs.Spec())
	return nil
}
