// Package temporal is the one place the processes talk to Temporal: it dials the client with
// a slog-backed logger, starts the event pipeline's supervising workflows and rebuilds,
// reports a rebuild's state, and keeps the cluster-wide schedules (housekeeping and the
// pipeline check) in place. Workflow code lives in the workflows package; this package is
// what the API, the worker and the operator's tool call.
package temporal

import (
	"context"
	"fmt"
	"log/slog"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"

	"github.com/acme/orders/internal/platform/telemetry"
)

// Options says where Temporal is, how to reach it securely and where the client's own log
// lines go.
type Options struct {
	Address   string       // host:port of the frontend
	Namespace string       // "default" if empty
	Logger    *slog.Logger // nil drops the client's log lines (errors still come back as errors)
	TLS       TLS          // plain text when zero
	// APIKey is sent with every call as a bearer token (Temporal Cloud's API keys); it turns
	// TLS on, against the system's roots unless TLS says otherwise.
	APIKey string
}

func (o Options) client() (client.Options, error) {
	ns := o.Namespace
	if ns == "" {
		ns = "default"
	}
	opts := client.Options{HostPort: o.Address, Namespace: ns, Logger: NewLogger(o.Logger),
		// With tracing on: workflows started through this client join the caller's trace, and
		// workers made from it trace the workflows and activities they run.
		Interceptors: telemetry.TemporalInterceptors()}
	tc, err := o.TLS.config()
	if err != nil {
		return client.Options{}, err
	}
	opts.ConnectionOptions.TLS = tc
	if o.APIKey != "" {
		opts.Credentials = client.NewAPIKeyStaticCredentials(o.APIKey)
	}
	return opts, nil
}

// Dial connects to Temporal and checks that it answers; it fails if the server cannot be
// reached.
func Dial(ctx context.Context, o Options) (client.Client, error) {
	opts, err := o.client()
	if err != nil {
		return nil, err
	}
	c, err := client.DialContext(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("connect to Temporal at %s: %w", o.Address, err)
	}
	return c, nil
}

// NewLazy returns a client that connects on first use, for processes that must start (and
// report themselves degraded) while Temporal is down.
func NewLazy(o Options) (client.Client, error) {
	opts, err := o.client()
	if err != nil {
		return nil, err
	}
	c, err := client.NewLazyClient(opts)
	if err != nil {
		return nil, fmt.Errorf("temporal client: %w", err)
	}
	return c, nil
}

// NewLogger adapts l to the Temporal SDK's logger, tagging every line with
// component=temporal; a nil l gives a logger that drops everything.
func NewLogger(l *slog.Logger) tlog.Logger {
	if l == nil {
		return tlog.NewStructuredLogger(slog.New(slog.DiscardHandler))
	}
	return tlog.NewStructuredLogger(l.With("component", "temporal"))
}

// Ping asks the Temporal frontend whether it serves; it fails if it cannot be reached.
func Ping(ctx context.Context, c client.Client) error {
	_, err := c.CheckHealth(ctx, &client.CheckHealthRequest{})
	return err
}
