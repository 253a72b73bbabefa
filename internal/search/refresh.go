package search

import (
	"context"
	"time"
)

// currentVectors returns the in-process vectors. At most every RefreshEvery one caller checks
// whether the index changed and reloads them if it did; meanwhile the other callers go on with
// the vectors there are, so a check never holds up concurrent searches. Only the first load is
// waited for by everyone.
func (s *Service) currentVectors(ctx context.Context) (Vectors, error) {
	s.mu.Lock()
	have, version := s.vectors, s.version
	if have != nil && (s.refreshing || time.Since(s.checkedAt) < s.RefreshEvery) {
		s.mu.Unlock()
		return have, nil
	}
	if have == nil {
		defer s.mu.Unlock() // the first load: everyone waits for it
	} else {
		s.refreshing = true
		s.mu.Unlock()
	}
	fresh, freshVersion, err := s.load(ctx, have, version)
	if have != nil {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.refreshing = false
	}
	if err != nil {
		return nil, err
	}
	s.vectors, s.version, s.checkedAt = fresh, freshVersion, time.Now()
	return fresh, nil
}

// load returns the index's vectors and version: have when the version is still version, else
// the vectors read afresh.
func (s *Service) load(ctx context.Context, have Vectors, version string) (Vectors, string, error) {
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
