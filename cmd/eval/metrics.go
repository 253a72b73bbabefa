package main

import (
	"math"
	"slices"
)

// ndcgAt is the normalised discounted cumulative gain of the first k results: ranked holds the
// grades of the results in rank order, judged the grades of every product judged relevant
// (in any order). The gain of grade g is 2^g − 1 and the result at rank r (from 1) is
// discounted by log2(r + 1); the ideal ranking puts judged in descending order. A query with
// nothing relevant scores 0.
func ndcgAt(k int, ranked, judged []int) float64 {
	ideal := slices.Clone(judged)
	slices.Sort(ideal)
	slices.Reverse(ideal)
	best := dcgAt(k, ideal)
	if best == 0 {
		return 0
	}
	return dcgAt(k, ranked) / best
}

func dcgAt(k int, grades []int) float64 {
	var sum float64
	for i, g := range grades[:min(k, len(grades))] {
		sum += (math.Exp2(float64(g)) - 1) / math.Log2(float64(i+2))
	}
	return sum
}

// recallAt is the share of the relevant products (grade ≥ 1) found in the first k results,
// capped at k: hits ∩ relevant divided by min(k, relevant), so that a query with more than k
// relevant products can still score 1. A query with nothing relevant scores 0.
func recallAt(k int, ranked []int, relevant int) float64 {
	if relevant == 0 {
		return 0
	}
	found := 0
	for _, g := range ranked[:min(k, len(ranked))] {
		if g > 0 {
			found++
		}
	}
	return float64(found) / float64(min(k, relevant))
}
