package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/acme/orders/internal/catalog"
	"github.com/acme/orders/internal/platform/pgtest"
)

// TestReadReplicaServesReadModels runs the API binary with DATABASE_REPLICA_URL on a copy of
// the database taken at one moment and then frozen (a replica that stopped replaying, with
// every session read-only, as on a standby). Order history and search answer from the copy;
// the catalogue, orders and sign-in use the primary, and writes succeed although the replica
// refuses them. A second API without the replica answers the same requests from the primary.
// The copy lagging behind is what makes the routing visible: what changed on
// the primary after the copy shows in the catalogue but not in history or search.
func TestReadReplicaServesReadModels(t *testing.T) {
	s := newStack(t)
	sh := s.openShop(3, 2)
	s.startWorker()
	customer := sh.tokens[0]
	before, code := s.placeHTTP(customer, sh.products[0].ID, 1)
	if code != 201 {
		t.Fatalf("order before the copy: status %d", code)
	}
	waitFor(t, "the pipeline to catch up", time.Minute, s.caughtUp)

	replica := s.copyDatabase("replica")
	_, base := s.startAPI("DATABASE_REPLICA_URL=" + replica)
	_, primary := s.startAPI()

	// After the copy, on the primary only: an order through the replica-reading API (a write,
	// which the read-only replica would refuse) and a renamed product, both projected.
	body := fmt.Sprintf(`{"items":[{"product_id":%q,"quantity":1}]}`, sh.products[1].ID)
	req, _ := http.NewRequest("POST", base+"/api/v1/orders", bytes.NewReader([]byte(body)))
	req.Header.Set("Authorization", "Bearer "+customer)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 201 {
		t.Fatalf("order through the API with a replica: status %d, want 201 (writes go to the primary)", res.StatusCode)
	}
	name := "Zeppelin " + strings.Repeat("x", 3)
	if _, err := s.catalog.Update(context.Background(), sh.products[2].ID, catalog.Patch{Name: &name}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the pipeline to catch up again", time.Minute, s.caughtUp)

	var history struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	ids := func(base string) []string {
		history.Items = nil
		if code := fetchJSON(t, base+"/api/v1/orders", customer, &history); code != 200 {
			t.Fatalf("history from %s: status %d", base, code)
		}
		var out []string
		for _, it := range history.Items {
			out = append(out, it.ID)
		}
		return out
	}
	if got := ids(primary); len(got) != 2 {
		t.Fatalf("the primary's history holds %v, want both orders", got)
	}
	if got := ids(base); len(got) != 1 || got[0] != before {
		t.Fatalf("history through the API with a replica: %v, want only %s, the order the copy holds", got, before)
	}

	var found struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	search := "/api/v1/search?" + url.Values{"q": {"zeppelin"}}.Encode()
	if code := fetchJSON(t, primary+search, "", &found); code != 200 || len(found.Items) == 0 {
		t.Fatalf("search through the API without a replica: status %d, %d hits; want the renamed product", code, len(found.Items))
	}
	found.Items = nil
	if code := fetchJSON(t, base+search, "", &found); code != 200 || len(found.Items) != 0 {
		t.Fatalf("search through the API with a replica: status %d, %d hits; want 200 and none (the copy predates the rename)", code, len(found.Items))
	}

	var product struct {
		Name string `json:"name"`
	}
	if code := fetchJSON(t, base+"/api/v1/products/"+sh.products[2].ID.String(), "", &product); code != 200 || product.Name != name {
		t.Fatalf("catalogue through the API with a replica: status %d, name %q; want the primary's %q", code, product.Name, name)
	}

	var ready struct {
		Checks map[string]string `json:"checks"`
	}
	if code := fetchJSON(t, base+"/readyz", "", &ready); code != 200 || ready.Checks["postgres_replica"] != "ok" {
		t.Fatalf("/readyz: status %d, checks %+v; want 200 with postgres_replica ok", code, ready.Checks)
	}
}

// copyDatabase copies the stack's database, schema and data, into a new database with
// pg_dump, makes every session on the copy read-only, and returns its URL; the copy is dropped
// when the test ends.
func (s *stack) copyDatabase(prefix string) string {
	s.t.Helper()
	ctx := context.Background()
	copied, err := pgtest.CreateEmpty(ctx, prefix)
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(copied.Drop)
	dump := exec.Command("pg_dump", "--no-owner", "--no-privileges", s.db.URL)
	restore := exec.Command("psql", "-q", "-v", "ON_ERROR_STOP=1", "-o", "/dev/null", copied.URL)
	pipe, err := dump.StdoutPipe()
	if err != nil {
		s.t.Fatal(err)
	}
	var dumpErr, restoreErr bytes.Buffer
	restore.Stdin, dump.Stderr, restore.Stderr = pipe, &dumpErr, &restoreErr
	if err := restore.Start(); err != nil {
		s.t.Fatal(err)
	}
	if err := dump.Run(); err != nil {
		s.t.Fatalf("pg_dump: %v: %s", err, dumpErr.String())
	}
	if err := restore.Wait(); err != nil {
		s.t.Fatalf("psql: %v: %s", err, restoreErr.String())
	}
	if _, err := s.db.Pool.Exec(ctx, "ALTER DATABASE "+pgx.Identifier{copied.Name}.Sanitize()+" SET default_transaction_read_only = on"); err != nil {
		s.t.Fatal(err)
	}
	return copied.URL
}
