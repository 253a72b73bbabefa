package temporal

import "crypto/tls"

// ClientCertificate returns the callback that gives the TLS handshake the client's
// certificate, for tests of its renewal.
func ClientCertificate(t TLS) (func(*tls.CertificateRequestInfo) (*tls.Certificate, error), error) {
	c, err := t.config()
	if err != nil {
		return nil, err
	}
	return c.GetClientCertificate, nil
}
