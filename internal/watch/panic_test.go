package watch

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestPanicInReconcileIsReportedAndRetried: a panic in an account's plan
// or apply (a bug) ends neither watch nor the other accounts: it is
// reported as an internal error with its stack, and the account is tried
// again after a backoff that grows while it keeps panicking.
func TestPanicInReconcileIsReportedAndRetried(t *testing.T) {
	h := newHarness()
	var panics atomic.Int32
	panics.Store(2)
	other := newHarness()
	other.clock = h.clock
	accts := []Account{h.account(), other.account()}
	accts[1].Name = "account.other"
	plan := accts[0].Reconcile
	accts[0].Reconcile = func(ctx context.Context, reason string) time.Duration {
		if panics.Add(-1) >= 0 {
			var m map[string]int
			m["boom"]++ // a nil map: a runtime error, as a real bug would be
		}
		return plan(ctx, reason)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	o := h.opts()
	go func() {
		done <- Supervise(ctx, func() ([]Account, error) { return accts, nil }, nil, o)
	}()
	t.Cleanup(func() { cancel(); <-done })

	n := h.note(t, NoteInternalError)
	var pe *PanicError
	if n.Account != "account.bot" || n.Reason != "start" || !errors.As(n.Err, &pe) ||
		!strings.HasPrefix(n.Err.Error(), "internal error: ") || !strings.Contains(n.Err.Error(), "nil map") ||
		!strings.Contains(string(pe.Stack), "panic_test.go") || n.Wait != 750*time.Millisecond || n.Attempt != 1 {
		t.Fatalf("first panic: %+v", n)
	}
	// The other account runs on.
	if r := other.plan(t); r != "start" {
		t.Fatalf("the other account: %q", r)
	}
	waitFor(t, "the retry timer", func() bool {
		for _, d := range h.clock.Deadlines() {
			if d == 750*time.Millisecond {
				return true
			}
		}
		return false
	})
	h.clock.Advance(750 * time.Millisecond)
	// Panicking again: a longer wait.
	if n := h.note(t, NoteInternalError); n.Reason != "retry" || n.Wait != 1500*time.Millisecond || n.Attempt != 2 {
		t.Fatalf("second panic: %+v", n)
	}
	waitFor(t, "the retry timer", func() bool {
		for _, d := range h.clock.Deadlines() {
			if d == 1500*time.Millisecond {
				return true
			}
		}
		return false
	})
	h.clock.Advance(1500 * time.Millisecond)
	if r := h.plan(t); r != "retry" {
		t.Fatalf("after the panics: %q", r)
	}
	select {
	case err := <-done:
		t.Fatalf("Supervise ended: %v", err)
	default:
	}
}

type panicStream struct{ *fakeStream }

func (s panicStream) Next(ctx context.Context) (Event, error) {
	var m map[string]int
	m["boom"]++ // a nil map: a runtime error
	return Event{}, nil
}

// TestPanicInStreamIsADisconnection: a panic while reading the stream is
// a lost connection (reported with the internal error), and the account
// reconnects after the backoff.
func TestPanicInStreamIsADisconnection(t *testing.T) {
	h := newHarness()
	a := h.account()
	dial := a.Dial
	var dials atomic.Int32
	a.Dial = func(ctx context.Context) (Stream, error) {
		s, err := dial(ctx)
		if dials.Add(1) == 1 {
			return panicStream{s.(*fakeStream)}, err
		}
		return s, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { Run(ctx, a, h.opts()); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	n := h.note(t, NoteDisconnected)
	var pe *PanicError
	if !errors.As(n.Err, &pe) || !strings.Contains(n.Err.Error(), "internal error: ") || n.Wait != 750*time.Millisecond {
		t.Fatalf("disconnected: %+v", n)
	}
	waitFor(t, "the backoff timer", func() bool { return h.clock.Timers() == 2 })
	h.clock.Advance(750 * time.Millisecond)
	h.note(t, NoteReconnected)
}
