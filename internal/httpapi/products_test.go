package httpapi_test

import (
	"context"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/catalog"
)

type productPage struct {
	Items []struct {
		ID         string `json:"id"`
		Name       string `json:"name"`
		Category   string `json:"category"`
		PriceCents int64  `json:"price_cents"`
		Stock      int32  `json:"stock"`
		CreatedAt  string `json:"created_at"`
	} `json:"items"`
	Page     int   `json:"page"`
	PageSize int   `json:"page_size"`
	Total    int64 `json:"total"`
}

// seedCategory creates products in a category of their own so that list tests see only them.
func seedCategory(t *testing.T, e *env, names []string, prices []int64, stocks []int32) string {
	t.Helper()
	cat := "Cat " + uuid.NewString()[:8]
	for i, n := range names {
		_, err := e.cat.Create(context.Background(), catalog.Product{SKU: "L-" + strings.ToUpper(uuid.NewString()[:12]), Name: n,
			Description: "about " + n, Category: cat, PriceCents: prices[i], Currency: "USD", Stock: stocks[i]})
		if err != nil {
			t.Fatal(err)
		}
	}
	return cat
}

func TestListProducts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cat := seedCategory(t, e,
		[]string{"Walnut Desk Organizer", "Bamboo Cutting Board", "Copper Kettle 100%", "Ceramic_Mug", "Linen Apron"},
		[]int64{2999, 1899, 5400, 1200, 2500},
		[]int32{3, 0, 7, 12, 1})
	list := func(params string) productPage {
		t.Helper()
		r := e.do(req{method: "GET", path: "/api/v1/products?category=" + url.QueryEscape(cat) + "&" + params})
		expectStatus(t, r, 200)
		var p productPage
		r.decode(t, &p)
		return p
	}
	names := func(p productPage) string {
		var n []string
		for _, it := range p.Items {
			n = append(n, strings.Fields(it.Name)[0])
		}
		return strings.Join(n, ",")
	}
	cases := []struct{ params, want string }{
		{"", "Bamboo,Ceramic_Mug,Copper,Linen,Walnut"},
		{"sort=-name", "Walnut,Linen,Copper,Ceramic_Mug,Bamboo"},
		{"sort=price_cents", "Ceramic_Mug,Bamboo,Linen,Walnut,Copper"},
		{"sort=-price_cents", "Copper,Walnut,Linen,Bamboo,Ceramic_Mug"},
		{"sort=created_at", "Walnut,Bamboo,Copper,Ceramic_Mug,Linen"},
		{"sort=-created_at", "Linen,Ceramic_Mug,Copper,Bamboo,Walnut"},
		{"in_stock=true", "Ceramic_Mug,Copper,Linen,Walnut"},
		{"min_price_cents=1899&max_price_cents=2999", "Bamboo,Linen,Walnut"},
		{"q=BOARD", "Bamboo"},
		{"q=" + url.QueryEscape("100%"), "Copper"},
		{"q=_", "Ceramic_Mug"},
		{"q=" + url.QueryEscape("about linen"), "Linen"},
		{"sort=name&page=2&page_size=2", "Copper,Linen"},
		{"page=9", ""},
	}
	for _, tc := range cases {
		if got := names(list(tc.params)); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.params, got, tc.want)
		}
	}
	p := list("page=2&page_size=2")
	if p.Total != 5 || p.Page != 2 || p.PageSize != 2 {
		t.Errorf("envelope = %+v", p)
	}
	if d := list("page_size=100"); d.PageSize != 100 || d.Total != 5 {
		t.Errorf("page_size=100: %+v", d)
	}

	for _, bad := range []string{"sort=price", "page=0", "page_size=101", "page_size=x", "min_price_cents=-1",
		"min_price_cents=10&max_price_cents=5", "in_stock=maybe", "colour=red", "page=1&page=2", "q=" + strings.Repeat("x", 201)} {
		r := e.do(req{method: "GET", path: "/api/v1/products?" + bad})
		if r.Status != 400 {
			t.Errorf("%s: status %d, want 400", bad, r.Status)
			continue
		}
		if pr := r.problem(t); len(pr.Errors) == 0 {
			t.Errorf("%s: no field named in %+v", bad, pr)
		}
	}
}

func TestProductWrites(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	staff, admin := e.newAccount(auth.RoleStaff), e.newAccount(auth.RoleAdmin)
	sku := "NEW-" + strings.ToUpper(uuid.NewString()[:8])
	body := map[string]any{"sku": sku, "name": "Stoneware Teapot", "description": "Holds 1.2 l.", "category": "Kitchen", "price_cents": 3450, "currency": "USD", "stock": 9}
	r := e.do(req{method: "POST", path: "/api/v1/products", token: staff.Token, body: body})
	expectStatus(t, r, 201)
	var p struct {
		ID         string `json:"id"`
		PriceCents int64  `json:"price_cents"`
		Stock      int32  `json:"stock"`
		Name       string `json:"name"`
	}
	r.decode(t, &p)
	expectStatus(t, e.do(req{method: "POST", path: "/api/v1/products", token: staff.Token, body: body}), 409)
	bad := e.do(req{method: "POST", path: "/api/v1/products", token: staff.Token, body: map[string]any{"sku": "lower case", "name": "", "category": "K", "price_cents": -1, "currency": "usd"}})
	expectStatus(t, bad, 422)
	fields := map[string]bool{}
	for _, f := range bad.problem(t).Errors {
		fields[f.Field] = true
	}
	for _, f := range []string{"sku", "name", "price_cents", "currency", "stock"} {
		if !fields[f] {
			t.Errorf("no error for %s in %v", f, fields)
		}
	}

	r = e.do(req{method: "PATCH", path: "/api/v1/products/" + p.ID, token: staff.Token, body: map[string]any{"price_cents": 3000}})
	expectStatus(t, r, 200)
	r.decode(t, &p)
	if p.PriceCents != 3000 || p.Name != "Stoneware Teapot" || p.Stock != 9 {
		t.Fatalf("patched = %+v", p)
	}
	expectStatus(t, e.do(req{method: "PATCH", path: "/api/v1/products/" + p.ID, token: staff.Token, body: map[string]any{}}), 422)
	expectStatus(t, e.do(req{method: "PATCH", path: "/api/v1/products/" + p.ID, token: staff.Token, body: map[string]any{"currency": "dollars"}}), 422)
	expectStatus(t, e.do(req{method: "PATCH", path: "/api/v1/products/" + uuid.NewString(), token: staff.Token, body: map[string]any{"stock": 1}}), 404)

	expectStatus(t, e.do(req{method: "DELETE", path: "/api/v1/products/" + p.ID, token: admin.Token}), 204)
	expectStatus(t, e.do(req{method: "GET", path: "/api/v1/products/" + p.ID}), 404)
	expectStatus(t, e.do(req{method: "DELETE", path: "/api/v1/products/" + p.ID, token: admin.Token}), 404)
	expectStatus(t, e.do(req{method: "GET", path: "/api/v1/products/not-a-uuid"}), 404)
	if e.count("SELECT count(*) FROM products WHERE id = $1 AND deleted_at IS NOT NULL", p.ID) != 1 {
		t.Error("delete is not a soft delete")
	}
	var types []string
	rows, err := e.pool.Query(context.Background(), "SELECT type FROM outbox WHERE aggregate_id = $1 ORDER BY id", p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		_ = rows.Scan(&s)
		types = append(types, s)
	}
	if got := strings.Join(types, ","); got != "ProductCreated,ProductUpdated,ProductDeleted" {
		t.Errorf("events = %s", got)
	}
}

func TestCategories(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cat := seedCategory(t, e, []string{"A", "B", "C"}, []int64{1, 2, 3}, []int32{1, 1, 1})
	r := e.do(req{method: "GET", path: "/api/v1/categories"})
	expectStatus(t, r, 200)
	var body struct {
		Items []struct {
			Name         string `json:"name"`
			ProductCount int64  `json:"product_count"`
		} `json:"items"`
	}
	r.decode(t, &body)
	found := false
	var names []string
	for _, c := range body.Items {
		names = append(names, c.Name)
		if c.Name == cat {
			found = c.ProductCount == 3
		}
	}
	if !found {
		t.Fatalf("category %s with 3 products missing from %+v", cat, body.Items)
	}
	if !sort.StringsAreSorted(names) {
		t.Errorf("categories not sorted: %v", names)
	}
	expectStatus(t, e.do(req{method: "GET", path: "/api/v1/categories?x=1"}), 400)
}
