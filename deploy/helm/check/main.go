// Command check validates the chart's rendered manifests offline (make helm-check): every
// document is decoded strictly into its k8s.io/api type (an unknown or misplaced field is an
// error), the custom resources (KEDA ScaledObject, ServiceMonitor) into the subset of their
// schema the chart uses, and the invariants the chart promises are checked across documents:
// non-root read-only containers with resources, the API's probes, the migration hook, the
// environment every process reads, and references between objects.
//
//	helm template orders deploy/helm/orders > /tmp/orders.yaml
//	go run ./deploy/helm/check -config internal/platform/config/config.go \
//	    -expect ScaledObject,ServiceMonitor /tmp/orders.yaml
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

func main() {
	configPath := flag.String("config", "internal/platform/config/config.go", "the Go file whose environment variables every process must be given")
	expect := flag.String("expect", "", "comma-separated kinds that must be rendered, besides the API, worker and migration objects")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: check [-config config.go] [-expect Kind,...] rendered.yaml...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	src, err := os.ReadFile(*configPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "check:", err)
		os.Exit(2)
	}
	vars, err := ConfigVars(src)
	if err != nil {
		fmt.Fprintln(os.Stderr, "check:", err)
		os.Exit(2)
	}
	var kinds []string
	for _, k := range strings.Split(*expect, ",") {
		if k = strings.TrimSpace(k); k != "" {
			kinds = append(kinds, k)
		}
	}
	failed := false
	for _, path := range flag.Args() {
		stream, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "check:", err)
			os.Exit(2)
		}
		n, errs := Check(stream, Options{ConfigVars: vars, ExpectKinds: kinds})
		if len(errs) > 0 {
			failed = true
			fmt.Fprintf(os.Stderr, "%s: %d problem(s):\n", path, len(errs))
			for _, e := range errs {
				fmt.Fprintln(os.Stderr, "  "+e.Error())
			}
			continue
		}
		fmt.Printf("%s: %d documents valid\n", path, n)
	}
	if failed {
		os.Exit(1)
	}
}
