package projection

import (
	"context"
	"time"
)

// PublishAll publishes every pending outbox row, size at a time, until none is left: what the
// publisher's workflow does, once and in process, for tools that need the log complete (the
// benchmarks, the evaluation). Rows held back behind an open transaction are waited for.
func (p *Publisher) PublishAll(ctx context.Context, size int) error {
	for {
		round, err := p.Publish(ctx, size)
		if err != nil {
			return err
		}
		switch {
		case round.Published == 0 && round.HeldBack == 0:
			return nil
		case round.Published == 0:
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
}

// ApplyAll applies the named read model, or every one when name is empty, size events at a
// time, up to the last published position.
func (r *Runner) ApplyAll(ctx context.Context, name string, size int) error {
	for _, n := range r.Names() {
		if name != "" && n != name {
			continue
		}
		for {
			p, err := r.ApplyNext(ctx, n, size)
			if err != nil {
				return err
			}
			if p.Lag() == 0 {
				break
			}
		}
	}
	return nil
}
