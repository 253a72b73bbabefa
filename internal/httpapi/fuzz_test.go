package httpapi_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/acme/orders/internal/auth"
)

var (
	fuzzOnce  sync.Once
	fuzzEnv   *env
	fuzzToken string
	fuzzStaff string
)

// fuzzSetup builds one API for all fuzz inputs (the fuzz engine calls the target many times).
func fuzzSetup(t *testing.T) {
	fuzzOnce.Do(func() {
		fuzzEnv = newEnv(t) // only its handler is used, never its server
		fuzzToken = fuzzEnv.newAccount(auth.RoleCustomer).Token
		fuzzStaff = fuzzEnv.newAccount(auth.RoleStaff).Token
	})
	fuzzEnv.t = t
}

// leaks reports whether a body shows internals: SQL, driver or Go error text.
func leaks(body []byte) bool {
	b := strings.ToLower(string(body))
	for _, s := range []string{"sqlstate", "pgx", "syntax error at", "select ", "insert ", "update ", "panic", "goroutine", "runtime error", ".go:"} {
		if strings.Contains(b, s) {
			return true
		}
	}
	return false
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// FuzzProductQuery throws arbitrary query strings at the product list: never a 500, never
// internals in the answer, and an error is always problem+json.
func FuzzProductQuery(f *testing.F) {
	for _, s := range []string{"", "q=mug", "sort=-price_cents&page=2", "page_size=0", "min_price_cents=9223372036854775807",
		"min_price_cents=-1", "q=%27%3B%20DROP%20TABLE%20products%3B--", "q=%00", "q=%E2%82%AC%5C", "in_stock=TRUE",
		"category=%F0%9F%98%80", "page=99999999999999999999", "sort=name;delete", "q=%25%25_%5C", "q=a&q=b", "%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, query string) {
		fuzzSetup(t)
		r := httptest.NewRequest("GET", "/api/v1/products", nil)
		r.URL.RawQuery = query
		w := serve(fuzzEnv.api, r)
		checkFuzzAnswer(t, w)
	})
}

// FuzzJSONBodies throws arbitrary bodies at every JSON endpoint.
func FuzzJSONBodies(f *testing.F) {
	for _, s := range []string{``, `{}`, `[]`, `null`, `{"items":[]}`, `{"items":[{"product_id":"0195f0c4-0000-7000-8000-000000000000","quantity":1}]}`,
		`{"items":[{"product_id":"x","quantity":1e99}]}`, `{"email":"a@b.c","password":"12345678","name":"n"}`, `{"a":1}{"b":2}`,
		`{"items":[{"product_id":"0195f0c4-0000-7000-8000-000000000000","quantity":-2147483649}]}`, `{"price_cents":"1"}`,
		`{"sku":"A","name":"n","category":"c","price_cents":9223372036854775807,"currency":"USD","stock":2147483647}`,
		"{\"name\":\"\u0000\"}", `{"refresh_token":null}`, `"\ud800"`, `{"role":"admin"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		fuzzSetup(t)
		for _, target := range []struct{ method, path, token string }{
			{"POST", "/api/v1/orders", fuzzToken},
			{"POST", "/api/v1/auth/register", ""},
			{"POST", "/api/v1/auth/login", ""},
			{"POST", "/api/v1/auth/refresh", ""},
			{"POST", "/api/v1/products", fuzzStaff},
		} {
			r := httptest.NewRequest(target.method, target.path, bytes.NewReader([]byte(body)))
			r.Header.Set("Content-Type", "application/json")
			if target.token != "" {
				r.Header.Set("Authorization", "Bearer "+target.token)
			}
			checkFuzzAnswer(t, serve(fuzzEnv.api, r))
		}
	})
}

func checkFuzzAnswer(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	if w.Code >= 500 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	if w.Code >= 400 && w.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("error %d without problem+json: %s", w.Code, w.Body)
	}
	if leaks(w.Body.Bytes()) && w.Code >= 400 {
		t.Fatalf("status %d leaks internals: %s", w.Code, w.Body)
	}
}
