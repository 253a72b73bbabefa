// Package freeport finds loopback ports for tests that start servers of their own (a Redis,
// nginx, the API binary): a port the system just handed out and that nothing listens on.
package freeport

import (
	"net"
	"strconv"
	"testing"
)

// Port returns a free TCP port on 127.0.0.1.
func Port(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// Addr returns 127.0.0.1:port for a free port.
func Addr(t testing.TB) string {
	t.Helper()
	return "127.0.0.1:" + strconv.Itoa(Port(t))
}
