package cmd

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/internal/watch"
)

// TestWatchInternalErrorIsAnEvent: a panic recovered in an account's plan
// or apply (internal/watch: TestPanicInReconcileIsReportedAndRetried) is
// plan_failed or apply_failed — whichever the account was doing — saying
// "internal error" and when it is retried, counted as a failure; the stack
// goes to the MKCTL_LOG=debug log only.
func TestWatchInternalErrorIsAnEvent(t *testing.T) {
	for _, tc := range []struct {
		phase, event, counter, logLevel string
	}{
		{"plan_failed", "plan_failed", "plan_failures", ""},
		{"apply_failed", "apply_failed", "apply_failures", "debug"},
	} {
		t.Run(tc.event, func(t *testing.T) {
			var out, errOut bytes.Buffer
			g := &globalOptions{IO: &IOStreams{Out: &out, ErrOut: &errOut}, Getenv: func(k string) string {
				if k == "MKCTL_LOG" {
					return tc.logLevel
				}
				return ""
			}}
			clock := watch.NewFakeClock(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))
			w := &watcher{opts: &watchOptions{globalOptions: g, JSON: true}, clock: clock, metrics: newWatchMetrics(),
				budgets: map[string]*watch.Budget{}, phases: map[string]string{}}
			w.out = &watchLog{io: g.IO, json: true, clock: clock}
			w.metrics.declare("account.bot")
			w.setPhase("account.bot", tc.phase)
			stack := []byte("goroutine 7 [running]:\nmkctl/cmd.(*watcher).reconcile(...)\n")
			w.note(watch.Note{Kind: watch.NoteInternalError, Account: "account.bot", Reason: "interval", Wait: 2 * time.Second, Attempt: 2,
				Err: &watch.PanicError{Value: "assignment to entry in nil map", Stack: stack}})
			var r map[string]any
			if err := json.Unmarshal(out.Bytes(), &r); err != nil {
				t.Fatalf("%v: %q", err, out.String())
			}
			if r["event"] != tc.event || r["account"] != "account.bot" || r["retry_in_seconds"] != 2.0 ||
				!strings.HasPrefix(r["error"].(string), "internal error: assignment to entry in nil map") {
				t.Fatalf("record: %v", r)
			}
			if strings.Contains(out.String(), "goroutine") {
				t.Fatal("the stack reached the event")
			}
			if got := strings.Contains(errOut.String(), "goroutine 7"); got != (tc.logLevel == "debug") {
				t.Fatalf("stack in the log %v with MKCTL_LOG=%q:\n%s", got, tc.logLevel, errOut.String())
			}
			var m bytes.Buffer
			w.metrics.write(&m)
			if !strings.Contains(m.String(), "mkctl_watch_"+tc.counter+`_total{account="account.bot"} 1`) {
				t.Fatalf("not counted:\n%s", m.String())
			}
		})
	}
}
