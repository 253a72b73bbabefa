package temporal

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"
)

// TLS says how the client secures its connection to the Temporal frontend. The zero value
// dials in plain text, for a frontend on a private network or the dev server. Setting any
// field turns TLS on.
type TLS struct {
	Enabled    bool   // TLS against the system's roots, with none of the files below
	CAFile     string // PEM roots that sign the frontend's certificate, instead of the system's
	CertFile   string // the client's certificate chain (PEM), for mutual TLS; with KeyFile
	KeyFile    string // its private key (PEM)
	ServerName string // the name the frontend's certificate must carry; default: the address's host
}

func (t TLS) on() bool {
	return t.Enabled || t.CAFile != "" || t.CertFile != "" || t.KeyFile != "" || t.ServerName != ""
}

// config builds the client's tls.Config, or nil when TLS is off. The files are read now, so
// that a missing or malformed one stops the process at start; the client certificate is read
// again whenever its files change, so a certificate renewed on disk (cert-manager, Vault) is
// used by the next connection without a restart.
func (t TLS) config() (*tls.Config, error) {
	if !t.on() {
		return nil, nil
	}
	c := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: t.ServerName}
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, fmt.Errorf("temporal TLS: read the CA file: %w", err)
		}
		c.RootCAs = x509.NewCertPool()
		if !c.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("temporal TLS: %s holds no PEM certificate", t.CAFile)
		}
	}
	if t.CertFile != "" || t.KeyFile != "" {
		if t.CertFile == "" || t.KeyFile == "" {
			return nil, errors.New("temporal TLS: a client certificate needs both its certificate and its key file")
		}
		kp := &keyPair{certFile: t.CertFile, keyFile: t.KeyFile}
		if _, err := kp.get(nil); err != nil {
			return nil, err
		}
		c.GetClientCertificate = kp.get
	}
	return c, nil
}

// keyPair is a client certificate read from files, read again when either file's
// modification time changes.
type keyPair struct {
	certFile, keyFile string

	mu      sync.Mutex
	cert    *tls.Certificate
	certMod time.Time
	keyMod  time.Time
}

func (k *keyPair) get(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	cs, cerr := os.Stat(k.certFile)
	ks, kerr := os.Stat(k.keyFile)
	if cerr == nil && kerr == nil && k.cert != nil && cs.ModTime().Equal(k.certMod) && ks.ModTime().Equal(k.keyMod) {
		return k.cert, nil
	}
	cert, err := tls.LoadX509KeyPair(k.certFile, k.keyFile)
	if err != nil {
		if k.cert != nil {
			// A renewal caught half-written: keep the certificate that worked until both
			// files are in place.
			return k.cert, nil
		}
		return nil, fmt.Errorf("temporal TLS: load the client certificate: %w", err)
	}
	k.cert = &cert
	if cerr == nil && kerr == nil {
		k.certMod, k.keyMod = cs.ModTime(), ks.ModTime()
	}
	return k.cert, nil
}
