package httpapi_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/httpapi"
	"github.com/acme/orders/internal/recommend"
)

// TestAuthorizationMatrix calls every endpoint as each kind of caller and checks the status:
// 401 without a token, 403 for a role that may not call it, 404 for another customer's order.
func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withLocalAssistant(t), func(_ *httpapi.Config, d *httpapi.Deps) {
		d.Recommend = recommend.NewService(recommend.NewPostgresStore(testDB.Pool), nil)
	})
	const (
		anon = iota
		owner
		other
		staff
		admin
	)
	callers := []string{"anonymous", "customer", "another customer", "staff", "admin"}
	accounts := []account{{}, e.newAccount(auth.RoleCustomer), e.newAccount(auth.RoleCustomer), e.newAccount(auth.RoleStaff), e.newAccount(auth.RoleAdmin)}
	product := e.newProduct(1_000_000, 250)
	ownersOrder := func() string {
		r := e.do(req{method: "POST", path: "/api/v1/orders", token: accounts[owner].Token, body: items(product.ID, 1)})
		expectStatus(t, r, 201)
		var o orderBody
		r.decode(t, &o)
		return o.ID
	}
	order := ownersOrder()
	freshRefresh := func(who int) string {
		if who == anon {
			return "rt_none"
		}
		pair, err := e.auth.Login(context.Background(), accounts[who].Email, "correct horse battery")
		if err != nil {
			t.Fatal(err)
		}
		return pair.RefreshToken
	}
	target := e.newAccount(auth.RoleCustomer)

	rows := []struct {
		name string
		make func(who int) req
		want [5]int
	}{
		{"register", func(int) req {
			return req{method: "POST", path: "/api/v1/auth/register", body: map[string]string{"email": "m-" + uuid.NewString()[:8] + "@example.com", "password": "long enough", "name": "M"}}
		}, [5]int{201, 201, 201, 201, 201}},
		{"login", func(int) req {
			return req{method: "POST", path: "/api/v1/auth/login", body: map[string]string{"email": target.Email, "password": "correct horse battery"}}
		}, [5]int{200, 200, 200, 200, 200}},
		{"refresh", func(int) req {
			return req{method: "POST", path: "/api/v1/auth/refresh", body: map[string]string{"refresh_token": freshRefresh(owner)}}
		}, [5]int{200, 200, 200, 200, 200}},
		{"logout", func(who int) req {
			return req{method: "POST", path: "/api/v1/auth/logout", body: map[string]string{"refresh_token": freshRefresh(who)}}
		}, [5]int{401, 204, 204, 204, 204}},
		{"me", func(int) req { return req{method: "GET", path: "/api/v1/me"} }, [5]int{401, 200, 200, 200, 200}},
		{"list users", func(int) req { return req{method: "GET", path: "/api/v1/users"} }, [5]int{401, 403, 403, 403, 200}},
		{"set role", func(int) req {
			return req{method: "PATCH", path: "/api/v1/users/" + target.ID.String(), body: map[string]string{"role": "customer"}}
		}, [5]int{401, 403, 403, 403, 200}},
		{"list products", func(int) req { return req{method: "GET", path: "/api/v1/products"} }, [5]int{200, 200, 200, 200, 200}},
		{"get product", func(int) req { return req{method: "GET", path: "/api/v1/products/" + product.ID.String()} }, [5]int{200, 200, 200, 200, 200}},
		{"create product", func(int) req {
			return req{method: "POST", path: "/api/v1/products", body: map[string]any{"sku": "RB-" + strings.ToUpper(uuid.NewString()[:8]), "name": "n", "category": "c", "price_cents": 1, "currency": "USD", "stock": 1}}
		}, [5]int{401, 403, 403, 201, 201}},
		{"update product", func(int) req {
			return req{method: "PATCH", path: "/api/v1/products/" + product.ID.String(), body: map[string]any{"description": "updated"}}
		}, [5]int{401, 403, 403, 200, 200}},
		{"delete product", func(int) req {
			return req{method: "DELETE", path: "/api/v1/products/" + e.newProduct(1, 1).ID.String()}
		}, [5]int{401, 403, 403, 403, 204}},
		{"categories", func(int) req { return req{method: "GET", path: "/api/v1/categories"} }, [5]int{200, 200, 200, 200, 200}},
		{"assistant query", func(int) req {
			return req{method: "POST", path: "/api/v1/assistant/query", body: map[string]string{"message": "a kettle under $40"}}
		}, [5]int{401, 200, 200, 200, 200}},
		{"similar products", func(int) req { return req{method: "GET", path: "/api/v1/products/" + product.ID.String() + "/similar"} }, [5]int{200, 200, 200, 200, 200}},
		{"recommendations", func(int) req { return req{method: "GET", path: "/api/v1/recommendations"} }, [5]int{401, 200, 200, 200, 200}},
		{"place order", func(int) req { return req{method: "POST", path: "/api/v1/orders", body: items(product.ID, 1)} }, [5]int{401, 201, 201, 201, 201}},
		{"get order", func(int) req { return req{method: "GET", path: "/api/v1/orders/" + order} }, [5]int{401, 200, 404, 200, 200}},
		{"cancel order", func(int) req { return req{method: "POST", path: "/api/v1/orders/" + ownersOrder() + "/cancel"} }, [5]int{401, 200, 404, 200, 200}},
		{"set order status", func(int) req {
			return req{method: "PATCH", path: "/api/v1/orders/" + ownersOrder() + "/status", body: map[string]string{"status": "paid"}}
		}, [5]int{401, 403, 403, 200, 200}},
		{"openapi", func(int) req { return req{method: "GET", path: "/api/v1/openapi.json"} }, [5]int{200, 200, 200, 200, 200}},
		{"healthz", func(int) req { return req{method: "GET", path: "/healthz"} }, [5]int{200, 200, 200, 200, 200}},
		{"readyz", func(int) req { return req{method: "GET", path: "/readyz"} }, [5]int{200, 200, 200, 200, 200}},
	}
	for _, row := range rows {
		for who := range callers {
			rq := row.make(who)
			rq.token = accounts[who].Token
			r := e.do(rq)
			if r.Status != row.want[who] {
				t.Errorf("%s as %s: status %d, want %d (%s)", row.name, callers[who], r.Status, row.want[who], r.Body)
				continue
			}
			if r.Status >= 400 {
				r.problem(t)
			}
		}
	}
	if t.Failed() {
		return
	}
	// A customer's 404 for another's order is indistinguishable from a missing order.
	missing := e.do(req{method: "GET", path: "/api/v1/orders/" + uuid.NewString(), token: accounts[other].Token})
	foreign := e.do(req{method: "GET", path: "/api/v1/orders/" + order, token: accounts[other].Token})
	pm, pf := missing.problem(t), foreign.problem(t)
	if pm.Type != pf.Type || pm.Detail != pf.Detail {
		t.Errorf("404s differ: %+v vs %+v", pm, pf)
	}
}
