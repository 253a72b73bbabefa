package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/acme/orders/internal/search"
)

// vectorsPhase measures the search's in-process nearest-neighbour scan (search.BruteForce)
// over 100,000 and 1,000,000 random unit vectors of the embedding's 100 dimensions: the time of
// one query on one goroutine, keeping the best 100 (as the search asks for its candidates).
func vectorsPhase() {
	const dims, queries = 100, 200
	for _, n := range []int{100_000, 1_000_000} {
		start := time.Now()
		bf := search.NewBruteForce(dims, randomUnitItems(n, dims, 1))
		built := time.Since(start)
		qs := randomUnitItems(queries, dims, 2)
		times := make([]time.Duration, queries)
		for i, q := range qs {
			t0 := time.Now()
			bf.Nearest(q.Vector, 100, 0.3, "")
			times[i] = time.Since(t0)
		}
		slices.Sort(times)
		var sum time.Duration
		for _, t := range times {
			sum += t
		}
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		fmt.Printf("%-22s %8.2f ms/query  p50 %6.2f ms  p99 %6.2f ms  (%d vectors × %d dims, %d queries on one goroutine; built in %s)\n",
			fmt.Sprintf("vector scan %dk", n/1000), ms(sum/queries), ms(times[queries/2]), ms(times[queries*99/100]), n, dims, queries, built.Round(time.Millisecond))
	}
}

// randomUnitItems are n random unit vectors (normal components, normalised), deterministic
// for a seed.
func randomUnitItems(n, dims int, seed uint64) []search.Item {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	items := make([]search.Item, n)
	flat := make([]float32, n*dims)
	for i := range items {
		v := flat[i*dims : (i+1)*dims : (i+1)*dims]
		var sq float64
		for j := range v {
			v[j] = float32(r.NormFloat64())
			sq += float64(v[j]) * float64(v[j])
		}
		inv := float32(1 / math.Sqrt(sq))
		for j := range v {
			v[j] *= inv
		}
		var id uuid.UUID
		for j := range id {
			id[j] = byte(r.Uint32())
		}
		items[i] = search.Item{ID: id, Category: "", Vector: v}
	}
	return items
}
