package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// KeysConfig configures access-token signing.
type KeysConfig struct {
	Secret     []byte        // signs new tokens (HS256), at least 32 bytes
	OldSecrets [][]byte      // still accepted for verification while a rotation completes
	Issuer     string        // iss, checked on every token
	Audience   string        // aud, checked on every token
	TTL        time.Duration // access-token lifetime
}

// Keys issues and verifies access tokens: HS256 JWTs with iss, aud, sub, role, iat, nbf, exp
// and a kid header naming the secret, so that secrets can rotate without logging anybody out.
// Verification follows RFC 8725: one allowed algorithm, known kid, required exp, checked iss,
// aud, nbf and iat.
type Keys struct {
	cfg     KeysConfig
	kid     string
	secrets map[string][]byte
	parser  *jwt.Parser
	now     func() time.Time
}

// NewKeys returns Keys for cfg.
func NewKeys(cfg KeysConfig) (*Keys, error) {
	if len(cfg.Secret) < 32 {
		return nil, errors.New("access-token secret must be at least 32 bytes")
	}
	k := &Keys{cfg: cfg, kid: keyID(cfg.Secret), secrets: map[string][]byte{}, now: time.Now}
	k.secrets[k.kid] = cfg.Secret
	for _, s := range cfg.OldSecrets {
		k.secrets[keyID(s)] = s
	}
	k.parser = jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(cfg.Issuer),
		jwt.WithAudience(cfg.Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(5*time.Second),
		jwt.WithTimeFunc(func() time.Time { return k.now() }),
	)
	return k, nil
}

// keyID names a secret without revealing it.
func keyID(secret []byte) string {
	sum := sha256.Sum256(secret)
	return base64.RawURLEncoding.EncodeToString(sum[:9])
}

type accessClaims struct {
	Role         Role  `json:"role"`
	AuthzVersion int32 `json:"av"`
	jwt.RegisteredClaims
}

// Issue returns a signed access token for the user, who has role at authzVersion, and its
// lifetime.
func (k *Keys) Issue(userID uuid.UUID, role Role, authzVersion int32) (string, time.Duration, error) {
	now := k.now().UTC().Truncate(time.Second)
	claims := accessClaims{
		Role:         role,
		AuthzVersion: authzVersion,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    k.cfg.Issuer,
			Subject:   userID.String(),
			Audience:  jwt.ClaimStrings{k.cfg.Audience},
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(k.cfg.TTL)),
			ID:        uuid.NewString(),
		},
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	tok.Header["kid"] = k.kid
	s, err := tok.SignedString(k.cfg.Secret)
	return s, k.cfg.TTL, err
}

// Verify checks an access token and returns who it speaks for. Any failure (bad signature,
// unknown kid, wrong algorithm, expired, not yet valid, wrong iss or aud, bad sub or role)
// returns ErrInvalidToken.
func (k *Keys) Verify(token string) (Principal, error) {
	var claims accessClaims
	_, err := k.parser.ParseWithClaims(token, &claims, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		secret, ok := k.secrets[kid]
		if !ok {
			return nil, fmt.Errorf("unknown kid %q", kid)
		}
		return secret, nil
	})
	if err != nil {
		return Principal{}, ErrInvalidToken
	}
	id, err := uuid.Parse(claims.Subject)
	if err != nil || !claims.Role.Valid() || claims.NotBefore == nil || claims.IssuedAt == nil {
		return Principal{}, ErrInvalidToken
	}
	return Principal{UserID: id, Role: claims.Role, AuthzVersion: claims.AuthzVersion}, nil
}

// newRefreshToken returns an opaque refresh token and the hash under which it is stored.
func newRefreshToken() (string, []byte, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	tok := "rt_" + base64.RawURLEncoding.EncodeToString(b)
	return tok, hashRefreshToken(tok), nil
}

func hashRefreshToken(tok string) []byte {
	sum := sha256.Sum256([]byte(tok))
	return sum[:]
}
