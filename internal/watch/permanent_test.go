package watch

import (
	"testing"
	"time"
)

// permanentErr is a connection the server refused for good (a bad token,
// HTTP 401), as provider.StreamError reports it.
type permanentErr string

func (e permanentErr) Error() string   { return string(e) }
func (e permanentErr) Permanent() bool { return true }

// TestPermanentDialFailureWaitsTheLongestBackoff: a token the server
// refuses is refused again on every retry. watch keeps retrying (a token
// fixed on the server, or by a reload, recovers) but at the longest
// backoff from the first failure, never fast, and reports each distinct
// failure once, marked permanent, rather than every few minutes for weeks.
func TestPermanentDialFailureWaitsTheLongestBackoff(t *testing.T) {
	h := newHarness()
	bad := permanentErr("streaming: refused (HTTP 401)")
	h.dialErr = []error{bad, bad, bad, permanentErr("streaming: refused (HTTP 403)")}
	start(t, h)
	// BackoffMax is 1 min and Rand 0.5: the longest backoff is 45 s.
	n := h.note(t, NoteDisconnected)
	if !n.Permanent || n.Err != bad || n.Wait != 45*time.Second {
		t.Fatalf("first failure: %+v", n)
	}
	h.plan(t) // the start plan runs anyway
	dials := func() int { h.mu.Lock(); defer h.mu.Unlock(); return 4 - len(h.dialErr) }
	for want := 2; want <= 3; want++ {
		waitFor(t, "the backoff timer", func() bool { return h.clock.Timers() == 2 })
		if d := h.clock.Deadlines(); d[0] != 45*time.Second {
			t.Fatalf("retry %d after %v, want the longest backoff", want, d)
		}
		h.clock.Advance(45 * time.Second)
		waitFor(t, "the retry", func() bool { return dials() == want })
	}
	// The same failure again: not reported again.
	waitFor(t, "the backoff timer", func() bool { return h.clock.Timers() == 2 })
	select {
	case n := <-h.notes:
		t.Fatalf("the same failure reported again: %+v", n)
	default:
	}
	// Another failure is reported.
	h.clock.Advance(45 * time.Second)
	if n := h.note(t, NoteDisconnected); !n.Permanent || n.Err.Error() != "streaming: refused (HTTP 403)" || n.Attempt != 4 {
		t.Fatalf("a new failure: %+v", n)
	}
	// Fixed on the server: connected, and planned again.
	waitFor(t, "the backoff timer", func() bool { return h.clock.Timers() == 2 })
	h.clock.Advance(45 * time.Second)
	h.note(t, NoteConnected)
}
