package watch

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

// waitFor polls cond: the loop runs in its own goroutines, and a fake
// clock's timer exists only once the loop has armed it.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

type fakeStream struct {
	events chan Event
	drop   chan struct{}
	once   sync.Once
}

func newFakeStream() *fakeStream {
	return &fakeStream{events: make(chan Event, 16), drop: make(chan struct{})}
}

func (s *fakeStream) Next(ctx context.Context) (Event, error) {
	select {
	case ev := <-s.events:
		return ev, nil
	case <-s.drop:
		return Event{}, errors.New("connection lost")
	case <-ctx.Done():
		return Event{}, ctx.Err()
	}
}

func (s *fakeStream) Close() error { s.once.Do(func() { close(s.drop) }); return nil }

// harness is one account with scripted dials and recorded reconciles.
type harness struct {
	clock   *FakeClock
	mu      sync.Mutex
	streams []*fakeStream
	dialErr []error // returned by the next dials, first in first out
	plans   chan string
	notes   chan Note
	retry   time.Duration
}

func newHarness() *harness {
	return &harness{clock: NewFakeClock(t0), plans: make(chan string, 64), notes: make(chan Note, 64)}
}

func (h *harness) account() Account {
	return Account{
		Name: "account.bot",
		Dial: func(ctx context.Context) (Stream, error) {
			h.mu.Lock()
			defer h.mu.Unlock()
			if len(h.dialErr) > 0 {
				err := h.dialErr[0]
				h.dialErr = h.dialErr[1:]
				return nil, err
			}
			s := newFakeStream()
			h.streams = append(h.streams, s)
			return s, nil
		},
		Reconcile: func(ctx context.Context, reason string) time.Duration {
			h.plans <- reason
			h.mu.Lock()
			defer h.mu.Unlock()
			return h.retry
		},
	}
}

func (h *harness) opts() Options {
	return Options{
		Clock: h.clock, Debounce: 5 * time.Second, Interval: time.Hour,
		BackoffMin: time.Second, BackoffMax: time.Minute,
		Rand:     func() float64 { return 0.5 },
		Relevant: func(ev Event) bool { return ev.Type != "notification" },
		Report:   func(n Note) { h.notes <- n },
	}
}

func (h *harness) stream(i int) *fakeStream {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.streams[i]
}

func (h *harness) nStreams() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.streams)
}

func (h *harness) plan(t *testing.T) string {
	t.Helper()
	select {
	case r := <-h.plans:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("no plan")
		return ""
	}
}

func (h *harness) noPlan(t *testing.T) {
	t.Helper()
	select {
	case r := <-h.plans:
		t.Fatalf("unexpected plan (%s)", r)
	default:
	}
}

func (h *harness) note(t *testing.T, kind NoteKind) Note {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case n := <-h.notes:
			if n.Kind == kind {
				return n
			}
		case <-deadline:
			t.Fatalf("no %s note", kind)
		}
	}
}

func start(t *testing.T, h *harness) (cancel func()) {
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { Run(ctx, h.account(), h.opts()); close(done) }()
	t.Cleanup(func() { stop(); <-done })
	return stop
}

func TestDebouncedPlanOnEvents(t *testing.T) {
	h := newHarness()
	start(t, h)
	if r := h.plan(t); r != "start" {
		t.Fatalf("first plan %q", r)
	}
	waitFor(t, "the interval timer", func() bool { return h.clock.Timers() == 1 })
	s := h.stream(0)
	s.events <- Event{Channel: "main", Type: "notification"} // not relevant
	s.events <- Event{Channel: "main", Type: "meUpdated"}
	s.events <- Event{Channel: "drive", Type: "folderCreated"}
	waitFor(t, "the debounce timer", func() bool { return h.clock.Timers() == 2 })
	if d := h.clock.Deadlines(); d[0] != 5*time.Second {
		t.Fatalf("debounce deadline %v", d)
	}
	h.clock.Advance(5*time.Second - time.Millisecond)
	h.noPlan(t)
	h.clock.Advance(time.Millisecond)
	// One plan for the burst: drift is reported at most Debounce after
	// the first event.
	if r := h.plan(t); !strings.HasPrefix(r, "meUpdated") {
		t.Fatalf("plan after the events: %q", r)
	}
	waitFor(t, "the timers after the plan", func() bool { return h.clock.Timers() == 1 })
	h.noPlan(t)
}

func TestIntervalPlanWithoutEvents(t *testing.T) {
	h := newHarness()
	start(t, h)
	h.plan(t)
	waitFor(t, "the interval timer", func() bool { return h.clock.Timers() == 1 })
	h.clock.Advance(time.Hour - time.Second)
	h.noPlan(t)
	h.clock.Advance(time.Second)
	if r := h.plan(t); r != "interval" {
		t.Fatalf("plan %q, want interval", r)
	}
	// An event-driven plan restarts the interval.
	waitFor(t, "the next interval timer", func() bool { return h.clock.Timers() == 1 })
	h.clock.Advance(30 * time.Minute)
	h.stream(0).events <- Event{Channel: "main", Type: "follow"}
	waitFor(t, "the debounce timer", func() bool { return h.clock.Timers() == 2 })
	h.clock.Advance(5 * time.Second)
	h.plan(t)
	waitFor(t, "the interval timer", func() bool { return h.clock.Timers() == 1 })
	if d := h.clock.Deadlines(); d[0] != time.Hour {
		t.Fatalf("interval after an event plan: %v", d)
	}
}

func TestBackoffJitterBounds(t *testing.T) {
	for _, r := range []float64{0, 0.5, 0.999999} {
		o := Options{BackoffMin: time.Second, BackoffMax: time.Minute, Rand: func() float64 { return r }}
		caps := []time.Duration{1, 2, 4, 8, 16, 32, 60, 60, 60}
		for i, c := range caps {
			d := c * time.Second
			got := o.Backoff(i + 1)
			if got < d/2 || got > d {
				t.Errorf("rand %v attempt %d: %v not in [%v, %v]", r, i+1, got, d/2, d)
			}
		}
	}
	if got := (Options{Rand: func() float64 { return 0 }}).Backoff(100); got != DefaultBackoffMax/2 {
		t.Errorf("default cap: %v", got)
	}
}

func TestReconnectWithBackoffThenReplan(t *testing.T) {
	h := newHarness()
	h.dialErr = []error{errors.New("refused"), errors.New("refused")}
	start(t, h)
	// The first dial failed: the start plan runs anyway.
	if n := h.note(t, NoteDisconnected); n.Attempt != 1 || n.Wait != 750*time.Millisecond {
		t.Fatalf("first failure: %+v", n)
	}
	if r := h.plan(t); r != "start" {
		t.Fatalf("plan %q", r)
	}
	waitFor(t, "backoff and interval timers", func() bool { return h.clock.Timers() == 2 })
	h.clock.Advance(750 * time.Millisecond)
	if n := h.note(t, NoteDisconnected); n.Attempt != 2 || n.Wait != 1500*time.Millisecond {
		t.Fatalf("second failure: %+v", n)
	}
	waitFor(t, "backoff timer", func() bool { return h.clock.Timers() == 2 })
	h.clock.Advance(1500 * time.Millisecond)
	h.note(t, NoteConnected)
	// Connected after the start plan: re-plan, events may have been missed.
	waitFor(t, "the debounce timer", func() bool { return h.clock.Timers() == 2 })
	h.clock.Advance(5 * time.Second)
	if r := h.plan(t); r != "connected" {
		t.Fatalf("plan %q", r)
	}
	// A dropped connection: reconnect after a backoff, then re-plan. The
	// connection lived less than BackoffMax, so the backoff goes on from
	// the failures before it (attempt 3: within [2s, 4s]).
	h.stream(0).Close()
	n := h.note(t, NoteDisconnected)
	if n.Attempt != 3 || n.Wait < 2*time.Second || n.Wait > 4*time.Second {
		t.Fatalf("backoff after a drop: %+v", n)
	}
	waitFor(t, "the backoff timer", func() bool { return h.clock.Timers() == 2 })
	h.clock.Advance(n.Wait)
	h.note(t, NoteReconnected)
	waitFor(t, "the debounce timer", func() bool { return h.clock.Timers() == 2 })
	h.clock.Advance(5 * time.Second)
	if r := h.plan(t); r != "reconnected" {
		t.Fatalf("plan %q", r)
	}
	if h.nStreams() != 2 {
		t.Fatalf("%d connections, want 2", h.nStreams())
	}
}

func TestRetryAfterBudgetWait(t *testing.T) {
	h := newHarness()
	h.retry = 20 * time.Minute
	start(t, h)
	h.plan(t)
	waitFor(t, "retry and interval timers", func() bool { return h.clock.Timers() == 2 })
	h.mu.Lock()
	h.retry = 0
	h.mu.Unlock()
	h.clock.Advance(20 * time.Minute)
	if r := h.plan(t); r != "retry" {
		t.Fatalf("plan %q", r)
	}
}

func TestBudgetSlidingWindow(t *testing.T) {
	b := &Budget{Max: 2, Window: time.Hour}
	if got := b.NextFree(t0); !got.Equal(t0) {
		t.Fatal("empty budget must allow now")
	}
	b.Spend(t0)
	b.Spend(t0.Add(10 * time.Minute))
	now := t0.Add(20 * time.Minute)
	if got := b.NextFree(now); !got.Equal(t0.Add(time.Hour)) {
		t.Fatalf("NextFree = %v, want t0+1h", got)
	}
	if b.Used(now) != 2 {
		t.Fatal("Used")
	}
	if got := b.NextFree(t0.Add(time.Hour)); !got.Equal(t0.Add(time.Hour)) {
		t.Fatalf("after the window: %v", got)
	}
	if b.Used(t0.Add(65*time.Minute)) != 1 {
		t.Fatal("the first apply must have left the window")
	}
}

func TestShutdownFinishesTheChangeInFlight(t *testing.T) {
	clock := NewFakeClock(t0)
	started, release := make(chan struct{}), make(chan struct{})
	var sawCancel bool
	a := Account{
		Name: "account.bot",
		Dial: func(ctx context.Context) (Stream, error) { return newFakeStream(), nil },
		Reconcile: func(ctx context.Context, reason string) time.Duration {
			close(started)
			<-release
			sawCancel = ctx.Err() != nil
			return 0
		},
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { Run(ctx, a, Options{Clock: clock}); close(done) }()
	<-started
	cancel() // SIGTERM
	select {
	case <-done:
		t.Fatal("Run returned while a change was in flight")
	default:
	}
	close(release)
	<-done
	if !sawCancel {
		t.Fatal("the reconcile was not told to stop after the change in flight")
	}
}

func TestSuperviseReloadKeepsConfigOnBadEdit(t *testing.T) {
	clock := NewFakeClock(t0)
	plans := make(chan string, 16)
	notes := make(chan Note, 16)
	acct := func(name string) Account {
		return Account{
			Name: name,
			Dial: func(ctx context.Context) (Stream, error) { return newFakeStream(), nil },
			Reconcile: func(ctx context.Context, reason string) time.Duration {
				plans <- name + ":" + reason
				return 0
			},
		}
	}
	var mu sync.Mutex
	configs := []func() ([]Account, error){
		func() ([]Account, error) { return []Account{acct("old")}, nil },
		func() ([]Account, error) { return nil, errors.New("bot.mk.hcl:3,1: bad edit") },
		func() ([]Account, error) { return []Account{acct("new")}, nil },
	}
	load := func() ([]Account, error) {
		mu.Lock()
		defer mu.Unlock()
		f := configs[0]
		configs = configs[1:]
		return f()
	}
	reload := make(chan string)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		done <- Supervise(ctx, load, reload, Options{Clock: clock, Report: func(n Note) {
			if n.Kind == NoteConfigInvalid || n.Kind == NoteConfigReload {
				notes <- n
			}
		}})
	}()
	if p := <-plans; p != "old:start" {
		t.Fatal(p)
	}
	reload <- "SIGHUP"
	waitFor(t, "the reload delay", func() bool { return clock.Timers() == 2 })
	clock.Advance(500 * time.Millisecond)
	if n := <-notes; n.Kind != NoteConfigInvalid || !strings.Contains(n.Err.Error(), "bad edit") {
		t.Fatalf("%+v", n)
	}
	// The old configuration still runs: its interval plan comes.
	waitFor(t, "the interval timer alone", func() bool { return clock.Timers() == 1 })
	clock.Advance(time.Hour)
	if p := <-plans; p != "old:interval" {
		t.Fatal(p)
	}
	reload <- "bot.mk.hcl changed"
	waitFor(t, "the reload delay", func() bool { return clock.Timers() == 2 })
	clock.Advance(500 * time.Millisecond)
	if p := <-plans; p != "new:start" {
		t.Fatal(p)
	}
	if n := <-notes; n.Kind != NoteConfigReload || n.Reason != "bot.mk.hcl changed" {
		t.Fatalf("%+v", n)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// Only the new account's interval timer may have been left, stopped.
	if clock.Timers() != 0 {
		t.Fatalf("%d timers left armed: %v", clock.Timers(), clock.Deadlines())
	}
}

// A connection that lived past BackoffMax was a good one: its loss starts
// the backoff afresh. One lost at once keeps doubling it.
func TestBackoffResetsAfterALongConnection(t *testing.T) {
	h := newHarness()
	start(t, h)
	h.plan(t)
	waitFor(t, "the interval timer", func() bool { return h.clock.Timers() == 1 })
	h.stream(0).Close()
	if n := h.note(t, NoteDisconnected); n.Attempt != 1 {
		t.Fatalf("first loss: %+v", n)
	}
	waitFor(t, "the backoff timer", func() bool { return h.clock.Timers() == 2 })
	h.clock.Advance(750 * time.Millisecond)
	h.note(t, NoteReconnected)
	waitFor(t, "the second connection", func() bool { return h.nStreams() == 2 })
	h.stream(1).Close() // lost at once
	if n := h.note(t, NoteDisconnected); n.Attempt != 2 {
		t.Fatalf("quick loss: %+v", n)
	}
	waitFor(t, "the backoff timer", func() bool { return len(h.clock.Deadlines()) >= 3 })
	h.clock.Advance(1500 * time.Millisecond)
	h.note(t, NoteReconnected)
	waitFor(t, "the third connection", func() bool { return h.nStreams() == 3 })
	h.clock.Advance(time.Minute) // BackoffMax: a good connection
	h.stream(2).Close()
	if n := h.note(t, NoteDisconnected); n.Attempt != 1 {
		t.Fatalf("loss after a long connection: %+v", n)
	}
}
