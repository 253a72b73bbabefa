// Package e2e holds the end-to-end drills of the event pipeline: the real API, the real worker
// binary, a real Temporal dev server (bin/temporal) and the real PostgreSQL, with outages,
// restarts and kills. It has no code outside its tests.
package e2e
