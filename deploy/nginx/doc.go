// Package nginx holds no code: the directory is the Nginx configuration that docker-compose.yml
// puts in front of the API. Its test runs Debian's nginx with that file, rewritten only where a
// container's names and paths differ from a test's, in front of the real API, and checks the
// catalogue's shared cache, the probes, the private metrics and the request limits through it.
package nginx
