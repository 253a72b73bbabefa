package httpapi

import (
	"net/http"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/auth"
	"github.com/acme/orders/internal/orders"
)

func caller(r *http.Request) orders.Caller {
	p, _ := auth.PrincipalFrom(r.Context())
	return orders.Caller{UserID: p.UserID, Staff: p.Role.IsStaff()}
}

type placeOrderRequest struct {
	Items []struct {
		ProductID uuid.UUID `json:"product_id"`
		Quantity  int32     `json:"quantity"`
	} `json:"items"`
}

func (a *API) placeOrder(w http.ResponseWriter, r *http.Request) error {
	var req placeOrderRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	lines := make([]orders.Line, len(req.Items))
	for i, it := range req.Items {
		lines[i] = orders.Line{ProductID: it.ProductID, Quantity: it.Quantity}
	}
	o, created, err := a.orders.Place(r.Context(), caller(r).UserID, lines, r.Header.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	w.Header().Set("Location", "/api/v1/orders/"+o.ID.String())
	return respond(w, status, toOrderJSON(o))
}

func (a *API) getOrder(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	o, err := a.orders.Get(r.Context(), caller(r), id)
	if err != nil {
		return err
	}
	return respond(w, http.StatusOK, toOrderJSON(o))
}

func (a *API) cancelOrder(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	o, err := a.orders.Cancel(r.Context(), caller(r), id)
	if err != nil {
		return err
	}
	return respond(w, http.StatusOK, toOrderJSON(o))
}

type setStatusRequest struct {
	Status orders.Status `json:"status"`
}

func (a *API) setOrderStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req setStatusRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	o, err := a.orders.SetStatus(r.Context(), caller(r), id, req.Status)
	if err != nil {
		return err
	}
	return respond(w, http.StatusOK, toOrderJSON(o))
}
