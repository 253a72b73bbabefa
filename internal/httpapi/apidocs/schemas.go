package apidocs

// obj is a JSON object in the document.
type obj = map[string]any

func ref(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }

func str(desc string) obj { return obj{"type": "string", "description": desc} }

func strFmt(format, desc string) obj {
	return obj{"type": "string", "format": format, "description": desc}
}

func integer(desc string) obj { return obj{"type": "integer", "format": "int64", "description": desc} }

func array(items obj, desc string) obj {
	return obj{"type": "array", "items": items, "description": desc}
}

func object(required []string, props obj) obj {
	o := obj{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

var roleEnum = []string{"customer", "staff", "admin"}
var statusEnum = []string{"placed", "paid", "shipped", "delivered", "cancelled"}

func schemas() obj {
	return obj{
		"Problem": obj{
			"type":        "object",
			"description": "RFC 9457 problem details. `type` is a URN naming a stable error code.",
			"required":    []string{"type", "title", "status", "detail", "instance", "request_id"},
			"properties": obj{
				"type":       strFmt("uri-reference", "e.g. urn:problem-type:orders:out-of-stock"),
				"title":      str("the HTTP status text"),
				"status":     obj{"type": "integer"},
				"detail":     str("what went wrong, safe to show"),
				"instance":   str("the request path"),
				"request_id": str("the X-Request-ID of the request"),
				"errors":     array(ref("FieldError"), "per-field details, for 400 and 422"),
			},
		},
		"FieldError": object([]string{"field", "message"}, obj{"field": str("the field or parameter"), "message": str("what is wrong with it")}),
		"User": object([]string{"id", "email", "name", "role", "created_at"}, obj{
			"id": strFmt("uuid", ""), "email": strFmt("email", ""), "name": str(""),
			"role":       obj{"type": "string", "enum": roleEnum},
			"created_at": strFmt("date-time", ""),
		}),
		"TokenPair": object([]string{"access_token", "refresh_token", "token_type", "expires_in"}, obj{
			"access_token":  str("JWT, HS256, 15 minutes"),
			"refresh_token": str("opaque; spent by its first use"),
			"token_type":    obj{"type": "string", "const": "Bearer"},
			"expires_in":    obj{"type": "integer", "description": "access-token lifetime in seconds"},
		}),
		"Product": object([]string{"id", "sku", "name", "description", "category", "price_cents", "currency", "stock", "created_at", "updated_at"}, obj{
			"id": strFmt("uuid", ""), "sku": str(""), "name": str(""), "description": str(""), "category": str(""),
			"price_cents": obj{"type": "integer", "format": "int64", "minimum": 0},
			"currency":    obj{"type": "string", "pattern": "^[A-Z]{3}$"},
			"stock":       obj{"type": "integer", "minimum": 0},
			"created_at":  strFmt("date-time", ""), "updated_at": strFmt("date-time", ""),
		}),
		"ProductInput": object([]string{"sku", "name", "category", "price_cents", "currency", "stock"}, obj{
			"sku":         obj{"type": "string", "pattern": "^[A-Z0-9][A-Z0-9-]{0,31}$"},
			"name":        obj{"type": "string", "minLength": 1, "maxLength": 200},
			"description": obj{"type": "string", "maxLength": 5000},
			"category":    obj{"type": "string", "minLength": 1, "maxLength": 100},
			"price_cents": obj{"type": "integer", "format": "int64", "minimum": 0, "maximum": 10000000000},
			"currency":    obj{"type": "string", "pattern": "^[A-Z]{3}$"},
			"stock":       obj{"type": "integer", "minimum": 0},
		}),
		"ProductPatch": obj{"type": "object", "additionalProperties": false, "minProperties": 1,
			"description": "any subset of the product's fields", "properties": obj{
				"sku": obj{"type": "string"}, "name": obj{"type": "string"}, "description": obj{"type": "string"}, "category": obj{"type": "string"},
				"price_cents": obj{"type": "integer", "format": "int64", "minimum": 0}, "currency": obj{"type": "string"}, "stock": obj{"type": "integer", "minimum": 0},
			}},
		"Category": object([]string{"name", "product_count"}, obj{"name": str(""), "product_count": obj{"type": "integer"}}),
		"OrderItem": object([]string{"product_id", "sku", "name", "quantity", "unit_price_cents", "line_total_cents"}, obj{
			"product_id": strFmt("uuid", ""), "sku": str("at the time of the order"), "name": str("at the time of the order"),
			"quantity": obj{"type": "integer", "minimum": 1}, "unit_price_cents": integer(""), "line_total_cents": integer(""),
		}),
		"Order": object([]string{"id", "user_id", "status", "total_cents", "currency", "items", "created_at", "updated_at"}, obj{
			"id": strFmt("uuid", ""), "user_id": strFmt("uuid", ""), "status": obj{"type": "string", "enum": statusEnum},
			"total_cents": integer(""), "currency": str(""), "items": array(ref("OrderItem"), ""),
			"created_at": strFmt("date-time", ""), "updated_at": strFmt("date-time", ""),
		}),
		"OrderInput": object([]string{"items"}, obj{"items": obj{"type": "array", "minItems": 1, "maxItems": 100,
			"items": object([]string{"product_id", "quantity"}, obj{"product_id": strFmt("uuid", ""), "quantity": obj{"type": "integer", "minimum": 1, "maximum": 1000}})}}),
		"HistoryEntry": object([]string{"id", "user_id", "status", "total_cents", "currency", "item_count", "items_summary", "items", "created_at", "updated_at"}, obj{
			"id": strFmt("uuid", ""), "user_id": strFmt("uuid", ""), "status": obj{"type": "string", "enum": statusEnum},
			"total_cents": integer(""), "currency": str(""), "item_count": obj{"type": "integer"},
			"items_summary": str("e.g. \"2 × Enamel Mug, 1 × Linen Apron\""),
			"items":         array(obj{"type": "object"}, "the lines as ordered"),
			"created_at":    strFmt("date-time", ""), "updated_at": strFmt("date-time", ""),
		}),
		"Consistency": object([]string{"projected_through", "latest"}, obj{
			"projected_through": integer("the read model reflects every event up to this position"),
			"latest":            integer("the last position published"),
		}),
		"PipelineStatus": obj{"type": "object", "properties": obj{
			"outbox": object(nil, obj{"pending": integer("rows not yet published"), "oldest_pending_seconds": obj{"type": "number"}, "last_position": integer("")}),
			"projections": array(object(nil, obj{"name": str(""), "checkpoint": integer(""), "lag_events": integer(""),
				"lag_seconds": obj{"type": "number"}, "parked": integer(""), "updated_at": strFmt("date-time", ""),
				"rebuild": obj{"type": []string{"object", "null"}, "description": "the latest rebuild: workflow_id, status (Running, Completed, ...) and progress (State, Checkpoint, Target, StartedAt, FinishedAt); null if none"}}), ""),
		}},
		"ParkedEvent": object(nil, obj{"projection": str(""), "position": integer(""), "event_id": strFmt("uuid", ""), "event_type": str(""),
			"error": str("why it could not be applied"), "attempts": obj{"type": "integer"}, "parked_at": strFmt("date-time", ""),
			"resolved_at": obj{"type": []string{"string", "null"}, "format": "date-time"}}),
		"Readiness": object([]string{"status", "checks"}, obj{
			"status": obj{"type": "string", "enum": []string{"ready", "degraded", "unavailable"}},
			"checks": obj{"type": "object", "additionalProperties": obj{"type": "string", "enum": []string{"ok", "degraded", "unavailable"}}},
		}),
	}
}

func page(item string) obj {
	return object([]string{"items", "page", "page_size", "total"}, obj{
		"items": array(ref(item), ""), "page": obj{"type": "integer"}, "page_size": obj{"type": "integer"}, "total": integer(""),
	})
}
