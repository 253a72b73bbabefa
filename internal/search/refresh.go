package search

import (
	"context"
	"sync"
	"time"
)

// vectorCache holds one model's in-process vectors. At most every refresh interval one caller
// checks whether they changed and reloads them if they did; meanwhile the other callers go on
// with the vectors there are, so a check never holds up concurrent searches. Only the first
// load is waited for by everyone.
type vectorCache struct {
	// load returns the vectors and their version: have when the version is still version,
	// else the vectors read afresh.
	load func(ctx context.Context, have Vectors, version string) (Vectors, string, error)

	mu         sync.Mutex
	vectors    Vectors
	version    string
	checkedAt  time.Time
	refreshing bool // a caller is checking the version; the others use vectors as they are
}

func (c *vectorCache) current(ctx context.Context, every time.Duration) (Vectors, error) {
	c.mu.Lock()
	have, version := c.vectors, c.version
	if have != nil && (c.refreshing || time.Since(c.checkedAt) < every) {
		c.mu.Unlock()
		return have, nil
	}
	if have == nil {
		defer c.mu.Unlock() // the first load: everyone waits for it
	} else {
		c.refreshing = true
		c.mu.Unlock()
	}
	fresh, freshVersion, err := c.load(ctx, have, version)
	if have != nil {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.refreshing = false
	}
	if err != nil {
		return nil, err
	}
	c.vectors, c.version, c.checkedAt = fresh, freshVersion, time.Now()
	return fresh, nil
}

// currentVectors returns the offline model's vectors of the index.
func (s *Service) currentVectors(ctx context.Context) (Vectors, error) {
	return s.local.current(ctx, s.RefreshEvery)
}

// loadLocal is the offline model's vectorCache.load.
func (s *Service) loadLocal(ctx context.Context, have Vectors, version string) (Vectors, string, error) {
	now, err := s.store.VectorsVersion(ctx)
	if err != nil {
		return nil, "", err
	}
	if have != nil && now == version {
		return have, now, nil
	}
	items, err := s.store.LoadVectors(ctx, s.embedder.Model())
	if err != nil {
		return nil, "", err
	}
	return s.NewVectors(s.embedder.Dims(), items), now, nil
}
