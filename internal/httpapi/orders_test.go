package httpapi_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/acme/orders/internal/auth"
)

type orderBody struct {
	ID         string `json:"id"`
	UserID     string `json:"user_id"`
	Status     string `json:"status"`
	TotalCents int64  `json:"total_cents"`
	Currency   string `json:"currency"`
	Items      []struct {
		ProductID      string `json:"product_id"`
		Quantity       int32  `json:"quantity"`
		UnitPriceCents int64  `json:"unit_price_cents"`
		LineTotalCents int64  `json:"line_total_cents"`
	} `json:"items"`
}

func items(pairs ...any) map[string]any {
	var list []map[string]any
	for i := 0; i < len(pairs); i += 2 {
		list = append(list, map[string]any{"product_id": fmt.Sprint(pairs[i]), "quantity": pairs[i+1]})
	}
	return map[string]any{"items": list}
}

func TestPlaceOrderTakesPricesFromTheCatalogue(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.newAccount(auth.RoleCustomer)
	a, b := e.newProduct(10, 1250), e.newProduct(5, 399)

	r := e.do(req{method: "POST", path: "/api/v1/orders", token: c.Token, body: items(a.ID, 2, b.ID, 3, a.ID, 1)})
	expectStatus(t, r, 201)
	var o orderBody
	r.decode(t, &o)
	if o.Status != "placed" || o.TotalCents != 3*1250+3*399 || o.Currency != "USD" || o.UserID != c.ID.String() || len(o.Items) != 2 {
		t.Fatalf("order = %+v", o)
	}
	if r.Header.Get("Location") != "/api/v1/orders/"+o.ID {
		t.Errorf("Location = %q", r.Header.Get("Location"))
	}
	// Visible at once from the write model.
	g := e.do(req{method: "GET", path: "/api/v1/orders/" + o.ID, token: c.Token})
	expectStatus(t, g, 200)
	if got := e.count("SELECT stock FROM products WHERE id = $1", a.ID); got != 7 {
		t.Errorf("stock of a = %d, want 7", got)
	}
	if got := e.count("SELECT count(*) FROM outbox WHERE type = 'OrderPlaced' AND aggregate_id = $1 AND xid IS NOT NULL", o.ID); got != 1 {
		t.Errorf("OrderPlaced rows = %d, want 1", got)
	}
}

func TestPlaceOrderRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.newAccount(auth.RoleCustomer)
	p := e.newProduct(3, 500)
	gone := e.newProduct(3, 500)
	expectStatus(t, e.do(req{method: "DELETE", path: "/api/v1/products/" + gone.ID.String(), token: e.newAccount(auth.RoleAdmin).Token}), 204)
	eur := e.newProduct(3, 500)
	if _, err := e.cat.Update(t.Context(), eur.ID, patchCurrency("EUR")); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"out of stock", items(p.ID, 4), 409, "out-of-stock"},
		{"unknown product", items("0195f0c4-0000-7000-8000-000000000000", 1), 422, "unknown-product"},
		{"deleted product", items(gone.ID, 1), 422, "unknown-product"},
		{"mixed currencies", items(p.ID, 1, eur.ID, 1), 422, "mixed-currencies"},
		{"zero quantity", items(p.ID, 0), 422, "validation-failed"},
		{"no items", map[string]any{"items": []any{}}, 422, "validation-failed"},
		{"price from client", map[string]any{"items": []any{map[string]any{"product_id": p.ID, "quantity": 1, "unit_price_cents": 1}}}, 400, "unknown-field"},
		{"total from client", map[string]any{"items": []any{map[string]any{"product_id": p.ID, "quantity": 1}}, "total_cents": 1}, 400, "unknown-field"},
		{"user from client", map[string]any{"items": []any{map[string]any{"product_id": p.ID, "quantity": 1}}, "user_id": c.ID}, 400, "unknown-field"},
		{"bad uuid", `{"items":[{"product_id":"nope","quantity":1}]}`, 400, "malformed-json"},
		{"quantity as string", `{"items":[{"product_id":"` + p.ID.String() + `","quantity":"1"}]}`, 400, "wrong-type"},
	}
	// Other tests place orders in the same database at the same time: count this customer's only.
	before := e.count("SELECT count(*) FROM orders WHERE user_id = $1", c.ID)
	events := e.count("SELECT count(*) FROM outbox WHERE type = 'OrderPlaced' AND payload->>'user_id' = $1", c.ID.String())
	for _, tc := range cases {
		r := e.do(req{method: "POST", path: "/api/v1/orders", token: c.Token, body: tc.body})
		if r.Status != tc.status {
			t.Errorf("%s: status %d, want %d: %s", tc.name, r.Status, tc.status, r.Body)
			continue
		}
		if pr := r.problem(t); !strings.HasSuffix(pr.Type, ":"+tc.code) {
			t.Errorf("%s: type %q, want code %q", tc.name, pr.Type, tc.code)
		}
	}
	if e.count("SELECT count(*) FROM orders WHERE user_id = $1", c.ID) != before ||
		e.count("SELECT count(*) FROM outbox WHERE type = 'OrderPlaced' AND payload->>'user_id' = $1", c.ID.String()) != events {
		t.Error("a refused order wrote rows")
	}
	if got := e.count("SELECT stock FROM products WHERE id = $1", p.ID); got != 3 {
		t.Errorf("stock = %d after refusals, want 3", got)
	}
}

func TestOrderLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	owner, other, staff := e.newAccount(auth.RoleCustomer), e.newAccount(auth.RoleCustomer), e.newAccount(auth.RoleStaff)
	p := e.newProduct(10, 100)
	place := func() string {
		var o orderBody
		r := e.do(req{method: "POST", path: "/api/v1/orders", token: owner.Token, body: items(p.ID, 2)})
		expectStatus(t, r, 201)
		r.decode(t, &o)
		return o.ID
	}
	move := func(id, to string, want int) {
		t.Helper()
		r := e.do(req{method: "PATCH", path: "/api/v1/orders/" + id + "/status", token: staff.Token, body: map[string]string{"status": to}})
		expectStatus(t, r, want)
	}

	id := place()
	expectStatus(t, e.do(req{method: "GET", path: "/api/v1/orders/" + id, token: other.Token}), 404)
	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/orders/" + id + "/cancel", token: other.Token}), 404)
	move(id, "shipped", 409) // placed → shipped skips paid
	move(id, "paid", 200)
	move(id, "paid", 409)
	move(id, "shipped", 200)
	move(id, "cancelled", 409) // too late
	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/orders/" + id + "/cancel", token: owner.Token}), 409)
	move(id, "delivered", 200)
	move(id, "placed", 409)
	move(id, "lost", 422)
	if got := e.count("SELECT stock FROM products WHERE id = $1", p.ID); got != 8 {
		t.Fatalf("stock = %d, want 8", got)
	}

	id2 := place()
	r := e.do(req{method: "POST", path: "/api/v1/orders/" + id2 + "/cancel", token: owner.Token})
	expectStatus(t, r, 200)
	var o orderBody
	r.decode(t, &o)
	if o.Status != "cancelled" {
		t.Fatalf("status = %q", o.Status)
	}
	if got := e.count("SELECT stock FROM products WHERE id = $1", p.ID); got != 8 {
		t.Fatalf("stock = %d after cancel, want 8 (returned)", got)
	}
	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/orders/" + id2 + "/cancel", token: owner.Token}), 409)

	id3 := place()
	move(id3, "paid", 200)
	move(id3, "cancelled", 200) // staff may cancel a paid order
	if got := e.count("SELECT stock FROM products WHERE id = $1", p.ID); got != 8 {
		t.Fatalf("stock = %d after staff cancel, want 8", got)
	}
	for typ, want := range map[string]int{"OrderStatusChanged": 4, "OrderCancelled": 2} {
		if got := e.count("SELECT count(*) FROM outbox WHERE type = $1 AND aggregate_id = ANY($2)", typ, []string{id, id2, id3}); got != want {
			t.Errorf("%s events = %d, want %d", typ, got, want)
		}
	}
}

func TestIdempotencyKey(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c, other := e.newAccount(auth.RoleCustomer), e.newAccount(auth.RoleCustomer)
	p := e.newProduct(100, 100)
	h := map[string]string{"Idempotency-Key": "checkout-42"}

	first := e.do(req{method: "POST", path: "/api/v1/orders", token: c.Token, body: items(p.ID, 1), header: h})
	expectStatus(t, first, 201)
	again := e.do(req{method: "POST", path: "/api/v1/orders", token: c.Token, body: items(p.ID, 1), header: h})
	expectStatus(t, again, 200)
	var a, b orderBody
	first.decode(t, &a)
	again.decode(t, &b)
	if a.ID != b.ID {
		t.Fatalf("replay returned order %s, want %s", b.ID, a.ID)
	}
	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/orders", token: c.Token, body: items(p.ID, 2), header: h}), 422)
	// Keys are per user: another customer's same key is a new order.
	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/orders", token: other.Token, body: items(p.ID, 1), header: h}), 201)
	for _, bad := range []string{"clé", strings.Repeat("k", 256)} {
		expectStatus(t, e.do(req{method: "POST", path: "/api/v1/orders", token: c.Token, body: items(p.ID, 1), header: map[string]string{"Idempotency-Key": bad}}), 422)
	}
	if got := e.count("SELECT stock FROM products WHERE id = $1", p.ID); got != 98 {
		t.Fatalf("stock = %d, want 98", got)
	}
}

func TestConcurrentOrdersNeverOversell(t *testing.T) {
	if testing.Short() {
		t.Skip("concurrency drill: 200 orders at once")
	}
	t.Parallel()
	e := newEnv(t)
	p := e.newProduct(50, 700)
	buyers := make([]account, 10)
	for i := range buyers {
		buyers[i] = e.newAccount(auth.RoleCustomer)
	}
	statuses := make([]int, 200)
	var wg sync.WaitGroup
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := doHTTP(t, e.srv.URL, req{method: "POST", path: "/api/v1/orders", token: buyers[i%len(buyers)].Token, body: items(p.ID, 1)})
			statuses[i] = r.Status
		}()
	}
	wg.Wait()
	count := map[int]int{}
	for _, s := range statuses {
		count[s]++
	}
	if count[201] != 50 || count[409] != 150 {
		t.Fatalf("statuses = %v, want 50×201 and 150×409", count)
	}
	if got := e.count("SELECT stock FROM products WHERE id = $1", p.ID); got != 0 {
		t.Errorf("stock = %d, want 0", got)
	}
	if got := e.count("SELECT count(*) FROM order_items WHERE product_id = $1", p.ID); got != 50 {
		t.Errorf("order lines = %d, want 50", got)
	}
	if got := e.count("SELECT count(*) FROM outbox WHERE type = 'OrderPlaced' AND payload->'items'->0->>'product_id' = $1", p.ID.String()); got != 50 {
		t.Errorf("OrderPlaced rows = %d, want 50", got)
	}
	if got := e.count("SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id)"); got != 0 {
		t.Errorf("%d orders without lines", got)
	}
}

func TestConcurrentIdempotentPosts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.newAccount(auth.RoleCustomer)
	p := e.newProduct(100, 100)
	ids := make([]string, 20)
	codes := make([]int, 20)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := doHTTP(t, e.srv.URL, req{method: "POST", path: "/api/v1/orders", token: c.Token, body: items(p.ID, 1),
				header: map[string]string{"Idempotency-Key": "same-key"}})
			codes[i] = r.Status
			var o orderBody
			_ = jsonUnmarshal(r.Body, &o)
			ids[i] = o.ID
		}()
	}
	wg.Wait()
	created := 0
	for i := range ids {
		if codes[i] == 201 {
			created++
		} else if codes[i] != 200 {
			t.Fatalf("status %d", codes[i])
		}
		if ids[i] != ids[0] || ids[i] == "" {
			t.Fatalf("responses name different orders: %v", ids)
		}
	}
	if created != 1 {
		t.Fatalf("%d responses said 201, want 1", created)
	}
	if got := e.count("SELECT count(*) FROM orders WHERE user_id = $1", c.ID); got != 1 {
		t.Fatalf("orders = %d, want 1", got)
	}
	if got := e.count("SELECT stock FROM products WHERE id = $1", p.ID); got != 99 {
		t.Fatalf("stock = %d, want 99", got)
	}
}
