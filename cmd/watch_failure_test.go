package cmd

import (
	"bytes"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mkctl/mkctl/internal/watch"
)

// TestWatchRepeatedPlanFailureIsReportedHourly: a plan failure that stays
// the same (a token that can never work) is reported once, then reminded
// every hour with how many plans failed since when — not every 5-minute
// retry — and the plan that succeeds again says the failure cleared.
func TestWatchRepeatedPlanFailureIsReportedHourly(t *testing.T) {
	var failing atomic.Bool
	w := newWatchFixtureWith(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			if failing.Load() && r.URL.Path == "/api/i" {
				rw.Header().Set("Content-Type", "application/json")
				rw.WriteHeader(http.StatusBadRequest)
				_, _ = rw.Write([]byte(`{"error":{"message":"No such thing.","code":"NO_SUCH_THING","id":"5a0b7a8e-0000-4000-8000-000000000001","kind":"client"}}`))
				return
			}
			h.ServeHTTP(rw, r)
		})
	})
	failing.Store(true)
	w.start("--json", "--interval", "24h")
	first := w.next("plan_failed")
	if first["repeated"] != nil || first["retry_in_seconds"] != 300.0 || !strings.Contains(first["error"].(string), "NO_SUCH_THING") {
		t.Fatalf("first failure: %v", first)
	}
	// 11 more retries within the hour: the same failure, not reported.
	for range 11 {
		w.advance(watchRetryAfterError)
	}
	w.advance(watchRetryAfterError) // an hour after the first report
	reminder := w.next("plan_failed")
	if reminder["repeated"] != 13.0 || reminder["failing_since"] != "2026-11-30T12:00:00Z" || reminder["error"] != first["error"] {
		t.Fatalf("reminder: %v", reminder)
	}
	if n := countEvents(w.records(), "plan_failed"); n != 2 {
		t.Fatalf("%d plan_failed events for 13 identical failures, want 2:\n%s", n, w.out.String())
	}
	failing.Store(false)
	w.advance(watchRetryAfterError)
	rec := w.next("plan_recovered")
	if rec["repeated"] != 13.0 || rec["failing_since"] != "2026-11-30T12:00:00Z" {
		t.Fatalf("recovered: %v", rec)
	}
	w.next("in_sync")
	// A failure after the recovery is a new one: reported at once.
	failing.Store(true)
	w.advance(24 * time.Hour)
	if again := w.next("plan_failed"); again["repeated"] != nil {
		t.Fatalf("a new failure after recovery: %v", again)
	}
	if n := countEvents(w.records(), "plan_failed"); n != 3 {
		t.Fatalf("%d plan_failed events, want 3", n)
	}
}

func countEvents(recs []map[string]any, event string) int {
	n := 0
	for _, r := range recs {
		if r["event"] == event {
			n++
		}
	}
	return n
}

// A different error is a new failure, reported at once; after a reload the
// same failure is reported again (someone is looking); the human form says
// "still failing" and "succeeds again".
func TestWatchPlanFailureDedupRules(t *testing.T) {
	var out bytes.Buffer
	g := &globalOptions{IO: &IOStreams{Out: &out, ErrOut: &out}}
	clock := watch.NewFakeClock(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))
	w := &watcher{opts: &watchOptions{globalOptions: g}, clock: clock, metrics: newWatchMetrics(), phases: map[string]string{}}
	w.out = &watchLog{io: g.IO, clock: clock}
	fail := func(msg string) { w.planFailed(watchRecord{Event: "plan_failed", Account: "account.bot", Error: msg}) }
	lines := func() []string { return strings.Split(strings.TrimSpace(out.String()), "\n") }
	fail("token refused")
	fail("token refused")
	if n := len(lines()); n != 1 {
		t.Fatalf("the same failure twice: %d lines:\n%s", n, out.String())
	}
	fail("server unreachable")
	if l := lines(); len(l) != 2 || !strings.HasSuffix(l[1], "plan failed: server unreachable") {
		t.Fatalf("a different failure:\n%s", out.String())
	}
	w.note(watch.Note{Kind: watch.NoteConfigReload, Reason: "SIGHUP"})
	clock.Advance(time.Minute)
	fail("server unreachable")
	if l := lines(); len(l) != 4 || !strings.HasSuffix(l[3], "plan still failing (2 failed plans since 2026-11-30T12:00:00Z): server unreachable") {
		t.Fatalf("after a reload:\n%s", out.String())
	}
	fail("server unreachable") // a minute after the reload's report: quiet again
	if n := len(lines()); n != 4 {
		t.Fatalf("reported again right after the reload's reminder:\n%s", out.String())
	}
	w.planSucceeded("account.bot")
	w.planSucceeded("account.bot") // a second success says nothing more
	if l := lines(); len(l) != 5 || !strings.HasSuffix(l[4], "account.bot: plan succeeds again (after 3 failed plans since 2026-11-30T12:00:00Z)") {
		t.Fatalf("recovery:\n%s", out.String())
	}
}

// A bug that panics at every retry of a plan is a repeated failure too.
func TestWatchRepeatedInternalErrorIsReportedOnce(t *testing.T) {
	var out bytes.Buffer
	g := &globalOptions{IO: &IOStreams{Out: &out, ErrOut: &out}}
	clock := watch.NewFakeClock(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))
	w := &watcher{opts: &watchOptions{globalOptions: g}, clock: clock, metrics: newWatchMetrics(), phases: map[string]string{}}
	w.out = &watchLog{io: g.IO, clock: clock}
	w.metrics.declare("account.bot")
	for range 3 {
		w.note(watch.Note{Kind: watch.NoteInternalError, Account: "account.bot", Wait: 5 * time.Minute, Err: &watch.PanicError{Value: "nil map"}})
		clock.Advance(5 * time.Minute)
	}
	if n := strings.Count(out.String(), "plan failed"); n != 1 {
		t.Fatalf("%d reports of the same panic, want 1:\n%s", n, out.String())
	}
	var m bytes.Buffer
	w.metrics.write(&m)
	if !strings.Contains(m.String(), `mkctl_watch_plan_failures_total{account="account.bot"} 3`) {
		t.Fatalf("not every failure counted:\n%s", m.String())
	}
}
