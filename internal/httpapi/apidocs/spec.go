// Package apidocs is the API's OpenAPI 3.1 document, built here from one table of operations,
// and an API reference page that renders it without any outside asset.
package apidocs

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
)

type param struct {
	name, in, desc string
	schema         obj
	required       bool
}

func query(name, desc string, schema obj) param { return param{name, "query", desc, schema, false} }
func pathParam(name, desc string, schema obj) param {
	return param{name, "path", desc, schema, true}
}

var (
	idParam       = pathParam("id", "", obj{"type": "string", "format": "uuid"})
	pageParam     = query("page", "page number, from 1", obj{"type": "integer", "minimum": 1, "default": 1})
	pageSizeParam = query("page_size", "items per page", obj{"type": "integer", "minimum": 1, "maximum": 100, "default": 20})
)

type operation struct {
	method, path, id, tag, summary, desc string
	who                                  []string // x-roles
	params                               []param
	body                                 obj
	example                              any
	status                               int
	result                               obj    // nil: no body
	mediaType                            string // default application/json
	errors                               []int
}

var (
	anyone   = []string{"anyone"}
	signedIn = []string{"signed-in"}
	staff    = []string{"staff", "admin"}
	admin    = []string{"admin"}
)

const v1 = "/api/v1"

func operations() []operation {
	return []operation{
		{method: "POST", path: v1 + "/auth/register", id: "register", tag: "Auth", summary: "Create a customer account", who: anyone,
			body: object([]string{"email", "password", "name"}, obj{"email": obj{"type": "string", "format": "email", "maxLength": 254},
				"password": obj{"type": "string", "minLength": 8, "maxLength": 128}, "name": obj{"type": "string", "minLength": 1, "maxLength": 100}}),
			example: obj{"email": "ada@example.com", "password": "correct horse battery", "name": "Ada Lovelace"},
			status:  201, result: ref("User"), errors: []int{400, 409, 422, 429}},
		{method: "POST", path: v1 + "/auth/login", id: "login", tag: "Auth", summary: "Sign in", who: anyone,
			desc:    "Returns a 15-minute access token and a refresh token that starts a new family.",
			body:    object([]string{"email", "password"}, obj{"email": obj{"type": "string"}, "password": obj{"type": "string"}}),
			example: obj{"email": "customer@example.com", "password": "demo-password"}, status: 200, result: ref("TokenPair"), errors: []int{400, 401, 429}},
		{method: "POST", path: v1 + "/auth/refresh", id: "refresh", tag: "Auth", summary: "Trade a refresh token for a new pair", who: anyone,
			desc: "The presented token is spent. Presenting a spent token again revokes its whole family: every session descended from that sign-in ends.",
			body: object([]string{"refresh_token"}, obj{"refresh_token": obj{"type": "string"}}), example: obj{"refresh_token": "rt_..."},
			status: 200, result: ref("TokenPair"), errors: []int{400, 401, 429}},
		{method: "POST", path: v1 + "/auth/logout", id: "logout", tag: "Auth", summary: "Sign out: revoke a refresh-token family", who: signedIn,
			body: object([]string{"refresh_token"}, obj{"refresh_token": obj{"type": "string"}}), status: 204, errors: []int{400, 401}},
		{method: "GET", path: v1 + "/me", id: "me", tag: "Auth", summary: "The signed-in user", who: signedIn, status: 200, result: ref("User"), errors: []int{401}},

		{method: "GET", path: v1 + "/users", id: "listUsers", tag: "Users", summary: "List users", who: admin,
			params: []param{query("role", "only this role", obj{"type": "string", "enum": roleEnum}), query("q", "substring of email or name", obj{"type": "string", "maxLength": 200}), pageParam, pageSizeParam},
			status: 200, result: page("User"), errors: []int{400, 401, 403}},
		{method: "PATCH", path: v1 + "/users/{id}", id: "setUserRole", tag: "Users", summary: "Change a user's role", who: admin,
			desc: "Takes effect at the user's next token refresh.", params: []param{idParam},
			body: object([]string{"role"}, obj{"role": obj{"type": "string", "enum": roleEnum}}), example: obj{"role": "staff"},
			status: 200, result: ref("User"), errors: []int{400, 401, 403, 404, 422}},

		{method: "GET", path: v1 + "/products", id: "listProducts", tag: "Catalogue", summary: "List products", who: anyone,
			desc: "Deleted products are not listed.",
			params: []param{query("q", "substring of name, category or description", obj{"type": "string", "maxLength": 200}),
				query("category", "exact category", obj{"type": "string"}),
				query("min_price_cents", "", obj{"type": "integer", "minimum": 0}), query("max_price_cents", "", obj{"type": "integer", "minimum": 0}),
				query("in_stock", "true: only products with stock", obj{"type": "boolean"}),
				query("sort", "leading - for descending", obj{"type": "string", "default": "name", "enum": []string{"name", "-name", "price_cents", "-price_cents", "created_at", "-created_at"}}),
				pageParam, pageSizeParam},
			status: 200, result: page("Product"), errors: []int{400}},
		{method: "GET", path: v1 + "/products/{id}", id: "getProduct", tag: "Catalogue", summary: "One product", who: anyone, params: []param{idParam},
			status: 200, result: ref("Product"), errors: []int{404}},
		{method: "POST", path: v1 + "/products", id: "createProduct", tag: "Catalogue", summary: "Create a product", who: staff,
			body: ref("ProductInput"), example: obj{"sku": "KIT-000123-4F", "name": "Stoneware Teapot, 1.2 l", "description": "Glazed stoneware.", "category": "Kitchen", "price_cents": 3450, "currency": "USD", "stock": 40},
			status: 201, result: ref("Product"), errors: []int{400, 401, 403, 409, 422}},
		{method: "PATCH", path: v1 + "/products/{id}", id: "updateProduct", tag: "Catalogue", summary: "Change some of a product's fields", who: staff,
			params: []param{idParam}, body: ref("ProductPatch"), example: obj{"price_cents": 2999},
			status: 200, result: ref("Product"), errors: []int{400, 401, 403, 404, 409, 422}},
		{method: "DELETE", path: v1 + "/products/{id}", id: "deleteProduct", tag: "Catalogue", summary: "Delete a product (soft: kept for order history)", who: admin,
			params: []param{idParam}, status: 204, errors: []int{401, 403, 404}},
		{method: "GET", path: v1 + "/categories", id: "listCategories", tag: "Catalogue", summary: "Categories with their product counts", who: anyone,
			status: 200, result: object([]string{"items"}, obj{"items": array(ref("Category"), "sorted by name")}), errors: []int{400}},

		{method: "POST", path: v1 + "/orders", id: "placeOrder", tag: "Orders", summary: "Place an order", who: signedIn,
			desc: "Prices and totals come from the catalogue. Stock is reserved in the same transaction as the order and its event; " +
				"not enough stock is a 409 and nothing is written. With an `Idempotency-Key` (remembered for 24 hours), a repeat of the same request returns the first order with 200; " +
				"the same key with another body is a 422. Repeats of one product are merged.",
			params: []param{{name: "Idempotency-Key", in: "header", desc: "1 to 255 printable ASCII characters, per user", schema: obj{"type": "string", "maxLength": 255}}},
			body:   ref("OrderInput"), example: obj{"items": []obj{{"product_id": "01a2118f-6e6d-7b8a-9c3f-6a1f1e1d2c3b", "quantity": 2}}},
			status: 201, result: ref("Order"), errors: []int{400, 401, 409, 422, 429}},
		{method: "GET", path: v1 + "/orders", id: "listOrders", tag: "Orders", summary: "Order history, newest first", who: signedIn,
			desc: "Served from a read model that may lag the write model by a moment; `consistency` says how far it has caught up. " +
				"Customers see their own orders; staff see everyone's, or one user's with `user_id`. " +
				"Pages may come from a cache that is dropped whenever the customer's history changes (`X-Cache: hit`).",
			params: []param{query("status", "", obj{"type": "string", "enum": statusEnum}), query("cursor", "from the previous page's next_cursor", obj{"type": "string"}),
				pageSizeParam, query("user_id", "staff only", obj{"type": "string", "format": "uuid"})},
			status: 200, result: object([]string{"items", "next_cursor", "consistency"}, obj{"items": array(ref("HistoryEntry"), ""),
				"next_cursor": obj{"type": []string{"string", "null"}}, "consistency": ref("Consistency")}), errors: []int{400, 401, 403}},
		{method: "GET", path: v1 + "/orders/{id}", id: "getOrder", tag: "Orders", summary: "One order, from the write model", who: []string{"owner", "staff", "admin"},
			desc: "Visible at once after its 201. Another customer's order is a 404.", params: []param{idParam},
			status: 200, result: ref("Order"), errors: []int{401, 404}},
		{method: "POST", path: v1 + "/orders/{id}/cancel", id: "cancelOrder", tag: "Orders", summary: "Cancel a placed order; its stock is returned", who: []string{"owner", "staff", "admin"},
			params: []param{idParam}, status: 200, result: ref("Order"), errors: []int{401, 404, 409}},
		{method: "PATCH", path: v1 + "/orders/{id}/status", id: "setOrderStatus", tag: "Orders", summary: "Move an order along its life cycle", who: staff,
			desc:   "placed → paid → shipped → delivered, or cancelled from placed or paid (stock returned).",
			params: []param{idParam}, body: object([]string{"status"}, obj{"status": obj{"type": "string", "enum": statusEnum}}), example: obj{"status": "paid"},
			status: 200, result: ref("Order"), errors: []int{400, 401, 403, 404, 409, 422}},

		{method: "GET", path: v1 + "/admin/events", id: "pipelineStatus", tag: "Operations", summary: "Event publication and every read model's checkpoint and lag", who: staff,
			status: 200, result: ref("PipelineStatus"), errors: []int{401, 403}},
		{method: "POST", path: v1 + "/admin/projections/{name}/rebuild", id: "rebuildProjection", tag: "Operations", summary: "Rebuild a read model by replaying the event log", who: admin,
			desc:   "Starts the rebuild-<name> workflow; query its `progress` with the Temporal CLI. A second rebuild of the same read model while one runs is a 409.",
			params: []param{pathParam("name", "", obj{"type": "string", "enum": []string{"order_history", "product_sales"}})},
			status: 202, result: object([]string{"workflow_id"}, obj{"workflow_id": str("")}), errors: []int{401, 403, 404, 409, 503}},
		{method: "GET", path: v1 + "/admin/parked-events", id: "listParkedEvents", tag: "Operations", summary: "Events a read model set aside after its retries", who: staff,
			params: []param{query("projection", "", obj{"type": "string"}), query("include_resolved", "", obj{"type": "boolean"})},
			status: 200, result: object([]string{"items"}, obj{"items": array(ref("ParkedEvent"), "")}), errors: []int{400, 401, 403, 404}},
		{method: "POST", path: v1 + "/admin/parked-events/{name}/{position}/redrive", id: "redriveParkedEvent", tag: "Operations", summary: "Apply a parked event again", who: admin,
			params: []param{pathParam("name", "the read model", obj{"type": "string"}), pathParam("position", "the event's position", obj{"type": "integer", "minimum": 1})},
			status: 200, result: obj{"type": "object"}, errors: []int{401, 403, 404, 409}},

		{method: "GET", path: v1 + "/openapi.json", id: "openapi", tag: "Operations", summary: "This document", who: anyone, status: 200, result: obj{"type": "object"}},
		{method: "GET", path: "/api/docs", id: "apiDocs", tag: "Operations", summary: "This document, rendered", who: anyone, status: 200, result: obj{"type": "string"}, mediaType: "text/html"},
		{method: "GET", path: "/healthz", id: "healthz", tag: "Operations", summary: "Liveness", who: anyone, status: 200,
			result: object([]string{"status"}, obj{"status": obj{"type": "string", "const": "ok"}})},
		{method: "GET", path: "/readyz", id: "readyz", tag: "Operations", summary: "Readiness",
			desc: "200 while PostgreSQL answers; Redis and Temporal are reported as degraded, never failing. 503 when PostgreSQL does not answer.",
			who:  anyone, status: 200, result: ref("Readiness"), errors: []int{503}},
		{method: "GET", path: "/metrics", id: "metrics", tag: "Operations", summary: "Prometheus metrics", who: []string{"operators"}, status: 200,
			result: obj{"type": "string"}, mediaType: "text/plain; version=0.0.4"},
	}
}

var errorText = map[int]string{
	400: "The request is malformed: bad JSON, an unknown field, or a bad query parameter (named in errors).",
	401: "No valid access token (or, on sign-in, wrong credentials).",
	403: "The token is valid but the role may not do this.",
	404: "Not found, or not visible to the caller.",
	409: "The current state forbids it: out of stock, a bad status move, a taken SKU or email, a running rebuild.",
	413: "The body is larger than 1 MiB.",
	415: "The body is not JSON.",
	422: "Values are not acceptable; errors names each field.",
	429: "Too many requests; Retry-After says when to come back.",
	500: "Unexpected; the request ID identifies it in the logs.",
	503: "A dependency (the database, or the workflow engine for rebuilds) is unreachable; try again shortly.",
}

func build() obj {
	paths := obj{}
	for _, op := range operations() {
		item, _ := paths[op.path].(obj)
		if item == nil {
			item = obj{}
			paths[op.path] = item
		}
		o := obj{"operationId": op.id, "tags": []string{op.tag}, "summary": op.summary, "x-roles": op.who}
		desc := op.desc
		if desc != "" {
			desc += "\n\n"
		}
		o["description"] = desc + "Who may call it: " + strings.Join(op.who, ", ") + "."
		if op.who[0] != "anyone" && op.who[0] != "operators" {
			o["security"] = []obj{{"bearerAuth": []string{}}}
		}
		var params []obj
		for _, p := range op.params {
			params = append(params, obj{"name": p.name, "in": p.in, "description": p.desc, "required": p.required, "schema": p.schema})
		}
		if params != nil {
			o["parameters"] = params
		}
		if op.body != nil {
			media := obj{"schema": op.body}
			if op.example != nil {
				media["example"] = op.example
			}
			o["requestBody"] = obj{"required": true, "content": obj{"application/json": media}}
		}
		responses := obj{}
		okResp := obj{"description": http.StatusText(op.status), "headers": obj{"X-Request-ID": obj{"$ref": "#/components/headers/X-Request-ID"}}}
		if op.result != nil {
			mt := op.mediaType
			if mt == "" {
				mt = "application/json"
			}
			okResp["content"] = obj{mt: obj{"schema": op.result}}
		}
		responses[fmt.Sprint(op.status)] = okResp
		errs := op.errors
		if op.body != nil {
			errs = append(errs, 413, 415)
		}
		errs = append(errs, 500)
		for _, code := range errs {
			responses[fmt.Sprint(code)] = obj{"$ref": fmt.Sprintf("#/components/responses/E%d", code)}
		}
		o["responses"] = responses
		item[strings.ToLower(op.method)] = o
	}
	errResponses := obj{}
	for code, text := range errorText {
		r := obj{"description": text, "headers": obj{"X-Request-ID": obj{"$ref": "#/components/headers/X-Request-ID"}},
			"content": obj{"application/problem+json": obj{"schema": ref("Problem")}}}
		if code == 429 {
			r["headers"].(obj)["Retry-After"] = obj{"description": "seconds to wait", "schema": obj{"type": "integer"}}
		}
		errResponses[fmt.Sprintf("E%d", code)] = r
	}
	return obj{
		"openapi": "3.1.0",
		"info": obj{"title": "Orders platform API", "version": "1.0.0", "description": description,
			"license": obj{"name": "See the repository", "identifier": "MIT"}},
		"servers": []obj{{"url": "/"}},
		"tags":    []obj{{"name": "Auth"}, {"name": "Users"}, {"name": "Catalogue"}, {"name": "Orders"}, {"name": "Operations"}},
		"paths":   paths,
		"components": obj{
			"schemas":         schemas(),
			"responses":       errResponses,
			"headers":         obj{"X-Request-ID": obj{"description": "echoes a sane incoming X-Request-ID, else a new one", "schema": obj{"type": "string"}}},
			"securitySchemes": obj{"bearerAuth": obj{"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
		},
	}
}

const description = `The REST API of the orders platform, version 1.

- JSON in and out, UTF-8. Bodies over 1 MiB are refused (413); unknown fields in a body are refused (400), so a client cannot slip in role, user_id, status or prices.
- Auth: Authorization: Bearer <access token>. Access tokens are JWTs that live 15 minutes. Refresh tokens are opaque, stored hashed and rotated on every use; reusing a spent one revokes its whole family.
- Roles: customer (default at sign-up), staff, admin. Each operation says who may call it.
- Errors are RFC 9457 problem details (application/problem+json) with type, title, status, detail, instance, request_id and, for validation, errors: [{field, message}].
- Every response carries X-Request-ID. Money is integer cents with a currency code; times are RFC 3339 UTC; IDs are UUIDs.
- Page lists: {"items": [...], "page": 1, "page_size": 20, "total": 123}; page_size at most 100. Cursor lists: {"items": [...], "next_cursor": "..." | null}.`

var spec = func() []byte {
	b, err := json.MarshalIndent(build(), "", "  ")
	if err != nil {
		panic(err)
	}
	return b
}()

// Spec returns the OpenAPI document.
func Spec() []byte { return spec }

// Paths returns "METHOD /path" for every operation in the document, sorted, with chi-style
// path parameters, so a test can compare them with the routes the router serves.
func Paths() []string {
	var out []string
	for _, op := range operations() {
		out = append(out, op.method+" "+op.path)
	}
	sort.Strings(out)
	return out
}
