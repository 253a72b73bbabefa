package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/acme/orders/internal/catalog"
)

// freshnessSamples is how many changes of each kind catalogueFreshness makes.
const freshnessSamples = 150

// catalogueFreshness measures how long a catalogue change takes to show in the API's cached
// answers when the worker's announcement is the only signal: price changes committed straight
// to the database (as a write through another API process would be, minus that process's own
// bump), and orders placed through the API, which move stock and never bump. For each, the
// product's page is read until cached, the change is made, and the page is read every 2 ms
// until it shows the change; the time from the commit to that read is the sample.
func catalogueFreshness(ctx context.Context, o options, base string, pool *pgxpool.Pool, tokens []string) error {
	cat := catalog.NewService(catalog.NewPostgresStore(pool))
	client := &http.Client{Timeout: 5 * time.Second}
	rng := rand.New(rand.NewPCG(3, 4))
	read := func(path string) (price int64, stock int32, err error) {
		res, err := client.Get(base + path)
		if err != nil {
			return 0, 0, err
		}
		defer res.Body.Close()
		var p struct {
			PriceCents int64 `json:"price_cents"`
			Stock      int32 `json:"stock"`
		}
		if res.StatusCode != http.StatusOK {
			return 0, 0, fmt.Errorf("GET %s: %d", path, res.StatusCode)
		}
		err = json.NewDecoder(res.Body).Decode(&p)
		return p.PriceCents, p.Stock, err
	}
	// until reads path every 2 ms until changed says the answer moved on; it returns the time
	// from since to that answer.
	until := func(path string, since time.Time, changed func(price int64, stock int32) bool) (time.Duration, error) {
		for deadline := since.Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
			price, stock, err := read(path)
			if err != nil {
				return 0, err
			}
			if changed(price, stock) {
				return time.Since(since), nil
			}
		}
		return 0, fmt.Errorf("%s did not change within 10 s", path)
	}
	var prices, stocks []time.Duration
	for i := range freshnessSamples {
		time.Sleep(time.Duration(50+rng.IntN(100)) * time.Millisecond) // not in step with the worker's bumps
		id := productID(1 + rng.IntN(o.products))
		path := "/api/v1/products/" + id.String()
		price, stock, err := read(path)
		if err != nil {
			return err
		}
		if _, _, err := read(path); err != nil { // now surely cached
			return err
		}
		if i%2 == 0 {
			newPrice := price + 1
			if _, err := cat.Update(ctx, id, catalog.Patch{PriceCents: &newPrice}); err != nil {
				return err
			}
			d, err := until(path, time.Now(), func(p int64, _ int32) bool { return p == newPrice })
			if err != nil {
				return err
			}
			prices = append(prices, d)
			continue
		}
		req, _ := http.NewRequest("POST", base+"/api/v1/orders",
			bytes.NewBufferString(fmt.Sprintf(`{"items":[{"product_id":"%s","quantity":1}]}`, id)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tokens[rng.IntN(len(tokens))])
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		res.Body.Close()
		if res.StatusCode != http.StatusCreated {
			return fmt.Errorf("POST /orders: %d", res.StatusCode)
		}
		d, err := until(path, time.Now(), func(_ int64, s int32) bool { return s < stock })
		if err != nil {
			return err
		}
		stocks = append(stocks, d)
	}
	for _, m := range []struct {
		name    string
		samples []time.Duration
	}{{"price change → cached page", prices}, {"order → cached stock", stocks}} {
		slices.Sort(m.samples)
		pct := func(p float64) float64 {
			return ms(m.samples[min(len(m.samples)-1, int(p*float64(len(m.samples))))])
		}
		fmt.Printf("%-28s p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms  (%d changes; bound 1 s at p99)\n",
			m.name, pct(.5), pct(.99), pct(1), len(m.samples))
	}
	return nil
}
