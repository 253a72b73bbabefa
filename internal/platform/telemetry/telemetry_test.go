package telemetry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/acme/orders/internal/platform/postgres"
	"github.com/acme/orders/internal/platform/telemetry"
)

// otelEnv are the variables Setup reads; each test sets the ones it needs and clears the rest.
var otelEnv = []string{
	"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL",
	"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_SDK_DISABLED", "OTEL_TRACES_EXPORTER", "OTEL_SERVICE_NAME",
	"OTEL_RESOURCE_ATTRIBUTES", "OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG",
}

func setEnv(t *testing.T, kv map[string]string) {
	t.Helper()
	for _, k := range otelEnv {
		t.Setenv(k, kv[k])
	}
	t.Cleanup(telemetry.Uninstall)
}

// collector is an OTLP/HTTP endpoint that counts the trace exports it receives.
type collector struct {
	srv     *httptest.Server
	mu      sync.Mutex
	exports int
	bodies  [][]byte
}

func newCollector(t *testing.T) *collector {
	c := &collector{}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.URL.Path == "/v1/traces" {
			c.mu.Lock()
			c.exports++
			c.bodies = append(c.bodies, body)
			c.mu.Unlock()
		}
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	t.Cleanup(c.srv.Close)
	return c
}

func (c *collector) received() (int, []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.exports, bytes.Join(c.bodies, nil)
}

// TestOffByDefault: with no OTLP endpoint, Setup installs a no-op provider, Enabled is false,
// spans do not record, a pool gets no query tracer, and nothing reaches a collector; with
// OTEL_SDK_DISABLED or OTEL_TRACES_EXPORTER=none tracing stays off even with an endpoint.
func TestOffByDefault(t *testing.T) {
	c := newCollector(t)
	for name, env := range map[string]map[string]string{
		"no endpoint":   {},
		"sdk disabled":  {"OTEL_EXPORTER_OTLP_ENDPOINT": c.srv.URL, "OTEL_SDK_DISABLED": "true"},
		"exporter none": {"OTEL_EXPORTER_OTLP_ENDPOINT": c.srv.URL, "OTEL_TRACES_EXPORTER": "none"},
	} {
		t.Run(name, func(t *testing.T) {
			setEnv(t, env)
			shutdown, err := telemetry.Setup(context.Background(), telemetry.ServiceAPI)
			if err != nil {
				t.Fatal(err)
			}
			if telemetry.Enabled() {
				t.Fatal("Enabled with tracing off")
			}
			_, span := otel.Tracer("test").Start(context.Background(), "work")
			if span.IsRecording() || span.SpanContext().IsValid() {
				t.Fatalf("a span of the default provider records: %+v", span.SpanContext())
			}
			span.End()
			if telemetry.TraceParent(trace.ContextWithSpan(context.Background(), span)) != nil {
				t.Fatal("a trace context would be stored with tracing off")
			}
			if len(telemetry.TemporalInterceptors()) != 0 {
				t.Fatal("a Temporal interceptor with tracing off")
			}
			pool, err := postgres.Open(context.Background(), "postgres://127.0.0.1:1/none", postgres.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer pool.Close()
			if pool.Config().ConnConfig.Tracer != nil {
				t.Fatal("the pool has a query tracer with tracing off")
			}
			if err := shutdown(context.Background()); err != nil {
				t.Fatal(err)
			}
		})
	}
	if n, _ := c.received(); n != 0 {
		t.Fatalf("the collector received %d exports with tracing off", n)
	}
}

// TestSetupExportsOverOTLP: with OTEL_EXPORTER_OTLP_ENDPOINT set, spans are exported over
// OTLP/HTTP to <endpoint>/v1/traces when Shutdown flushes them, under the default service name
// unless OTEL_SERVICE_NAME says otherwise, and pools get the query tracer.
func TestSetupExportsOverOTLP(t *testing.T) {
	c := newCollector(t)
	setEnv(t, map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": c.srv.URL, "OTEL_SERVICE_NAME": "orders-api-canary"})
	shutdown, err := telemetry.Setup(context.Background(), telemetry.ServiceAPI)
	if err != nil {
		t.Fatal(err)
	}
	if !telemetry.Enabled() {
		t.Fatal("not Enabled with an endpoint")
	}
	pool, err := postgres.Open(context.Background(), "postgres://127.0.0.1:1/none", postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, ok := pool.Config().ConnConfig.Tracer.(*telemetry.QueryTracer); !ok {
		t.Fatalf("the pool's tracer is %T", pool.Config().ConnConfig.Tracer)
	}
	_, span := telemetry.Tracer().Start(context.Background(), "exported-span-name")
	span.End()
	shutdown.Flush(5 * time.Second)
	n, body := c.received()
	if n == 0 || !bytes.Contains(body, []byte("exported-span-name")) || !bytes.Contains(body, []byte("orders-api-canary")) {
		t.Fatalf("exports = %d, body has the span: %v, the service name: %v", n,
			bytes.Contains(body, []byte("exported-span-name")), bytes.Contains(body, []byte("orders-api-canary")))
	}
}

// TestSetupRefusesUnknownProtocol: a protocol the exporter cannot speak fails the start
// instead of silently dropping every span.
func TestSetupRefusesUnknownProtocol(t *testing.T) {
	setEnv(t, map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"})
	if _, err := telemetry.Setup(context.Background(), telemetry.ServiceWorker); err == nil || !strings.Contains(err.Error(), "http/json") {
		t.Fatalf("err = %v", err)
	}
}

// TestLogHandler: a record logged with a context holding a span carries its trace_id and
// span_id; one logged without does not, and neither do records of a context whose span
// context is not valid.
func TestLogHandler(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(telemetry.LogHandler(slog.NewJSONHandler(&buf, nil))).With("component", "test")
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(tracetest.NewSpanRecorder()))
	ctx, span := tp.Tracer("test").Start(context.Background(), "request")
	defer span.End()

	line := func(f func()) map[string]any {
		t.Helper()
		buf.Reset()
		f()
		var m map[string]any
		if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
			t.Fatalf("%v: %s", err, buf.Bytes())
		}
		return m
	}
	with := line(func() { log.InfoContext(ctx, "request", "status", 201) })
	if with["trace_id"] != span.SpanContext().TraceID().String() || with["span_id"] != span.SpanContext().SpanID().String() ||
		with["component"] != "test" || with["status"] != float64(201) {
		t.Fatalf("with a span: %v", with)
	}
	for name, ctx := range map[string]context.Context{
		"no context value": context.Background(),
		"invalid span":     trace.ContextWithSpanContext(context.Background(), trace.SpanContext{}),
	} {
		without := line(func() { log.InfoContext(ctx, "request") })
		if _, ok := without["trace_id"]; ok {
			t.Fatalf("%s: %v", name, without)
		}
		if _, ok := without["span_id"]; ok {
			t.Fatalf("%s: %v", name, without)
		}
	}
}

// TestTraceParentRoundTrip: what Append stores parses back to the same span context, and only
// sampled spans are stored.
func TestTraceParentRoundTrip(t *testing.T) {
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(tracetest.NewSpanRecorder()))
	ctx, span := tp.Tracer("test").Start(context.Background(), "request")
	defer span.End()
	s := telemetry.TraceParent(ctx)
	if s == nil {
		t.Fatal("no traceparent for a sampled span")
	}
	sc, ok := telemetry.ParseTraceParent(*s)
	if !ok || sc.TraceID() != span.SpanContext().TraceID() || sc.SpanID() != span.SpanContext().SpanID() || !sc.IsSampled() || !sc.IsRemote() {
		t.Fatalf("%s parsed to %+v", *s, sc)
	}
	unsampled := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.NeverSample()))
	ctx, span2 := unsampled.Tracer("test").Start(context.Background(), "request")
	defer span2.End()
	if s := telemetry.TraceParent(ctx); s != nil {
		t.Fatalf("an unsampled span stored as %s", *s)
	}
	for _, bad := range []string{"", "garbage", "00-00000000000000000000000000000000-0000000000000000-01"} {
		if _, ok := telemetry.ParseTraceParent(bad); ok {
			t.Fatalf("%q parsed", bad)
		}
	}
}
