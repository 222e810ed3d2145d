package provider

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// minIntervals are the endpoints mkctl calls whose meta.limit has a
// minInterval (API-NOTES, "Rate limits of the endpoints in scope"). Misskey
// answers 429 to a second call within the interval, and counts the
// rejected call against the hourly limit too, so an apply deleting two
// pinned notes in a row was nearly always rate limited on notes/delete.
// Spacing the calls here avoids the 429; its handling stays as the safety
// net (a role's rateLimitFactor above 1 stretches the interval, and other
// clients of the same account share the bucket).
var minIntervals = map[string]time.Duration{
	"notes/delete":   time.Second,
	"notes/unrenote": time.Second,
}

// paceMargin is added to every interval: Misskey stamps calls in whole
// milliseconds, and a call exactly one interval later may still be early.
const paceMargin = 50 * time.Millisecond

// pacer spaces the calls of each paced endpoint. It is shared by a client
// and the copies derive makes, which reach the same account.
type pacer struct {
	mu        sync.Mutex
	endpoints map[string]*pacedEndpoint
}

// pacedEndpoint is held from paceStart until its done: one call of the
// endpoint at a time.
type pacedEndpoint struct {
	sync.Mutex
	last time.Time // when the last call ended; zero: none yet
}

func newPacer() *pacer {
	return &pacer{endpoints: map[string]*pacedEndpoint{}}
}

// WithoutPacing turns the spacing of minInterval endpoints off: for the
// in-process emulator, which has no minInterval unless a test asks.
func WithoutPacing() Option {
	return func(c *Client) { c.pace = nil }
}

// paceStart waits until endpoint may be called again and returns the
// function to call when the attempt has ended. Calls of one endpoint are
// serialised: two in flight at once would arrive within the interval.
// The interval counts from the end of the previous call, when Misskey has
// certainly recorded it.
func (c *Client) paceStart(ctx context.Context, endpoint string) (done func(), err error) {
	interval, ok := minIntervals[endpoint]
	if c.pace == nil || !ok {
		return func() {}, nil
	}
	p := c.pace
	p.mu.Lock()
	e := p.endpoints[endpoint]
	if e == nil {
		e = &pacedEndpoint{}
		p.endpoints[endpoint] = e
	}
	p.mu.Unlock()
	e.Lock()
	done = func() {
		e.last = c.now()
		e.Unlock()
	}
	if e.last.IsZero() {
		return done, nil
	}
	if wait := e.last.Add(interval + paceMargin).Sub(c.now()); wait > 0 {
		c.logf(ctx, slog.LevelDebug, "pacing", slog.String("endpoint", endpoint), slog.Duration("wait", wait), slog.Duration("min_interval", interval))
		if err := c.sleep(ctx, wait); err != nil {
			e.Unlock()
			return nil, fmt.Errorf("%s: stopped while spacing calls (Misskey allows one every %s): %w", endpoint, interval, err)
		}
	}
	return done, nil
}
