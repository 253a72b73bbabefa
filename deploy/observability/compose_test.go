package observability_test

import (
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// compose is the part of the Compose specification docker-compose.yml uses; decoding refuses
// any other field, so a misspelt key fails here rather than being ignored by Compose.
type compose struct {
	Name       string                    `yaml:"name"`
	Services   map[string]composeService `yaml:"services"`
	Volumes    map[string]any            `yaml:"volumes"`
	Extensions map[string]any            `yaml:",inline"` // x-* fields (anchors)
}

type composeService struct {
	Image       string                                `yaml:"image"`
	Build       *struct{ Context, Dockerfile string } `yaml:"build"`
	Profiles    []string                              `yaml:"profiles"`
	Entrypoint  []string                              `yaml:"entrypoint"`
	Command     []string                              `yaml:"command"`
	User        string                                `yaml:"user"`
	Environment map[string]string                     `yaml:"environment"`
	Volumes     []string                              `yaml:"volumes"`
	Ports       []string                              `yaml:"ports"`
	DependsOn   map[string]struct {
		Condition string `yaml:"condition"`
		Restart   bool   `yaml:"restart"`
	} `yaml:"depends_on"`
	Healthcheck *struct {
		Test              []string
		Interval, Timeout string
		Retries           int
		StartPeriod       string `yaml:"start_period"`
	} `yaml:"healthcheck"`
	Restart string `yaml:"restart"`
}

const (
	composePath = "../../docker-compose.yml"
	profile     = "observability"
)

// The services `docker compose up` starts without a profile, and those of the profile.
var (
	defaultServices = []string{"postgres", "redis", "temporal", "migrate", "seed", "worker", "api", "nginx"}
	profileServices = []string{"prometheus", "grafana", "otel-collector", "jaeger"}
)

func readCompose(t *testing.T) compose {
	t.Helper()
	var c compose
	decodeYAML(t, composePath, &c)
	for k := range c.Extensions {
		if !strings.HasPrefix(k, "x-") {
			t.Errorf("docker-compose.yml: unknown top-level field %q", k)
		}
	}
	return c
}

// TestCompose checks docker-compose.yml: the default services are unchanged by the profile,
// the profile's images are pinned and its files exist, dependencies and volumes resolve, and
// the API and the worker get OTEL_EXPORTER_OTLP_ENDPOINT empty unless it is set.
func TestCompose(t *testing.T) {
	t.Parallel()
	c := readCompose(t)
	var byDefault, inProfile []string
	for name, s := range c.Services {
		switch {
		case len(s.Profiles) == 0:
			byDefault = append(byDefault, name)
		case slices.Equal(s.Profiles, []string{profile}):
			inProfile = append(inProfile, name)
		default:
			t.Errorf("%s: profiles %v", name, s.Profiles)
		}
	}
	slices.Sort(byDefault)
	slices.Sort(inProfile)
	if want := slices.Sorted(slices.Values(defaultServices)); !slices.Equal(byDefault, want) {
		t.Errorf("services without a profile: %v, want %v", byDefault, want)
	}
	if want := slices.Sorted(slices.Values(profileServices)); !slices.Equal(inProfile, want) {
		t.Errorf("services of profile %s: %v, want %v", profile, inProfile, want)
	}

	for name, s := range c.Services {
		if s.Image == "" {
			t.Errorf("%s: no image", name)
		}
		if slices.Contains(s.Profiles, profile) {
			if _, tag, ok := strings.Cut(s.Image, ":"); !ok || tag == "latest" || tag == "" {
				t.Errorf("%s: image %q is not pinned to a version", name, s.Image)
			}
		}
		for dep := range s.DependsOn {
			d, ok := c.Services[dep]
			if !ok {
				t.Errorf("%s depends on %s, which is not a service", name, dep)
			} else if len(s.Profiles) == 0 && len(d.Profiles) > 0 {
				t.Errorf("%s starts by default but depends on %s of profile %v", name, dep, d.Profiles)
			}
		}
		for _, v := range s.Volumes {
			src, _, ok := strings.Cut(v, ":")
			if !ok {
				t.Errorf("%s: volume %q has no target", name, v)
				continue
			}
			if strings.HasPrefix(src, ".") {
				if _, err := os.Stat(filepath.Join("../..", src)); err != nil {
					t.Errorf("%s: mounts %s: %v", name, src, err)
				}
			} else if _, ok := c.Volumes[src]; !ok {
				t.Errorf("%s: volume %s is not declared", name, src)
			}
		}
		for _, p := range s.Ports {
			if host, _, ok := strings.Cut(p, ":"); ok && slices.Contains(s.Profiles, profile) && host != "127.0.0.1" {
				t.Errorf("%s: port %q is not bound to localhost", name, p)
			}
		}
	}

	for _, name := range []string{"api", "worker"} {
		if got := c.Services[name].Environment["OTEL_EXPORTER_OTLP_ENDPOINT"]; got != "${OTEL_EXPORTER_OTLP_ENDPOINT:-}" {
			t.Errorf("%s: OTEL_EXPORTER_OTLP_ENDPOINT = %q, want empty unless set", name, got)
		}
	}
}

// TestPrometheusScrapesComposeServices checks that prometheus.yml scrapes the api and worker
// services on the ports of their METRICS_ADDR and WORKER_METRICS_ADDR, and loads the alerts.
func TestPrometheusScrapesComposeServices(t *testing.T) {
	t.Parallel()
	c := readCompose(t)
	var p struct {
		Global        map[string]string `yaml:"global"`
		RuleFiles     []string          `yaml:"rule_files"`
		ScrapeConfigs []struct {
			JobName      string `yaml:"job_name"`
			DNSSDConfigs []struct {
				Names           []string `yaml:"names"`
				Type            string   `yaml:"type"`
				Port            string   `yaml:"port"`
				RefreshInterval string   `yaml:"refresh_interval"`
			} `yaml:"dns_sd_configs"`
		} `yaml:"scrape_configs"`
	}
	decodeYAML(t, "prometheus/prometheus.yml", &p)

	want := map[string]string{ // job and service → the variable of its metrics address
		"api":    "METRICS_ADDR",
		"worker": "WORKER_METRICS_ADDR",
	}
	found := map[string]bool{}
	for _, sc := range p.ScrapeConfigs {
		env, ok := want[sc.JobName]
		if !ok {
			t.Errorf("scrape job %s: not a service Prometheus should scrape", sc.JobName)
			continue
		}
		found[sc.JobName] = true
		_, port, err := net.SplitHostPort(c.Services[sc.JobName].Environment[env])
		if err != nil {
			t.Errorf("%s: %s: %v", sc.JobName, env, err)
		}
		if len(sc.DNSSDConfigs) != 1 || !slices.Equal(sc.DNSSDConfigs[0].Names, []string{sc.JobName}) || sc.DNSSDConfigs[0].Port != port {
			t.Errorf("scrape job %s: %+v, want the %s service on port %s", sc.JobName, sc.DNSSDConfigs, sc.JobName, port)
		}
	}
	for job := range want {
		if !found[job] {
			t.Errorf("no scrape job %s", job)
		}
	}

	// The rule files are where compose mounts alerts.yml.
	mounted := map[string]string{}
	for _, v := range c.Services["prometheus"].Volumes {
		if parts := strings.Split(v, ":"); len(parts) >= 2 {
			mounted[parts[1]] = parts[0]
		}
	}
	for _, f := range p.RuleFiles {
		if filepath.Clean(mounted[f]) != filepath.Clean("./deploy/observability/"+rulesPath) {
			t.Errorf("rule file %s is not deploy/observability/%s as mounted (%v)", f, rulesPath, mounted)
		}
	}
	if len(p.RuleFiles) == 0 {
		t.Error("prometheus.yml loads no rule files")
	}
}

// TestCollectorSendsToJaeger checks that the collector's trace pipeline uses only components it
// defines and exports to a service of the compose file.
func TestCollectorSendsToJaeger(t *testing.T) {
	t.Parallel()
	c := readCompose(t)
	var col struct {
		Receivers  map[string]any `yaml:"receivers"`
		Processors map[string]any `yaml:"processors"`
		Exporters  map[string]struct {
			Endpoint string         `yaml:"endpoint"`
			TLS      map[string]any `yaml:"tls"`
		} `yaml:"exporters"`
		Service struct {
			Pipelines map[string]struct {
				Receivers, Processors, Exporters []string
			} `yaml:"pipelines"`
		} `yaml:"service"`
	}
	decodeYAML(t, "otel-collector.yml", &col)
	traces, ok := col.Service.Pipelines["traces"]
	if !ok || len(traces.Receivers) == 0 || len(traces.Exporters) == 0 {
		t.Fatalf("no traces pipeline with receivers and exporters: %+v", col.Service.Pipelines)
	}
	for _, r := range traces.Receivers {
		if _, ok := col.Receivers[r]; !ok {
			t.Errorf("receiver %s is not defined", r)
		}
	}
	for _, p := range traces.Processors {
		if _, ok := col.Processors[p]; !ok {
			t.Errorf("processor %s is not defined", p)
		}
	}
	for _, e := range traces.Exporters {
		ex, ok := col.Exporters[e]
		if !ok {
			t.Errorf("exporter %s is not defined", e)
			continue
		}
		host, _, err := net.SplitHostPort(ex.Endpoint)
		if err != nil {
			t.Errorf("exporter %s: endpoint %q: %v", e, ex.Endpoint, err)
		} else if s, ok := c.Services[host]; !ok || !slices.Contains(s.Profiles, profile) {
			t.Errorf("exporter %s sends to %s, not a service of profile %s", e, host, profile)
		}
	}
}
