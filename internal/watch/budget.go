package watch

import (
	"sync"
	"time"
)

// Budget bounds how often watch --apply may apply to an account: at most
// Max applies in any Window (a sliding window, like Misskey's own
// limiters). One apply sends at most one i/update (the profile is one
// change), so Max per hour also bounds i/update per hour, and the rest of
// the account's rate limits stay with the bot itself.
type Budget struct {
	Max    int
	Window time.Duration

	mu   sync.Mutex
	used []time.Time
}

// NextFree is when the next apply may start: now if the budget has room,
// otherwise when the oldest apply in the window leaves it.
func (b *Budget) NextFree(now time.Time) time.Time {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.expire(now)
	if len(b.used) < b.Max {
		return now
	}
	return b.used[len(b.used)-b.Max].Add(b.Window)
}

// Spend records an apply started at now.
func (b *Budget) Spend(now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.expire(now)
	b.used = append(b.used, now)
}

// Used is how many applies the window holds at now.
func (b *Budget) Used(now time.Time) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.expire(now)
	return len(b.used)
}

func (b *Budget) expire(now time.Time) {
	i := 0
	for i < len(b.used) && !b.used[i].Add(b.Window).After(now) {
		i++
	}
	b.used = b.used[i:]
}
