package ai

import (
	"sync"
	"time"
)

// breaker is a consecutive-failure circuit breaker. After threshold failures in a row it opens
// for cooldown, during which calls are refused at once; then it lets one trial call through
// (half-open): a success closes it, a failure opens it again.
type breaker struct {
	threshold int
	cooldown  time.Duration
	now       func() time.Time

	mu       sync.Mutex
	failures int
	openTill time.Time
	trial    bool // a half-open trial call is in flight
}

// allow reports whether a call may go ahead.
func (b *breaker) allow() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.failures < b.threshold {
		return true
	}
	if b.now().Before(b.openTill) || b.trial {
		return false
	}
	b.trial = true
	return true
}

// record notes the outcome of an allowed call.
func (b *breaker) record(ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.trial = false
	if ok {
		b.failures = 0
		return
	}
	b.failures++
	if b.failures >= b.threshold {
		b.openTill = b.now().Add(b.cooldown)
	}
}

// open reports whether the breaker currently refuses calls.
func (b *breaker) open() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.failures >= b.threshold && b.now().Before(b.openTill)
}
