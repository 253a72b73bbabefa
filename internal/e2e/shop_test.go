package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/catalog"
)

// shop is a small catalogue and a few signed-in customers.
type shop struct {
	products []catalog.Product
	users    []uuid.UUID
	tokens   []string
	staff    string
}

func (s *stack) openShop(nProducts, nUsers int) *shop {
	s.t.Helper()
	ctx := context.Background()
	sh := &shop{}
	for i := range nProducts {
		p, err := s.catalog.Create(ctx, catalog.Product{SKU: "E2E-" + strings.ToUpper(uuid.NewString()[:8]), Name: fmt.Sprintf("Thing %d", i),
			Category: "Things", PriceCents: int64(250 + 100*i), Currency: "USD", Stock: 1_000_000})
		if err != nil {
			s.t.Fatal(err)
		}
		sh.products = append(sh.products, p)
	}
	for i := range nUsers {
		role := auth.RoleCustomer
		if i == 0 {
			role = auth.RoleStaff
		}
		u, err := s.auth.CreateUser(ctx, auth.Registration{Email: uuid.NewString()[:10] + "@example.com", Password: "long enough", Name: "E2E"}, role)
		if err != nil {
			s.t.Fatal(err)
		}
		tok, _, _ := s.keys.Issue(u.ID, role, u.AuthzVersion)
		if i == 0 {
			sh.staff = tok
			continue
		}
		sh.users, sh.tokens = append(sh.users, u.ID), append(sh.tokens, tok)
	}
	return sh
}

// placeHTTP places one order through the API and returns its ID.
func (s *stack) placeHTTP(token string, lines ...any) (string, int) {
	s.t.Helper()
	var items []map[string]any
	for i := 0; i < len(lines); i += 2 {
		items = append(items, map[string]any{"product_id": lines[i], "quantity": lines[i+1]})
	}
	body, _ := json.Marshal(map[string]any{"items": items})
	req, _ := http.NewRequest("POST", s.api.URL+"/api/v1/orders", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	var o struct{ ID string }
	_ = json.NewDecoder(res.Body).Decode(&o)
	return o.ID, res.StatusCode
}

func (s *stack) getJSON(token, path string, v any) int {
	s.t.Helper()
	return fetchJSON(s.t, s.api.URL+path, token, v)
}

// fetchJSON GETs url (with the bearer token, if any), decodes the body into v (if not nil) and
// returns the status.
func fetchJSON(t *testing.T, url, token string, v any) int {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if v != nil {
		_ = json.NewDecoder(res.Body).Decode(v)
	}
	return res.StatusCode
}

// expectFreshReplay fails the test unless every read model equals a replay of the whole log
// into it from scratch (with the workers stopped).
func (s *stack) expectFreshReplay(when string) {
	s.t.Helper()
	live := s.checksums()
	ctx := context.Background()
	for _, name := range s.runner.Names() {
		if err := s.runner.Reset(ctx, name); err != nil {
			s.t.Fatal(err)
		}
		for {
			p, err := s.runner.ApplyNext(ctx, name, 100000)
			if err != nil {
				s.t.Fatal(err)
			}
			if p.Lag() == 0 {
				break
			}
		}
	}
	if fresh := s.checksums(); !maps.Equal(fresh, live) {
		s.t.Fatalf("read models %s %v differ from a fresh replay %v", when, live, fresh)
	}
}

func (s *stack) checksums() map[string]string {
	s.t.Helper()
	out := map[string]string{}
	for _, name := range s.runner.Names() {
		rows, sum, err := s.runner.Checksum(context.Background(), name)
		if err != nil {
			s.t.Fatal(err)
		}
		out[name] = fmt.Sprintf("%d rows %s", rows, sum)
	}
	return out
}

func (s *stack) post(token, path string) (int, string) {
	s.t.Helper()
	req, _ := http.NewRequest("POST", s.api.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(res.Body)
	return res.StatusCode, b.String()
}

func (s *stack) token(role auth.Role) string {
	s.t.Helper()
	u, err := s.auth.CreateUser(context.Background(), auth.Registration{Email: uuid.NewString()[:10] + "@example.com", Password: "long enough", Name: "T"}, role)
	if err != nil {
		s.t.Fatal(err)
	}
	tok, _, _ := s.keys.Issue(u.ID, role, u.AuthzVersion)
	return tok
}
