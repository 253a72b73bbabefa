package search

import (
	"context"
	"time"
)

// RemoteEmbeddings makes search embed queries with a remote model (AI_EMBED_MODEL) and compare
// them with that model's vectors of the catalogue, which the re-embedding workflow stores.
// Until those cover MinCoverage of the index, and for any query the model does not embed
// within Budget, the offline model answers instead, and the result says so.
type RemoteEmbeddings struct {
	Texts       TextEmbedder  // the remote model (RemoteTexts)
	Provider    string        // its provider's name, reported with each search it answers
	Budget      time.Duration // longest wait for a query's vector (default 1.5s)
	MinCoverage float64       // share of the index with a current vector of the model (default 0.9)
}

// remoteModel is a Service's remote embedding model and its cached vectors.
type remoteModel struct {
	RemoteEmbeddings
	cache vectorCache
}

// WithRemoteEmbeddings makes s search with a remote embedding model when it can (see
// RemoteEmbeddings). Call it before the first search.
func (s *Service) WithRemoteEmbeddings(r RemoteEmbeddings) *Service {
	if r.Budget <= 0 {
		r.Budget = 1500 * time.Millisecond
	}
	if r.MinCoverage <= 0 {
		r.MinCoverage = 0.9
	}
	m := &remoteModel{RemoteEmbeddings: r}
	m.cache.load = func(ctx context.Context, have Vectors, version string) (Vectors, string, error) {
		now, documents, current, err := s.store.RemoteVectorsVersion(ctx, r.Texts.Model())
		if err != nil {
			return nil, "", err
		}
		if have != nil && now == version {
			return have, now, nil
		}
		if documents == 0 || float64(current) < r.MinCoverage*float64(documents) {
			return NewBruteForce(0, nil), now, nil // not ready: no vectors, the offline model answers
		}
		items, err := s.store.LoadRemoteVectors(ctx, r.Texts.Model())
		if err != nil || len(items) == 0 {
			return NewBruteForce(0, nil), now, err
		}
		return s.NewVectors(len(items[0].Vector), items), now, nil
	}
	s.remote = m
	return s
}

// remoteQuery returns the remote model's vectors and the query's vector when the remote model
// can answer this query; ok is false when the offline model must.
func (s *Service) remoteQuery(ctx context.Context, text string) (Vectors, []float32, bool) {
	m := s.remote
	if m == nil {
		return nil, nil, false
	}
	vecs, err := m.cache.current(ctx, s.RefreshEvery)
	if err != nil || vecs.Len() == 0 {
		return nil, nil, false
	}
	ectx, cancel := context.WithTimeout(ctx, m.Budget)
	defer cancel()
	qv, err := m.Texts.EmbedTexts(ectx, []string{text})
	if err != nil || len(qv) != 1 || len(qv[0]) == 0 {
		return nil, nil, false
	}
	return vecs, qv[0], true
}
