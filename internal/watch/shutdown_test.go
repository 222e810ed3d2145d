package watch

import (
	"context"
	"errors"
	"testing"
	"time"
)

// SIGTERM while an account waits — for its apply budget (a retry timer an
// hour away) or to reconnect (a backoff) — ends Run at once: the fake
// clock never moves, so only the cancellation can end the waits.
func TestShutdownDuringWaitsIsPrompt(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(h *harness)
		armed int // timers armed once the account waits
	}{
		{"budget wait", func(h *harness) { h.retry = time.Hour }, 2},                                           // retry, interval
		{"backoff", func(h *harness) { h.dialErr = []error{errors.New("refused"), errors.New("refused")} }, 2}, // backoff, interval
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness()
			tc.setup(h)
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { Run(ctx, h.account(), h.opts()); close(done) }()
			h.plan(t)
			waitFor(t, "the account to wait", func() bool { return h.clock.Timers() == tc.armed })
			cancel()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("Run did not return after the cancellation")
			}
			if n := h.clock.Timers(); n != 0 {
				t.Fatalf("%d timers left armed", n)
			}
		})
	}
}
