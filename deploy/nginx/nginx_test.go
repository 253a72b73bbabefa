package nginx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/catalog"
	"github.com/acme/orders/internal/httpapi"
	"github.com/acme/orders/internal/platform/freeport"
	"github.com/acme/orders/internal/platform/pgtest"
)

// configFor returns nginx.conf with the container's user, paths, upstream and port replaced by
// the test's. Each replacement must match exactly once, so a change of the file's shape fails
// here rather than leaving the test on a configuration of its own.
func configFor(t *testing.T, dir, upstream, listen string) string {
	t.Helper()
	src, err := os.ReadFile("nginx.conf")
	if err != nil {
		t.Fatal(err)
	}
	conf := string(src)
	for _, r := range []struct{ old, new string }{
		// The workers run as the test's user (as root, nginx would switch them to nobody,
		// who cannot write the test's directories).
		{"user  nginx;\n", map[bool]string{true: "user  root;\n", false: ""}[os.Geteuid() == 0]},
		{"/var/log/nginx/error.log", filepath.Join(dir, "error.log")},
		{"/var/run/nginx.pid", filepath.Join(dir, "nginx.pid")},
		{"/var/log/nginx/access.log", filepath.Join(dir, "access.log")},
		{"/var/cache/nginx/catalog", filepath.Join(dir, "catalog")},
		{"server api:8080;", "server " + upstream + ";"},
		{"listen       80;", "listen       " + listen + ";"},
		{"include       /etc/nginx/mime.types;", "include       /etc/nginx/mime.types;\n    client_body_temp_path " + filepath.Join(dir, "body") +
			";\n    proxy_temp_path " + filepath.Join(dir, "proxy") + ";"},
	} {
		if n := strings.Count(conf, r.old); n != 1 {
			t.Fatalf("nginx.conf holds %q %d times, want once: the test's rewrite must follow the file", r.old, n)
		}
		conf = strings.Replace(conf, r.old, r.new, 1)
	}
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestNginxInFrontOfTheAPI runs Debian's nginx with deploy/nginx/nginx.conf in front of the
// real API and checks what the file promises: anonymous catalogue answers are kept and
// served from its cache (MISS, then HIT), a request with a token passes by it and its answer
// is not kept, an entry past its max-age is served while it is revalidated and then shows the
// change; probes reach the API, /metrics does not; a client's valid X-Request-ID is passed on
// and an invalid one replaced; bodies over 1 MiB are refused.
func TestNginxInFrontOfTheAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("runs nginx: in the full suite (make test)")
	}
	bin, err := exec.LookPath("nginx")
	if err != nil {
		t.Fatal("nginx is not installed: run make nginx (Debian's nginx-light)")
	}
	ctx := context.Background()
	db, err := pgtest.Create(ctx, "nginx")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Drop)
	keys, err := auth.NewKeys(auth.KeysConfig{Secret: []byte(strings.Repeat("k", 40)), Issuer: "orders-api", Audience: "orders", TTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	authn := auth.NewService(auth.NewPostgresStore(db.Pool), keys, time.Hour)
	cat := catalog.NewService(catalog.NewPostgresStore(db.Pool))
	p, err := cat.Create(ctx, catalog.Product{SKU: "NGX-1", Name: "Lantern", Category: "Camping", PriceCents: 1500, Currency: "EUR", Stock: 10})
	if err != nil {
		t.Fatal(err)
	}
	u, err := authn.CreateUser(ctx, auth.Registration{Email: "nginx@example.com", Password: "long enough", Name: "N"}, auth.RoleCustomer)
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := keys.Issue(u.ID, auth.RoleCustomer, u.AuthzVersion)
	if err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(httpapi.New(httpapi.Config{RequestTimeout: 10 * time.Second, TrustProxyHeaders: true},
		httpapi.Deps{Auth: authn, Catalog: cat, Pool: db.Pool}))
	t.Cleanup(api.Close)

	dir := t.TempDir()
	listen := freeport.Addr(t)
	conf := configFor(t, dir, strings.TrimPrefix(api.URL, "http://"), listen)
	if out, err := exec.Command(bin, "-t", "-c", conf, "-p", dir).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t: %v\n%s", err, out)
	}
	ngx := exec.Command(bin, "-c", conf, "-p", dir, "-g", "daemon off;")
	var stderr bytes.Buffer
	ngx.Stderr = &stderr
	if err := ngx.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ngx.Process.Kill(); _ = ngx.Wait() })
	base := "http://" + listen

	type answer struct {
		status int
		header http.Header
		body   string
	}
	get := func(path string, header map[string]string) answer {
		t.Helper()
		req, _ := http.NewRequest("GET", base+path, nil)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("GET %s through nginx: %v (nginx: %s)", path, err, stderr.String())
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return answer{res.StatusCode, res.Header, string(b)}
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		conn, err := net.Dial("tcp", listen)
		if err == nil {
			conn.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("nginx does not listen: %v\n%s", err, stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}

	price := func(a answer) int64 {
		t.Helper()
		var v struct {
			PriceCents int64 `json:"price_cents"`
		}
		if err := json.Unmarshal([]byte(a.body), &v); err != nil {
			t.Fatalf("product answer %d %q: %v", a.status, a.body, err)
		}
		return v.PriceCents
	}
	page := "/api/v1/products/" + p.ID.String()
	first := get(page, nil)
	if first.status != 200 || first.header.Get("X-Cache-Status") != "MISS" || !strings.Contains(first.header.Get("Cache-Control"), "public") {
		t.Fatalf("first anonymous read: %d, X-Cache-Status %q, Cache-Control %q; want 200, MISS, public\n%s\nnginx error log:\n%s",
			first.status, first.header.Get("X-Cache-Status"), first.header.Get("Cache-Control"), first.body, readFile(filepath.Join(dir, "error.log")))
	}
	if second := get(page, nil); second.header.Get("X-Cache-Status") != "HIT" || second.body != first.body {
		t.Fatalf("second anonymous read: X-Cache-Status %q, same body %v; want HIT and the same body", second.header.Get("X-Cache-Status"), second.body == first.body)
	}
	signed := get(page, map[string]string{"Authorization": "Bearer " + token})
	if signed.status != 200 || signed.header.Get("X-Cache-Status") != "BYPASS" || signed.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("read with a token: %d, X-Cache-Status %q, Cache-Control %q; want 200, BYPASS, no-store",
			signed.status, signed.header.Get("X-Cache-Status"), signed.header.Get("Cache-Control"))
	}

	// A change: the kept entry answers until its second has passed, then is served while one
	// request revalidates it, and the change shows.
	changed := int64(1999)
	if _, err := cat.Update(ctx, p.ID, catalog.Patch{PriceCents: &changed}); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	deadline = time.Now().Add(15 * time.Second)
	for {
		a := get(page, nil)
		seen[a.header.Get("X-Cache-Status")] = true
		if price(a) == changed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the changed price never showed through nginx; statuses seen %v", seen)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !seen["STALE"] && !seen["UPDATING"] && !seen["EXPIRED"] && !seen["REVALIDATED"] {
		t.Errorf("the change showed without the entry expiring first: statuses %v", seen)
	}

	if a := get("/readyz", nil); a.status != 200 {
		t.Errorf("/readyz through nginx: %d", a.status)
	}
	if a := get("/metrics", nil); a.status != 404 {
		t.Errorf("/metrics through nginx: %d, want 404", a.status)
	}
	if a := get("/api/v1/categories", map[string]string{"X-Request-ID": "client-chosen.id-1"}); a.header.Get("X-Request-ID") != "client-chosen.id-1" {
		t.Errorf("a valid X-Request-ID came back as %q", a.header.Get("X-Request-ID"))
	}
	if a := get("/api/v1/categories", map[string]string{"X-Request-ID": "not valid!"}); a.header.Get("X-Request-ID") == "" || a.header.Get("X-Request-ID") == "not valid!" {
		t.Errorf("an invalid X-Request-ID came back as %q, want one made by nginx", a.header.Get("X-Request-ID"))
	}
	res, err := http.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(bytes.Repeat([]byte(" "), 2<<20)))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a 2 MiB body: %d, want 413", res.StatusCode)
	}
	if t.Failed() {
		t.Logf("nginx error log:\n%s", readFile(filepath.Join(dir, "error.log")))
	}
}

func readFile(p string) string {
	b, _ := os.ReadFile(p)
	return string(b)
}
