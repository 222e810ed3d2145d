// Package watch is mkctl watch's reconcile loop, apart from Misskey and
// from the plan/apply engine so that it can be tested with a fake clock:
// per account, a streaming connection whose events trigger a debounced
// re-plan, a full re-plan every interval (some changes push no event, such
// as i/pin), and reconnection with backoff and jitter followed by a
// re-plan (events may have been missed while disconnected). Supervise runs
// the accounts of one configuration and swaps them for the next on reload.
package watch

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mkctl/mkctl/internal/safego"
)

// Stream is an open streaming connection.
type Stream interface {
	// Next blocks for the next event; an error means the connection is gone.
	Next(ctx context.Context) (Event, error)
	Close() error
}

// Event is a streaming event, by channel and type.
type Event struct {
	Channel string // "main", "drive"
	Type    string // "meUpdated", "follow", "fileCreated", …
}

// Account is one watched account.
type Account struct {
	Name string // account.weather
	// Dial opens the account's streaming connection.
	Dial func(ctx context.Context) (Stream, error)
	// Reconcile plans the account (and applies, with --apply). It is
	// never called twice at once for an account. A positive retry asks
	// for another run after that long even without an event: the apply
	// budget or another apply's lock made it wait.
	Reconcile func(ctx context.Context, reason string) (retry time.Duration)
}

// Defaults of Options.
const (
	DefaultDebounce   = 5 * time.Second
	DefaultInterval   = time.Hour
	DefaultBackoffMin = time.Second
	DefaultBackoffMax = 5 * time.Minute
)

// Options tune the loop. Zero values take the defaults.
type Options struct {
	Clock Clock
	// Debounce is how long after the first event of a burst the account
	// is re-planned: a profile edited in the web UI sends one meUpdated
	// per save, and an apply of several changes one event per change.
	// Later events of the burst do not push the plan back, so drift is
	// reported at most Debounce after the first event.
	Debounce time.Duration
	// Interval is the longest time between two plans of an account.
	Interval time.Duration
	// BackoffMin and BackoffMax bound the wait before a reconnection:
	// doubling from min to max, each wait drawn uniformly from [d/2, d]
	// ("equal jitter") so that many mkctl instances restarted together
	// do not reconnect in lockstep.
	BackoffMin, BackoffMax time.Duration
	// Rand returns a number in [0, 1) for the jitter.
	Rand func() float64
	// Relevant says which events may reveal drift; nil: all.
	Relevant func(Event) bool
	// Report is told what happens (see Note); nil: nothing.
	Report func(Note)
	// ReloadDelay gathers the file events of one save (an editor writes,
	// renames, changes mode) into one reload. Default 500ms.
	ReloadDelay time.Duration
}

func (o Options) withDefaults() Options {
	if o.Clock == nil {
		o.Clock = SystemClock()
	}
	if o.Debounce <= 0 {
		o.Debounce = DefaultDebounce
	}
	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}
	if o.BackoffMin <= 0 {
		o.BackoffMin = DefaultBackoffMin
	}
	if o.BackoffMax < o.BackoffMin {
		o.BackoffMax = max(DefaultBackoffMax, o.BackoffMin)
	}
	if o.Rand == nil {
		o.Rand = rand.Float64
	}
	if o.Relevant == nil {
		o.Relevant = func(Event) bool { return true }
	}
	if o.Report == nil {
		o.Report = func(Note) {}
	}
	if o.ReloadDelay <= 0 {
		o.ReloadDelay = 500 * time.Millisecond
	}
	return o
}

// NoteKind says what a Note reports.
type NoteKind string

// The kinds of Note.
const (
	NoteConnected     NoteKind = "connected"    // the first connection of the account
	NoteReconnected   NoteKind = "reconnected"  // a later one; a re-plan follows
	NoteDisconnected  NoteKind = "disconnected" // Err, and Wait before the next attempt
	NoteEvent         NoteKind = "event"        // a relevant event arrived (Event)
	NoteConfigReload  NoteKind = "config_reloaded"
	NoteConfigInvalid NoteKind = "config_invalid" // Err; the previous configuration stays
	// NoteInternalError: Reconcile panicked (a bug). Err is a *PanicError
	// with the stack; the account is tried again after Wait.
	NoteInternalError NoteKind = "internal_error"
)

// PanicError is a panic recovered in an account's goroutine: a bug in
// mkctl, reported as an error so that no panic ends watch (nor the other
// accounts), with the stack for a debug log. It is the one kind every
// recovered panic is (internal/safego).
type PanicError = safego.PanicError

// protect runs f, turning a panic into a *PanicError.
func protect(f func() error) error { return safego.Call("", f) }

// Note is something the loop reports.
type Note struct {
	Kind    NoteKind
	Account string
	Event   Event
	Err     error
	Wait    time.Duration
	Attempt int
	Reason  string // what made a reload happen
	// Permanent marks a disconnection retrying cannot mend (the server
	// refused the token): reported once per distinct error, retried at
	// the longest backoff.
	Permanent bool
}

// Backoff is the wait before reconnection attempt n (1-based): the
// doubling cap d = min(BackoffMax, BackoffMin·2^(n-1)), jittered within
// [d/2, d].
func (o Options) Backoff(n int) time.Duration {
	o = o.withDefaults()
	d := o.BackoffMin
	for i := 1; i < n && d < o.BackoffMax; i++ {
		d *= 2
	}
	d = min(d, o.BackoffMax)
	return d/2 + time.Duration(o.Rand()*float64(d/2))
}

// Run watches one account until ctx ends. A Reconcile in progress when
// ctx ends is waited for: it finishes the change in flight (the engine
// stops after it) and Run returns after it.
func Run(ctx context.Context, a Account, opts Options) {
	o := opts.withDefaults()
	trig := make(chan string, 1)
	trigger := func(reason string) {
		select {
		case trig <- reason:
		default: // one is pending: it covers this one too
		}
	}
	sctx, stopStream := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	dialed := make(chan struct{})
	go func() {
		defer wg.Done()
		streamLoop(sctx, a, o, trigger, func() { close(dialed) })
	}()
	defer func() {
		stopStream()
		wg.Wait()
	}()

	var debounce, retry Timer
	var reasons []string
	interval := o.Clock.NewTimer(o.Interval)
	defer func() {
		interval.Stop()
		stop(debounce)
		stop(retry)
	}()
	panics := 0 // consecutive plans that panicked
	run := func(reason string) {
		interval.Stop()
		stop(retry)
		retry = nil
		var wait time.Duration
		err := protect(func() error { wait = a.Reconcile(ctx, reason); return nil })
		if err != nil && ctx.Err() == nil {
			// A bug: report it and try again later, backing off while
			// it keeps happening (it may depend on the account's state).
			panics++
			wait = o.Backoff(panics)
			o.Report(Note{Kind: NoteInternalError, Account: a.Name, Err: err, Wait: wait, Attempt: panics, Reason: reason})
		} else if err == nil {
			panics = 0
		}
		interval = o.Clock.NewTimer(o.Interval)
		if wait > 0 {
			retry = o.Clock.NewTimer(wait)
		}
	}
	// The first plan waits for the first connection attempt, so that no
	// change slips between the plan and the subscription.
	select {
	case <-dialed:
	case <-ctx.Done():
		return
	}
	run("start")
	for {
		select {
		case <-ctx.Done():
			return
		case r := <-trig:
			if !slices.Contains(reasons, r) {
				reasons = append(reasons, r)
			}
			if debounce == nil {
				debounce = o.Clock.NewTimer(o.Debounce)
			}
		case <-chanOf(debounce):
			debounce = nil
			reason := strings.Join(reasons, ", ")
			reasons = nil
			run(reason)
		case <-interval.C():
			run("interval")
		case <-chanOf(retry):
			retry = nil
			run("retry")
		}
	}
}

func stop(t Timer) {
	if t != nil {
		t.Stop()
	}
}

// chanOf is a timer's channel, or nil (never ready) for no timer.
func chanOf(t Timer) <-chan time.Time {
	if t == nil {
		return nil
	}
	return t.C()
}

// streamLoop keeps the account's streaming connection open, reconnecting
// with backoff, and turns relevant events into triggers.
func streamLoop(ctx context.Context, a Account, o Options, trigger func(string), dialed func()) {
	attempt := 0
	connectedOnce := false
	first := true
	lastPermanent := "" // the permanent failure reported last
	for ctx.Err() == nil {
		var s Stream
		err := protect(func() (err error) { s, err = a.Dial(ctx); return err })
		// The first attempt's outcome is reported before the start plan.
		firstDone := func() {
			if first {
				first = false
				dialed()
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			attempt++
			wait := o.Backoff(attempt)
			if isPermanent(err) {
				// A refused token is refused again at every attempt until
				// someone replaces it (a reload starts afresh): retry at
				// the longest backoff, and say so once, not every 5 min
				// for weeks.
				wait = o.Backoff(maxAttempt)
				if err.Error() != lastPermanent {
					lastPermanent = err.Error()
					o.Report(Note{Kind: NoteDisconnected, Account: a.Name, Err: err, Wait: wait, Attempt: attempt, Permanent: true})
				}
			} else {
				lastPermanent = ""
				o.Report(Note{Kind: NoteDisconnected, Account: a.Name, Err: err, Wait: wait, Attempt: attempt})
			}
			firstDone()
			if !sleep(ctx, o.Clock, wait) {
				return
			}
			continue
		}
		since := o.Clock.Now()
		lastPermanent = ""
		switch {
		case connectedOnce:
			o.Report(Note{Kind: NoteReconnected, Account: a.Name, Attempt: attempt})
			// Events may have been missed while disconnected.
			trigger("reconnected")
		case attempt > 0:
			// The start plan ran before this connection, unwatched.
			o.Report(Note{Kind: NoteConnected, Account: a.Name, Attempt: attempt})
			trigger("connected")
		default:
			o.Report(Note{Kind: NoteConnected, Account: a.Name})
		}
		firstDone()
		connectedOnce = true
		for {
			var ev Event
			err := protect(func() (err error) { ev, err = s.Next(ctx); return err })
			if err != nil {
				_ = protect(s.Close)
				if ctx.Err() != nil {
					return
				}
				// A connection that lived past the longest backoff was
				// a good one: start the backoff afresh. One dropped
				// right after it opened keeps backing off, so a server
				// that accepts and closes is not hammered.
				if o.Clock.Now().Sub(since) >= o.BackoffMax {
					attempt = 0
				}
				attempt++
				wait := o.Backoff(attempt)
				o.Report(Note{Kind: NoteDisconnected, Account: a.Name, Err: err, Wait: wait, Attempt: attempt})
				if !sleep(ctx, o.Clock, wait) {
					return
				}
				break
			}
			if o.Relevant(ev) {
				o.Report(Note{Kind: NoteEvent, Account: a.Name, Event: ev})
				trigger(ev.Type)
			}
		}
	}
}

// maxAttempt is an attempt number whose backoff is BackoffMax's.
const maxAttempt = 64

// isPermanent reports whether err says retrying cannot help
// (provider.StreamError for HTTP 401 and 403).
func isPermanent(err error) bool {
	var p interface{ Permanent() bool }
	return errors.As(err, &p) && p.Permanent()
}

func sleep(ctx context.Context, c Clock, d time.Duration) bool {
	t := c.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C():
		return true
	}
}

// ErrNoAccounts is Supervise's answer to a configuration without accounts.
var ErrNoAccounts = errors.New("the configuration declares no account to watch")
