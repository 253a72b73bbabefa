package observability_test

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/acme/orders/activities"
	"github.com/acme/orders/internal/ai"
	"github.com/acme/orders/internal/httpapi"
	"github.com/acme/orders/internal/platform/cache"
	"github.com/acme/orders/internal/platform/pgtest"
	"github.com/acme/orders/internal/platform/temporal"
	"github.com/acme/orders/internal/projection"
	"github.com/acme/orders/internal/prompt"
	"github.com/acme/orders/internal/readmodel"
	"github.com/acme/orders/internal/recommend"
	"github.com/acme/orders/internal/search"
)

// exported is what each scrape job can find: metric family names by job ("api", "worker").
type exported map[string]map[string]bool

// prometheusSeries are the series Prometheus makes for every target it scrapes.
var prometheusSeries = []string{"up", "scrape_duration_seconds", "scrape_samples_scraped"}

// exportedMetrics builds the API's and the worker's registries with the constructors cmd/api
// and cmd/worker use, and returns the names of the families they export. The API's are read by
// scraping its metrics handler over HTTP, with a migrated database behind its pool and
// pipeline collectors (which export nothing when their query fails), after one request has
// been served; metric vectors that have no series yet are found through Describe.
func exportedMetrics(t *testing.T) exported {
	t.Helper()
	ctx := context.Background()
	db, err := pgtest.Create(ctx, "observability")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Drop)

	// The API, as cmd/api wires its metrics: pool, pipeline figures and the extra collectors.
	aiClient, err := ai.New(ai.Config{Provider: ai.Local}, ai.NewMetrics(nil))
	if err != nil {
		t.Fatal(err)
	}
	pool := db.Pool
	index := search.Index{Embedder: search.WordVectors{M: aiClient.Local().Model()}}
	pipeline := &httpapi.Pipeline{Admin: projection.NewAdmin(projection.NewPublisher(pool),
		projection.NewRunner(pool, readmodel.OrderHistory{}, readmodel.ProductSales{}, index, recommend.CoPurchase{}),
		temporal.Rebuilds{})}
	extra := []prometheus.Collector{aiClient.Metrics(), prompt.Collector(), cache.NewViewMetrics()}
	api := httpapi.New(httpapi.Config{}, httpapi.Deps{Pool: pool, Pipeline: pipeline, Checks: nil, Collectors: extra})
	api.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/healthz", nil))

	srv := httptest.NewServer(api.MetricsHandler())
	defer srv.Close()
	apiNames := scrape(t, srv.URL)
	for _, c := range extra {
		for n := range described(t, c) {
			apiNames[n] = true
		}
	}

	// The worker, as cmd/worker builds its registry.
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	ai.NewMetrics(reg)
	activities.NewMetrics(reg)
	workerNames := described(t, reg)

	for _, names := range []map[string]bool{apiNames, workerNames} {
		for _, n := range prometheusSeries {
			names[n] = true
		}
	}
	return exported{"api": apiNames, "worker": workerNames}
}

// scrape reads the family names of a Prometheus text exposition.
func scrape(t *testing.T, url string) map[string]bool {
	t.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET /metrics: %s", resp.Status)
	}
	names := map[string]bool{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) >= 4 && f[0] == "#" && f[1] == "TYPE" {
			names[f[2]] = true
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return names
}

var fqName = regexp.MustCompile(`fqName: "([^"]+)"`)

// described returns the names of the families c describes, including those without a series.
func described(t *testing.T, c prometheus.Collector) map[string]bool {
	t.Helper()
	ch := make(chan *prometheus.Desc)
	go func() { c.Describe(ch); close(ch) }()
	names := map[string]bool{}
	for d := range ch {
		m := fqName.FindStringSubmatch(d.String())
		if m == nil {
			t.Fatalf("cannot read the name of %s", d)
		}
		names[m[1]] = true
	}
	return names
}

// histogramSuffixes are the series a histogram family exposes under its name.
var histogramSuffixes = []string{"_bucket", "_sum", "_count"}

// has says whether names holds metric, as a family or as one of a histogram's series.
func has(names map[string]bool, metric string) bool {
	if names[metric] {
		return true
	}
	for _, s := range histogramSuffixes {
		if base, ok := strings.CutSuffix(metric, s); ok && names[base] {
			return true
		}
	}
	return false
}

// check says whether the job sel names exports its metric or, when it names none, whether
// either job does.
func (e exported) check(sel selector) bool {
	if sel.Job != "" {
		return has(e[sel.Job], sel.Metric)
	}
	for _, names := range e {
		if has(names, sel.Metric) {
			return true
		}
	}
	return false
}
