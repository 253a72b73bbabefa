package httpapi

import (
	"math"
	"net/http"

	"github.com/acme/orders/internal/catalog"
)

func (a *API) listProducts(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r, "q", "category", "min_price_cents", "max_price_cents", "in_stock", "sort", "page", "page_size")
	f := catalog.Filter{
		Query:    q.str("q", 800),
		Category: q.str("category", 100),
		MinPrice: q.int64In("min_price_cents", 0, math.MaxInt64),
		MaxPrice: q.int64In("max_price_cents", 0, math.MaxInt64),
		InStock:  q.boolean("in_stock"),
		Sort:     q.str("sort", 20),
	}
	page, size, offset := q.page()
	if err := q.err(); err != nil {
		return err
	}
	f.Limit, f.Offset = size, offset
	products, total, err := a.catalog.List(r.Context(), f)
	if err != nil {
		return err
	}
	return respond(w, http.StatusOK, pageJSON[productJSON]{Items: mapSlice(products, toProductJSON), Page: page, PageSize: size, Total: total})
}

func (a *API) getProduct(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := a.catalog.Get(r.Context(), id)
	if err != nil {
		return err
	}
	return respond(w, http.StatusOK, toProductJSON(p))
}

type createProductRequest struct {
	SKU         string `json:"sku"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Category    string `json:"category"`
	PriceCents  *int64 `json:"price_cents"`
	Currency    string `json:"currency"`
	Stock       *int32 `json:"stock"`
}

func (a *API) createProduct(w http.ResponseWriter, r *http.Request) error {
	var req createProductRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	p := catalog.Product{SKU: req.SKU, Name: req.Name, Description: req.Description, Category: req.Category,
		Currency: req.Currency, PriceCents: -1, Stock: -1}
	if req.PriceCents != nil {
		p.PriceCents = *req.PriceCents
	}
	if req.Stock != nil {
		p.Stock = *req.Stock
	}
	created, err := a.catalog.Create(r.Context(), p)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/products/"+created.ID.String())
	return respond(w, http.StatusCreated, toProductJSON(created))
}

type updateProductRequest struct {
	SKU         *string `json:"sku"`
	Name        *string `json:"name"`
	Description *string `json:"description"`
	Category    *string `json:"category"`
	PriceCents  *int64  `json:"price_cents"`
	Currency    *string `json:"currency"`
	Stock       *int32  `json:"stock"`
}

func (a *API) updateProduct(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req updateProductRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	p, err := a.catalog.Update(r.Context(), id, catalog.Patch(req))
	if err != nil {
		return err
	}
	return respond(w, http.StatusOK, toProductJSON(p))
}

func (a *API) deleteProduct(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.catalog.Delete(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) listCategories(w http.ResponseWriter, r *http.Request) error {
	if err := newQuery(r).err(); err != nil {
		return err
	}
	cats, err := a.catalog.Categories(r.Context())
	if err != nil {
		return err
	}
	items := mapSlice(cats, func(c catalog.Category) categoryJSON { return categoryJSON{Name: c.Name, ProductCount: c.ProductCount} })
	return respond(w, http.StatusOK, map[string]any{"items": items})
}
