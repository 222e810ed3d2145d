package provider

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mkctl/mkctl/planner"
)

// progressEvery is how often a long wait (Misskey's hour-long rate-limit
// windows) reports how much of it is left.
const progressEvery = 5 * time.Minute

// applyRun is one Apply of one account in progress.
type applyRun struct {
	ctx    context.Context // the caller's: waits end when it ends
	base   *Client
	c      *Client // base, with progress on every notice and interruptible waits
	ap     *planner.AccountPlan
	userID string // the token owner, checked against the plan

	total   int
	done    atomic.Int64
	current string // address of the change in flight

	rec    *planner.Ownership // loaded on first use (see record)
	loaded bool
	// dirty: rec holds changes the registry does not have yet. pending
	// counts the batched changes among them (see apply_ownership.go).
	dirty   bool
	pending int
	// saving guards against a write of the record starting another one
	// (a 429 on i/registry/set would run beforeRateLimitWait).
	saving bool
	// saveErr is the first failed write: the apply stops on it, and the
	// final write is not tried again.
	saveErr error
	// created holds the ids of objects made earlier in this apply, by
	// Change.Key, for the Refs of later changes.
	created map[string]string
	// imageFolderID is the folder avatars and banners go into, once known.
	imageFolderID string
	// uploaded are the files this apply uploaded: an image may reuse them.
	uploaded []string

	// calls are the times of this apply's rate-limited calls, by endpoint,
	// written into the record with it (see noteCall).
	callsMu sync.Mutex
	calls   map[string][]int64
	// limited: until when (Unix ms) a 429 said an endpoint's window is full.
	limited map[string]int64
}

func newApplyRun(ctx context.Context, c *Client, ap *planner.AccountPlan, userID string, total int) *applyRun {
	run := &applyRun{ctx: ctx, base: c, ap: ap, userID: userID, total: total, created: map[string]string{}}
	run.c = c.derive(run.notify, run.sleep)
	run.c.beforeRateLimitWait = run.saveBeforeWait
	run.c.sent = run.noteCall
	return run
}

func (run *applyRun) progress() string {
	where := run.ap.Address
	if run.current != "" {
		where = run.current
	}
	return fmt.Sprintf("%s; %d of %d changes done", where, run.done.Load(), run.total)
}

// notify adds where the apply is to the client's notices ("rate limited on
// drive/folders/create; waiting 1h …").
func (run *applyRun) notify(msg string) {
	run.base.notify(msg + " (" + run.progress() + ")")
}

// sleep is the client's wait during an apply. It ignores the call's context
// — requests run on one that ignores cancellation — and waits on the
// caller's instead, so that an interrupt ends a wait at once. A long wait
// is cut into steps, each followed by a notice of the time left.
func (run *applyRun) sleep(_ context.Context, d time.Duration) error {
	for d > progressEvery {
		if err := run.base.sleep(run.ctx, progressEvery); err != nil {
			return err
		}
		d -= progressEvery
		run.base.notify(fmt.Sprintf("still waiting: %s left (%s)", humanDuration(d), run.progress()))
	}
	return run.base.sleep(run.ctx, d)
}

// idOf finds the id of another object of the plan: one created earlier in
// this apply, else the one in the ownership record.
func (run *applyRun) idOf(ctx context.Context, key string) (string, error) {
	if id, ok := run.created[key]; ok {
		return id, nil
	}
	rec, err := run.record(ctx)
	if err != nil {
		return "", err
	}
	if o, ok := rec.Objects[key]; ok && o.ID != "" {
		return o.ID, nil
	}
	return "", fmt.Errorf("the plan refers to %s, which this apply did not create and mkctl's ownership record does not hold; make a new plan", key)
}

// recentCalls bounds what the record keeps of rate-limited calls: those of
// the last hour (Misskey's longest window), the newest maxRecentCalls of
// each endpoint (the largest hourly limit mkctl meets is 300).
const (
	recentCallsWindow = time.Hour
	maxRecentCalls    = 300
)

// noteCall remembers an answered call of an endpoint Misskey limits per
// hour. The next plan starts its wait estimate from them: 150 follows
// after 100 made in the last few minutes take two hours, not one.
//
// A 429 also tells until when the window is full, which covers calls this
// mkctl did not make (another client of the account, an apply with another
// token): the record keeps it, and it makes the record worth writing even
// when nothing else changed (an apply stopped in its first wait).
func (run *applyRun) noteCall(endpoint string, at time.Time, status int, header http.Header) {
	if !planner.RateLimited(endpoint) {
		return
	}
	run.callsMu.Lock()
	defer run.callsMu.Unlock()
	if run.calls == nil {
		run.calls = map[string][]int64{}
	}
	run.calls[endpoint] = append(run.calls[endpoint], at.UnixMilli())
	if status != http.StatusTooManyRequests {
		return
	}
	secs, err := strconv.Atoi(strings.TrimSpace(header.Get("Retry-After")))
	if err != nil || secs < 0 || secs > int(recentCallsWindow/time.Second) {
		return // not Misskey's kind of answer: no estimate from it
	}
	if run.limited == nil {
		run.limited = map[string]int64{}
	}
	run.limited[endpoint] = max(run.limited[endpoint], at.Add(time.Duration(secs)*time.Second).UnixMilli())
	run.dirty = true
}

// mergeCalls puts this apply's calls into the record, with those of earlier
// applies that are still within the window.
func (run *applyRun) mergeCalls(rec *planner.Ownership, now time.Time) {
	run.callsMu.Lock()
	defer run.callsMu.Unlock()
	since := now.Add(-recentCallsWindow).UnixMilli()
	out := map[string][]int64{}
	for ep, ts := range rec.Calls {
		out[ep] = append(out[ep], ts...)
	}
	for ep, ts := range run.calls {
		out[ep] = append(out[ep], ts...)
	}
	run.calls = nil
	limited := map[string]int64{}
	for ep, until := range rec.Limited {
		limited[ep] = until
	}
	for ep, until := range run.limited {
		limited[ep] = max(limited[ep], until)
	}
	run.limited = nil
	for ep, until := range limited {
		if until <= now.UnixMilli() {
			delete(limited, ep)
		}
	}
	if len(limited) == 0 {
		limited = nil
	}
	rec.Limited = limited
	for ep, ts := range out {
		slices.Sort(ts)
		ts = slices.DeleteFunc(ts, func(t int64) bool { return t <= since })
		if len(ts) > maxRecentCalls {
			ts = ts[len(ts)-maxRecentCalls:]
		}
		if len(ts) == 0 {
			delete(out, ep)
			continue
		}
		out[ep] = ts
	}
	if len(out) == 0 {
		out = nil
	}
	rec.Calls = out
}
