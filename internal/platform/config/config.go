// Package config reads the process configuration from environment variables, validates every
// value at start and reports all bad values at once, each with a message saying what is wrong.
package config

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/acme/orders/internal/ai"
)

// Environments accepted in APP_ENV.
const (
	Development = "development"
	Test        = "test"
	Production  = "production"
)

// Config is everything the API, worker and ctl binaries read from the environment.
type Config struct {
	Env                string        // APP_ENV: development (default), test or production
	DatabaseURL        string        // DATABASE_URL
	DatabaseReplicaURL string        // DATABASE_REPLICA_URL: optional read replica the API reads the read models from (order history, search, recommendations); empty: DATABASE_URL
	DBMaxConns         int32         // DB_MAX_CONNS: pool size per process (default 20)
	DBWriteConns       int32         // DB_WRITE_CONNS: connections the API's write transactions may hold at once; the rest stay for reads (default 3/4 of DB_MAX_CONNS)
	DBLockTimeout      time.Duration // DB_LOCK_TIMEOUT: longest wait of an API statement on a row lock (default 2s, at most a quarter of REQUEST_TIMEOUT)
	DBStatementTimeout time.Duration // DB_STATEMENT_TIMEOUT: longest run of an API statement (default 5s, at most half of REQUEST_TIMEOUT)
	RedisURL           string        // REDIS_URL; empty disables Redis (in-process fallbacks)
	TemporalAddress    string        // TEMPORAL_ADDRESS host:port
	TemporalNamespace  string        // TEMPORAL_NAMESPACE (default "default")
	TemporalTLS        TemporalTLS   // TEMPORAL_TLS*: plain text unless set
	TemporalAPIKey     string        // TEMPORAL_API_KEY: bearer API key (Temporal Cloud); turns TLS on
	HTTPAddr           string        // HTTP_ADDR (default 127.0.0.1:8080)
	JWTSecret          []byte        // JWT_SECRET: at least 32 bytes; signs access tokens
	JWTOldSecrets      [][]byte      // JWT_PREVIOUS_SECRETS: comma-separated, still accepted for verification during a key rotation
	JWTIssuer          string        // JWT_ISSUER (default "orders-api")
	JWTAudience        string        // JWT_AUDIENCE (default "orders")
	AccessTokenTTL     time.Duration // ACCESS_TOKEN_TTL (default 15m)
	RefreshTokenTTL    time.Duration // REFRESH_TOKEN_TTL (default 720h)
	CORSOrigins        []string      // CORS_ORIGINS: comma-separated allowlist of origins
	RequestTimeout     time.Duration // REQUEST_TIMEOUT (default 10s)
	ShutdownDelay      time.Duration // SHUTDOWN_DELAY: after SIGTERM, how long the API keeps serving with /readyz at 503 before it stops accepting (default 0s; a few seconds behind a load balancer)
	ShutdownTimeout    time.Duration // SHUTDOWN_TIMEOUT: after that, how long in-flight requests (API) or running activities (worker) get to finish (default 15s)
	RateLimitAuth      int           // RATE_LIMIT_AUTH: auth requests per minute per client IP (default 20; 0 = off)
	RateLimitAPI       int           // RATE_LIMIT_API: requests per minute per user or IP (default 1200; 0 = off)
	TrustProxyHeaders  bool          // TRUST_PROXY_HEADERS: take the client IP from X-Forwarded-For (only behind a proxy you run)
	LogLevel           slog.Level    // LOG_LEVEL: debug, info (default), warn, error
	WorkerMetricsAddr  string        // WORKER_METRICS_ADDR: where the worker serves /metrics (default 127.0.0.1:9091)
	MetricsAddr        string        // METRICS_ADDR: where the API serves /metrics, apart from the API (default 127.0.0.1:9090; empty: not served)
	IdempotencyKeyTTL  time.Duration // IDEMPOTENCY_KEY_TTL: how long an Idempotency-Key is remembered (default 24h)
	CacheTTL           time.Duration // CACHE_TTL: lifetime of cached responses in Redis (default 60s; they are also dropped when their data changes)
	ViewCacheTTL       time.Duration // VIEW_CACHE_TTL: how long an API process keeps a rendered catalogue answer in memory (default 1s; with Redis away it is the staleness bound)
	ViewCacheMB        int           // VIEW_CACHE_MB: memory for those answers per API process, in MiB (default 32; 0 = no view cache)
	WebDir             string        // WEB_DIR: the built web app (frontend/dist) the API serves at /; empty: none
	Pipeline           Pipeline      // event-pipeline tuning (worker only)
	AI                 AI            // the AI provider

	// Warnings are facts worth logging at start (e.g. a generated development secret).
	Warnings []string
}

// TemporalTLS secures the connection to the Temporal frontend; its fields are those of
// temporal.TLS, which it converts to. Any of them set turns TLS on.
type TemporalTLS struct {
	Enabled    bool   // TEMPORAL_TLS: TLS against the system's roots
	CAFile     string // TEMPORAL_TLS_CA_FILE: PEM roots for the frontend's certificate
	CertFile   string // TEMPORAL_TLS_CERT_FILE: client certificate (mutual TLS), with the key
	KeyFile    string // TEMPORAL_TLS_KEY_FILE: its private key
	ServerName string // TEMPORAL_TLS_SERVER_NAME: the name the frontend's certificate must carry
}

// AI selects the AI provider (see internal/ai). The key is never logged or echoed.
type AI struct {
	Provider   string // AI_PROVIDER: local (default; offline), openai or anthropic
	BaseURL    string // AI_BASE_URL: the provider's API root, e.g. http://127.0.0.1:11434/v1
	APIKey     string // AI_API_KEY
	ChatModel  string // AI_CHAT_MODEL: required for openai and anthropic
	EmbedModel string // AI_EMBED_MODEL: optional, remote embeddings (openai only)
	// CallsPerMinute caps the activities of the AI pipelines (on the ai task queue; each makes
	// at most one provider call), across every worker: AI_CALLS_PER_MINUTE, default 60; 0 means
	// no cap.
	CallsPerMinute int
}

// Client is the AI client's configuration: the provider settings, with the client's own
// defaults for timeouts, retries and the circuit breaker.
func (a AI) Client() ai.Config {
	return ai.Config{Provider: a.Provider, BaseURL: a.BaseURL, APIKey: a.APIKey, ChatModel: a.ChatModel, EmbedModel: a.EmbedModel}
}

// Pipeline tunes the event pipeline's long-running activities.
type Pipeline struct {
	BatchSize        int           // PIPELINE_BATCH_SIZE: events per transaction at most, when catching up (default 20000)
	PollInterval     time.Duration // PIPELINE_POLL_INTERVAL: longest wait without a notification (default 250ms)
	RunFor           time.Duration // PIPELINE_RUN_FOR: activity run before the workflow loops (default 5m)
	HeartbeatTimeout time.Duration // PIPELINE_HEARTBEAT_TIMEOUT: silence before Temporal moves an activity (default 20s)
	MaxAttempts      int           // PIPELINE_MAX_ATTEMPTS: tries of a failing event before it is parked (default 5)
	BackoffBase      time.Duration // PIPELINE_BACKOFF: first wait after a failing event, doubling (default 1s)
	RunsPerExecution int           // PIPELINE_RUNS_PER_EXECUTION: activity runs before continue-as-new (default 50)
	Linger           time.Duration // PIPELINE_LINGER: gathering time after a wake-up (default 0)
	BackgroundLinger time.Duration // PIPELINE_BACKGROUND_LINGER: the same for background projections (default 100ms)
}

// Load reads the configuration from the environment (see FromLookup).
func Load() (Config, error) { return FromLookup(os.LookupEnv) }

// FromLookup reads the configuration through lookup, so tests can pass a map. The error lists
// every bad variable, one per line.
func FromLookup(lookup func(string) (string, bool)) (Config, error) {
	r := reader{lookup: lookup}
	c := Config{
		Env:                r.str("APP_ENV", Development),
		DatabaseURL:        r.str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/orders?sslmode=disable"),
		DatabaseReplicaURL: r.str("DATABASE_REPLICA_URL", ""),
		DBMaxConns:         int32(r.intIn("DB_MAX_CONNS", 20, 1, 1000)),
		RedisURL:           r.str("REDIS_URL", "redis://127.0.0.1:6379/0"),
		TemporalAddress:    r.str("TEMPORAL_ADDRESS", "127.0.0.1:7233"),
		TemporalNamespace:  r.str("TEMPORAL_NAMESPACE", "default"),
		TemporalTLS: TemporalTLS{
			Enabled: r.boolean("TEMPORAL_TLS", false), CAFile: r.str("TEMPORAL_TLS_CA_FILE", ""),
			CertFile: r.str("TEMPORAL_TLS_CERT_FILE", ""), KeyFile: r.str("TEMPORAL_TLS_KEY_FILE", ""),
			ServerName: r.str("TEMPORAL_TLS_SERVER_NAME", ""),
		},
		TemporalAPIKey:    r.str("TEMPORAL_API_KEY", ""),
		HTTPAddr:          r.str("HTTP_ADDR", "127.0.0.1:8080"),
		JWTIssuer:         r.str("JWT_ISSUER", "orders-api"),
		JWTAudience:       r.str("JWT_AUDIENCE", "orders"),
		AccessTokenTTL:    r.duration("ACCESS_TOKEN_TTL", 15*time.Minute, time.Minute, 24*time.Hour),
		RefreshTokenTTL:   r.duration("REFRESH_TOKEN_TTL", 720*time.Hour, time.Hour, 8760*time.Hour),
		CORSOrigins:       r.list("CORS_ORIGINS", "http://127.0.0.1:5173,http://localhost:5173"),
		RequestTimeout:    r.duration("REQUEST_TIMEOUT", 10*time.Second, 100*time.Millisecond, 5*time.Minute),
		ShutdownDelay:     r.duration("SHUTDOWN_DELAY", 0, 0, time.Minute),
		ShutdownTimeout:   r.duration("SHUTDOWN_TIMEOUT", 15*time.Second, time.Second, 10*time.Minute),
		RateLimitAuth:     r.intIn("RATE_LIMIT_AUTH", 20, 0, 1_000_000),
		RateLimitAPI:      r.intIn("RATE_LIMIT_API", 1200, 0, 100_000_000),
		TrustProxyHeaders: r.boolean("TRUST_PROXY_HEADERS", false),
		LogLevel:          r.level("LOG_LEVEL", slog.LevelInfo),
		WorkerMetricsAddr: r.str("WORKER_METRICS_ADDR", "127.0.0.1:9091"),
		MetricsAddr:       r.str("METRICS_ADDR", "127.0.0.1:9090"),
		IdempotencyKeyTTL: r.duration("IDEMPOTENCY_KEY_TTL", 24*time.Hour, time.Minute, 365*24*time.Hour),
		CacheTTL:          r.duration("CACHE_TTL", time.Minute, time.Second, 24*time.Hour),
		ViewCacheTTL:      r.duration("VIEW_CACHE_TTL", time.Second, 10*time.Millisecond, time.Minute),
		ViewCacheMB:       r.intIn("VIEW_CACHE_MB", 32, 0, 64<<10),
		WebDir:            r.str("WEB_DIR", ""),
		Pipeline: Pipeline{
			BatchSize:        r.intIn("PIPELINE_BATCH_SIZE", 20000, 1, 1_000_000),
			PollInterval:     r.duration("PIPELINE_POLL_INTERVAL", 250*time.Millisecond, 10*time.Millisecond, time.Minute),
			RunFor:           r.duration("PIPELINE_RUN_FOR", 5*time.Minute, time.Second, time.Hour),
			HeartbeatTimeout: r.duration("PIPELINE_HEARTBEAT_TIMEOUT", 20*time.Second, time.Second, 10*time.Minute),
			MaxAttempts:      r.intIn("PIPELINE_MAX_ATTEMPTS", 5, 1, 1000),
			BackoffBase:      r.duration("PIPELINE_BACKOFF", time.Second, time.Millisecond, time.Minute),
			RunsPerExecution: r.intIn("PIPELINE_RUNS_PER_EXECUTION", 50, 1, 10_000),
			Linger:           r.duration("PIPELINE_LINGER", 0, 0, time.Second),
			BackgroundLinger: r.duration("PIPELINE_BACKGROUND_LINGER", 100*time.Millisecond, 0, 10*time.Second),
		},
		AI: AI{
			Provider: r.str("AI_PROVIDER", "local"), BaseURL: r.str("AI_BASE_URL", ""), APIKey: r.str("AI_API_KEY", ""),
			ChatModel: r.str("AI_CHAT_MODEL", ""), EmbedModel: r.str("AI_EMBED_MODEL", ""),
			CallsPerMinute: r.intIn("AI_CALLS_PER_MINUTE", 60, 0, 1_000_000),
		},
	}
	r.checkAI(c.AI)
	switch c.Env {
	case Development, Test, Production:
	default:
		r.fail("APP_ENV", "must be one of development, test, production; got %q", c.Env)
	}
	r.checkURL("DATABASE_URL", c.DatabaseURL, "postgres", "postgresql")
	if c.DatabaseReplicaURL != "" {
		r.checkURL("DATABASE_REPLICA_URL", c.DatabaseReplicaURL, "postgres", "postgresql")
	}
	if c.RedisURL != "" {
		r.checkURL("REDIS_URL", c.RedisURL, "redis", "rediss")
	}
	r.checkHostPort("TEMPORAL_ADDRESS", c.TemporalAddress)
	r.checkTemporalTLS(c.TemporalTLS)
	r.checkHostPort("HTTP_ADDR", c.HTTPAddr)
	r.checkHostPort("WORKER_METRICS_ADDR", c.WorkerMetricsAddr)
	if c.MetricsAddr != "" {
		r.checkHostPort("METRICS_ADDR", c.MetricsAddr)
	}
	c.DBWriteConns = int32(r.intIn("DB_WRITE_CONNS", max(1, int(c.DBMaxConns)*3/4), 1, 1000))
	if c.DBWriteConns > c.DBMaxConns {
		r.fail("DB_WRITE_CONNS", "must not exceed DB_MAX_CONNS (%d)", c.DBMaxConns)
	}
	c.DBLockTimeout = r.duration("DB_LOCK_TIMEOUT", min(2*time.Second, c.RequestTimeout/4), 10*time.Millisecond, time.Minute)
	c.DBStatementTimeout = r.duration("DB_STATEMENT_TIMEOUT", min(5*time.Second, c.RequestTimeout/2), 50*time.Millisecond, time.Hour)
	if c.DBLockTimeout >= c.RequestTimeout || c.DBStatementTimeout >= c.RequestTimeout {
		r.fail("DB_LOCK_TIMEOUT", "DB_LOCK_TIMEOUT and DB_STATEMENT_TIMEOUT must be shorter than REQUEST_TIMEOUT (%s)", c.RequestTimeout)
	}
	for _, o := range c.CORSOrigins {
		if u, err := url.Parse(o); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" {
			r.fail("CORS_ORIGINS", "each origin must be scheme://host[:port] with no path; got %q", o)
		}
	}
	if c.WebDir != "" {
		if st, err := os.Stat(filepath.Join(c.WebDir, "index.html")); err != nil || st.IsDir() {
			r.fail("WEB_DIR", "must be a directory holding the built web app's index.html (run make web); got %q", c.WebDir)
		}
	}
	c.JWTSecret = r.secret(c.Env)
	for _, s := range r.list("JWT_PREVIOUS_SECRETS", "") {
		if len(s) < 32 {
			r.fail("JWT_PREVIOUS_SECRETS", "each secret must be at least 32 bytes")
		}
		c.JWTOldSecrets = append(c.JWTOldSecrets, []byte(s))
	}
	c.Warnings = r.warnings
	if len(r.errs) > 0 {
		return Config{}, fmt.Errorf("invalid configuration:\n  %s", strings.Join(r.errs, "\n  "))
	}
	return c, nil
}

// checkTemporalTLS reports a client certificate without its key or the reverse. The files
// themselves are read when the Temporal client is built, at start, which fails naming them.
func (r *reader) checkTemporalTLS(t TemporalTLS) {
	if (t.CertFile == "") != (t.KeyFile == "") {
		r.fail("TEMPORAL_TLS_CERT_FILE", "TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE must be set together")
	}
}

type reader struct {
	lookup   func(string) (string, bool)
	errs     []string
	warnings []string
}

func (r *reader) fail(name, format string, args ...any) {
	r.errs = append(r.errs, name+": "+fmt.Sprintf(format, args...))
}

func (r *reader) str(name, def string) string {
	if v, ok := r.lookup(name); ok {
		return strings.TrimSpace(v)
	}
	return def
}

func (r *reader) list(name, def string) []string {
	var out []string
	for _, s := range strings.Split(r.str(name, def), ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (r *reader) intIn(name string, def, lo, hi int) int {
	v := r.str(name, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		r.fail(name, "must be a whole number from %d to %d; got %q", lo, hi, v)
		return def
	}
	return n
}

func (r *reader) duration(name string, def, lo, hi time.Duration) time.Duration {
	v := r.str(name, "")
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < lo || d > hi {
		r.fail(name, "must be a duration from %s to %s, such as 15m; got %q", lo, hi, v)
		return def
	}
	return d
}

func (r *reader) boolean(name string, def bool) bool {
	v := r.str(name, "")
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.fail(name, "must be true or false; got %q", v)
	}
	return b
}

func (r *reader) level(name string, def slog.Level) slog.Level {
	v := r.str(name, "")
	if v == "" {
		return def
	}
	var l slog.Level
	if err := l.UnmarshalText([]byte(v)); err != nil {
		r.fail(name, "must be debug, info, warn or error; got %q", v)
		return def
	}
	return l
}

func (r *reader) checkURL(name, v string, schemes ...string) {
	u, err := url.Parse(v)
	if err != nil || u.Host == "" {
		r.fail(name, "must be a URL such as %s://host:port/...; got %q", schemes[0], redact(v))
		return
	}
	for _, s := range schemes {
		if u.Scheme == s {
			return
		}
	}
	r.fail(name, "scheme must be one of %s; got %q", strings.Join(schemes, ", "), u.Scheme)
}

func (r *reader) checkAI(a AI) {
	switch a.Provider {
	case "local":
	case "openai", "anthropic":
		if a.ChatModel == "" {
			r.fail("AI_CHAT_MODEL", "is required when AI_PROVIDER=%s", a.Provider)
		}
	default:
		r.fail("AI_PROVIDER", "must be one of local, openai, anthropic; got %q", a.Provider)
	}
	if a.Provider == "anthropic" && a.APIKey == "" {
		r.fail("AI_API_KEY", "is required when AI_PROVIDER=anthropic")
	}
	if a.Provider == "anthropic" && a.EmbedModel != "" {
		r.fail("AI_EMBED_MODEL", "needs an OpenAI-compatible server; Anthropic offers no embeddings")
	}
	if a.BaseURL != "" {
		r.checkURL("AI_BASE_URL", a.BaseURL, "http", "https")
	}
}

func (r *reader) checkHostPort(name, v string) {
	if _, port, err := net.SplitHostPort(v); err != nil || port == "" {
		r.fail(name, "must be host:port, such as 127.0.0.1:8080; got %q", v)
	}
}

// secret reads JWT_SECRET. Production refuses to start without one; elsewhere a random secret
// is generated (tokens then die with the process) and a warning says so.
func (r *reader) secret(env string) []byte {
	v, ok := r.lookup("JWT_SECRET")
	if ok && v != "" {
		if len(v) < 32 {
			r.fail("JWT_SECRET", "must be at least 32 bytes (e.g. openssl rand -base64 48)")
		}
		return []byte(v)
	}
	if env == Production {
		r.fail("JWT_SECRET", "is required when APP_ENV=production (e.g. openssl rand -base64 48)")
		return nil
	}
	b := make([]byte, 48)
	_, _ = rand.Read(b)
	r.warnings = append(r.warnings, "JWT_SECRET is not set: using a random secret for this process; tokens will not survive a restart")
	return []byte(base64.RawURLEncoding.EncodeToString(b))
}

// redact hides a password in a URL before it is echoed in an error message.
func redact(v string) string {
	if u, err := url.Parse(v); err == nil && u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
			return u.String()
		}
	}
	return v
}
