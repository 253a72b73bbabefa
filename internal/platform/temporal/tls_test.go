package temporal_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/acme/orders/internal/platform/temporal"
)

// testCA is a certificate authority made for one test.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
}

func newCA(t *testing.T) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return &testCA{cert: cert, key: key, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// issue signs a certificate for name (a server's DNS name, or a client's common name) and
// returns its chain and key in PEM.
func (ca *testCA) issue(t *testing.T, name string, usage x509.ExtKeyUsage) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
}

func writeFile(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestTLSAndAPIKey puts the dev server behind a TLS-terminating gRPC proxy that asks for a
// client certificate from its CA and a bearer API key, as a secured cluster or Temporal Cloud
// does, and checks that the client reaches Temporal through it only with the right roots,
// certificate, server name and key, and that each setting left out is refused.
func TestTLSAndAPIKey(t *testing.T) {
	srv := startDevServer(t)
	dir := t.TempDir()
	ca, otherCA := newCA(t), newCA(t)
	serverCert, serverKey := ca.issue(t, "temporal.test", x509.ExtKeyUsageServerAuth)
	clientCert, clientKey := ca.issue(t, "orders-worker", x509.ExtKeyUsageClientAuth)
	strangerCert, strangerKey := otherCA.issue(t, "stranger", x509.ExtKeyUsageClientAuth)
	files := map[string]string{
		"ca": writeFile(t, dir, "ca.pem", ca.pem), "other-ca": writeFile(t, dir, "other-ca.pem", otherCA.pem),
		"cert": writeFile(t, dir, "client.pem", clientCert), "key": writeFile(t, dir, "client-key.pem", clientKey),
		"stranger-cert": writeFile(t, dir, "stranger.pem", strangerCert), "stranger-key": writeFile(t, dir, "stranger-key.pem", strangerKey),
	}

	const apiKey = "test-api-key"
	var proxied atomic.Int64
	addr := tlsProxy(t, "http://"+srv.FrontendHostPort(), serverCert, serverKey, ca.pem, func(r *http.Request) bool {
		if r.Header.Get("Authorization") != "Bearer "+apiKey {
			return false
		}
		proxied.Add(1)
		return true
	})

	good := temporal.TLS{CAFile: files["ca"], CertFile: files["cert"], KeyFile: files["key"], ServerName: "temporal.test"}
	dial := func(tlsOpts temporal.TLS, key string) error {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		c, err := temporal.Dial(ctx, temporal.Options{Address: addr, TLS: tlsOpts, APIKey: key})
		if err != nil {
			return err
		}
		defer c.Close()
		return temporal.Ping(ctx, c)
	}

	if err := dial(good, apiKey); err != nil {
		t.Fatalf("with the CA, a client certificate, the server name and the API key: %v", err)
	}
	if proxied.Load() == 0 {
		t.Fatal("the proxy passed no call on: the client did not go through it")
	}

	refused := map[string]struct {
		tls temporal.TLS
		key string
	}{
		"plain text":                  {temporal.TLS{}, apiKey},
		"no API key":                  {good, ""},
		"a wrong API key":             {good, "guessed"},
		"no client certificate":       {temporal.TLS{CAFile: files["ca"], ServerName: "temporal.test"}, apiKey},
		"a certificate of another CA": {temporal.TLS{CAFile: files["ca"], CertFile: files["stranger-cert"], KeyFile: files["stranger-key"], ServerName: "temporal.test"}, apiKey},
		"the system's roots":          {temporal.TLS{CertFile: files["cert"], KeyFile: files["key"], ServerName: "temporal.test"}, apiKey},
		"roots of another CA":         {temporal.TLS{CAFile: files["other-ca"], CertFile: files["cert"], KeyFile: files["key"], ServerName: "temporal.test"}, apiKey},
		"another server name":         {temporal.TLS{CAFile: files["ca"], CertFile: files["cert"], KeyFile: files["key"], ServerName: "elsewhere.test"}, apiKey},
	}
	for name, c := range refused {
		if err := dial(c.tls, c.key); err == nil {
			t.Errorf("with %s the client reached Temporal, want it refused", name)
		}
	}

	// Files that cannot serve fail at once, naming the problem, before any connection.
	for name, opts := range map[string]temporal.TLS{
		"a missing CA file":         {CAFile: filepath.Join(dir, "absent.pem")},
		"a CA file with no PEM":     {CAFile: files["key"]},
		"a certificate without key": {CertFile: files["cert"]},
		"a key that does not match": {CertFile: files["cert"], KeyFile: files["stranger-key"]},
	} {
		if _, err := temporal.NewLazy(temporal.Options{Address: addr, TLS: opts}); err == nil {
			t.Errorf("%s was accepted", name)
		}
	}
}

// tlsProxy serves HTTP/2 over TLS on a free port, requiring a client certificate signed by
// clientCA, and forwards each gRPC call that allow accepts to backend over plain-text HTTP/2;
// others get 401. It returns the proxy's host:port.
func tlsProxy(t *testing.T, backend string, certPEM, keyPEM, clientCA []byte, allow func(*http.Request) bool) string {
	t.Helper()
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(clientCA)
	target, _ := url.Parse(backend)
	h2c := &http.Transport{Protocols: new(http.Protocols)}
	h2c.Protocols.SetUnencryptedHTTP2(true)
	rp := &httputil.ReverseProxy{
		Rewrite:       func(r *httputil.ProxyRequest) { r.SetURL(target) },
		Transport:     h2c,
		FlushInterval: -1,
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !allow(r) {
				http.Error(w, "unauthenticated", http.StatusUnauthorized)
				return
			}
			rp.ServeHTTP(w, r)
		}),
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}, ClientAuth: tls.RequireAndVerifyClientCert,
			ClientCAs: roots, NextProtos: []string{"h2"}, MinVersion: tls.VersionTLS12},
		ReadHeaderTimeout: 5 * time.Second,
	}
	go func() { _ = hs.ServeTLS(ln, "", "") }()
	t.Cleanup(func() { _ = hs.Close() })
	return ln.Addr().String()
}

// TestClientCertificateRenewedOnDisk: a certificate replaced on disk (as cert-manager or Vault
// renew them) is what the next handshake presents, without a restart; a renewal caught
// half-written keeps the certificate that worked.
func TestClientCertificateRenewedOnDisk(t *testing.T) {
	dir, ca := t.TempDir(), newCA(t)
	first, firstKey := ca.issue(t, "first", x509.ExtKeyUsageClientAuth)
	opts := temporal.TLS{CertFile: writeFile(t, dir, "tls.crt", first), KeyFile: writeFile(t, dir, "tls.key", firstKey)}
	get, err := temporal.ClientCertificate(opts)
	if err != nil {
		t.Fatal(err)
	}
	name := func() string {
		t.Helper()
		c, err := get(nil)
		if err != nil {
			t.Fatal(err)
		}
		leaf, err := x509.ParseCertificate(c.Certificate[0])
		if err != nil {
			t.Fatal(err)
		}
		return leaf.Subject.CommonName
	}
	if got := name(); got != "first" {
		t.Fatalf("presents %q, want first", got)
	}
	renewed, renewedKey := ca.issue(t, "renewed", x509.ExtKeyUsageClientAuth)
	later := time.Now().Add(time.Minute)
	writeFile(t, dir, "tls.crt", renewed) // the key is still the old one: half-written
	_ = os.Chtimes(opts.CertFile, later, later)
	if got := name(); got != "first" {
		t.Fatalf("with the certificate renewed but not its key, presents %q, want the working first", got)
	}
	writeFile(t, dir, "tls.key", renewedKey)
	_ = os.Chtimes(opts.KeyFile, later, later)
	if got := name(); got != "renewed" {
		t.Fatalf("after the renewal presents %q, want renewed", got)
	}
}
