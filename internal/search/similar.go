package search

import (
	"context"
	"errors"

	"github.com/google/uuid"
)

// ItemVectors is implemented by Vectors that can return the vector of an item they hold, which
// Related needs; BruteForce does.
type ItemVectors interface {
	// Vector returns the stored vector of id and whether it is held.
	Vector(id uuid.UUID) ([]float32, bool)
}

// Vector implements ItemVectors with a scan of the IDs, far cheaper than Nearest's scan of
// the vectors that follows it.
func (b *BruteForce) Vector(id uuid.UUID) ([]float32, bool) {
	for i, x := range b.ids {
		if x == id {
			return b.data[i*b.dims : (i+1)*b.dims : (i+1)*b.dims], true
		}
	}
	return nil, false
}

// errNoItemVectors is returned by Related when NewVectors builds Vectors that cannot look up
// an item.
var errNoItemVectors = errors.New("search: the vectors in use cannot return an item's vector")

// Related returns up to k live products whose embeddings are nearest to product id's, with
// their cosine similarity, the product itself left out: products alike in content, for
// "similar products" and recommendations. A product the index does not hold (unknown, deleted
// or not embedded yet) has none.
func (s *Service) Related(ctx context.Context, id uuid.UUID, k int) (map[uuid.UUID]float32, error) {
	vecs, err := s.currentVectors(ctx)
	if err != nil {
		return nil, err
	}
	items, ok := vecs.(ItemVectors)
	if !ok {
		return nil, errNoItemVectors
	}
	out := map[uuid.UUID]float32{}
	v, ok := items.Vector(id)
	if !ok || k <= 0 {
		return out, nil
	}
	for _, n := range vecs.Nearest(v, k+1, -1, "") {
		if n.ID != id && len(out) < k {
			out[n.ID] = n.Similarity
		}
	}
	return out, nil
}
