package main

import (
	"os"
	"strings"
	"testing"
)

// testdata/rendered.yaml is the chart rendered with ci/all-values.yaml (every option on); each
// case below breaks it in one way and expects the check to say so.
func fixture(t *testing.T) (string, []string) {
	t.Helper()
	b, err := os.ReadFile("testdata/rendered.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("../../../internal/platform/config/config.go")
	if err != nil {
		t.Fatal(err)
	}
	vars, err := ConfigVars(src)
	if err != nil {
		t.Fatal(err)
	}
	return string(b), vars
}

func TestConfigVarsFindsTheBinariesSettings(t *testing.T) {
	_, vars := fixture(t)
	for _, want := range []string{"APP_ENV", "DATABASE_URL", "JWT_SECRET", "REDIS_URL", "TEMPORAL_ADDRESS", "WORKER_METRICS_ADDR", "PIPELINE_LINGER", "AI_API_KEY", "AI_CALLS_PER_MINUTE"} {
		found := false
		for _, v := range vars {
			found = found || v == want
		}
		if !found {
			t.Errorf("ConfigVars missed %s (found %v)", want, vars)
		}
	}
}

func TestRenderedChartPasses(t *testing.T) {
	stream, vars := fixture(t)
	n, errs := Check([]byte(stream), Options{ConfigVars: vars, ExpectKinds: []string{"ScaledObject", "ServiceMonitor", "Ingress", "HorizontalPodAutoscaler"}})
	for _, err := range errs {
		t.Error(err)
	}
	if n < 12 {
		t.Errorf("checked %d documents, want the whole rendering", n)
	}
}

func TestBrokenChartsFail(t *testing.T) {
	stream, vars := fixture(t)
	cases := []struct {
		name     string
		old, new string // replaced once; old must occur
		all      bool   // replace every occurrence
		want     string
	}{
		{name: "unknown field", old: "readOnlyRootFilesystem: true", new: "readOnlyRootFileSystem: true", want: `unknown field "spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem"`},
		{name: "field at the wrong level", old: "      automountServiceAccountToken: false\n", new: "      automountServiceAccountToken: false\n      replicas: 2\n", want: "unknown field"},
		{name: "wrong type", old: "backoffLimit: 3", new: "backoffLimit: three", want: "Job"},
		{name: "writable root", old: "readOnlyRootFilesystem: true", new: "readOnlyRootFilesystem: false", want: "readOnlyRootFilesystem is not true"},
		{name: "root allowed", old: "runAsNonRoot: true", new: "runAsNonRoot: false", all: true, want: "runAsNonRoot is not set"},
		{name: "capabilities kept", old: `drop: ["ALL"]`, new: `drop: ["NET_RAW"]`, want: "capabilities must drop ALL"},
		{name: "no memory limit", old: "limits:\n              cpu: \"2\"\n              memory: 512Mi", new: "limits:\n              cpu: \"2\"", want: "no memory limits"},
		{name: "no readiness probe on the API", old: "path: /readyz", new: "path: /healthz", want: "readinessProbe must be an HTTP GET of /readyz"},
		{name: "probe on a missing port", old: "httpGet: {path: /healthz, port: http}\n            periodSeconds: 10", new: "httpGet: {path: /healthz, port: web}\n            periodSeconds: 10", want: "livenessProbe port web is not a port"},
		{name: "migration not a pre-upgrade hook", old: "helm.sh/hook: pre-install,pre-upgrade", new: "helm.sh/hook: pre-install", want: "want pre-install and pre-upgrade"},
		{name: "a setting not passed", old: "- name: PIPELINE_LINGER\n", new: "- name: PIPELINE_LINGR\n", all: true, want: "PIPELINE_LINGER is not set"},
		{name: "scale to zero", old: "minReplicaCount: 2", new: "minReplicaCount: 0", want: "want 1 <= minReplicaCount"},
		{name: "KEDA trigger without a connection", old: "connectionFromEnv: DATABASE_URL", new: "connectionFromEnv: DB_URL", want: `connectionFromEnv "DB_URL" is not set`},
		{name: "ServiceMonitor without endpoints' port", old: "    - port: metrics\n      path: /metrics", new: "    - port: prom\n      path: /metrics", want: `has no port named "prom"`},
		{name: "ScaledObject misspelt field", old: "pollingInterval: 15", new: "pollingIntervall: 15", want: "unknown field"},
		{name: "Service targeting a missing port", old: "targetPort: http", new: "targetPort: https", want: "targets https, which pods it selects do not expose"},
		{name: "killed before its shutdown", old: "SHUTDOWN_TIMEOUT\n              value: \"15s\"", new: "SHUTDOWN_TIMEOUT\n              value: \"60s\"", want: "must exceed SHUTDOWN_DELAY + SHUTDOWN_TIMEOUT"},
		{name: "unknown kind", old: "kind: Ingress", new: "kind: Ingres", want: "unexpected apiVersion/kind"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(stream, c.old) {
				t.Fatalf("the fixture has no %q: update the case", c.old)
			}
			broken := strings.Replace(stream, c.old, c.new, 1)
			if c.all {
				broken = strings.ReplaceAll(stream, c.old, c.new)
			}
			_, errs := Check([]byte(broken), Options{ConfigVars: vars})
			var msgs []string
			for _, err := range errs {
				msgs = append(msgs, err.Error())
			}
			if !strings.Contains(strings.Join(msgs, "\n"), c.want) {
				t.Errorf("want a problem containing %q, got %d:\n%s", c.want, len(msgs), strings.Join(msgs, "\n"))
			}
		})
	}
}

func TestExpectedKindsMustBeRendered(t *testing.T) {
	stream, vars := fixture(t)
	_, errs := Check([]byte(stream), Options{ConfigVars: vars, ExpectKinds: []string{"CronJob"}})
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "no CronJob rendered") {
		t.Errorf("got %v, want only: no CronJob rendered", errs)
	}
}
