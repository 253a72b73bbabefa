// Package observability holds no code: the directory is the Prometheus, Grafana and
// OpenTelemetry collector configuration of the compose profile "observability". Its tests
// check that every metric the dashboard and the alert rules query is one the API or the worker
// exports, that the alerts link to runbook entries that exist, and that docker-compose.yml and
// these files agree.
package observability
