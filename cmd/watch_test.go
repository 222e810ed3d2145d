package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mkctl/mkctl/internal/watch"
	"github.com/mkctl/mkctl/provider/emulator"
)

const watchConfig = `account "bot" {
  host     = %q
  username = "bot"
  profile {
    description = "Managed by mkctl."
  }
  drive_folder "media" {}
}
`

// watchRun is mkctl watch running against an emulator over a real
// socket, with a fake clock.
type watchRun struct {
	t      *testing.T
	e      *emulator.Emulator
	bot    *emulator.User
	token  string
	dir    string
	clock  *watch.FakeClock
	reload chan string
	out    *syncBuffer
	errOut *syncBuffer
	seen   int // records already consumed by next
	cancel context.CancelFunc
	code   chan int
}

func newWatchFixture(t *testing.T) *watchRun {
	t.Helper()
	return newWatchFixtureWith(t, func(h http.Handler) http.Handler { return h })
}

// newWatchFixtureWith serves the emulator through wrap.
func newWatchFixtureWith(t *testing.T, wrap func(http.Handler) http.Handler) *watchRun {
	t.Helper()
	e := emulator.New(emulator.Options{})
	srv := httptest.NewServer(wrap(e))
	t.Cleanup(srv.Close)
	bot := e.CreateUser("bot")
	w := &watchRun{t: t, e: e, bot: bot, token: e.IssueToken(bot.ID, mkctlPermissions), dir: t.TempDir()}
	if err := os.WriteFile(filepath.Join(w.dir, "main.mk.hcl"), []byte(fmt.Sprintf(watchConfig, srv.URL)), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("MKCTL_TOKEN", w.token)
	var out bytes.Buffer
	if code := MainContext(context.Background(), &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &out},
		[]string{"apply", "--auto-approve", "--chdir", w.dir}); code != 0 {
		t.Fatalf("apply: %d\n%s", code, out.String())
	}
	return w
}

func (w *watchRun) start(args ...string) {
	w.t.Helper()
	w.clock = watch.NewFakeClock(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))
	w.reload = make(chan string, 1)
	started := make(chan struct{})
	watchTestHooks = &struct {
		clock   watch.Clock
		reload  chan string
		started func()
	}{w.clock, w.reload, func() { close(started) }}
	w.t.Cleanup(func() { watchTestHooks = nil })
	w.out, w.errOut = &syncBuffer{}, &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel = cancel
	code := make(chan int, 1)
	w.code = code
	go func() {
		code <- MainContext(ctx, &IOStreams{In: strings.NewReader(""), Out: w.out, ErrOut: w.errOut},
			append([]string{"watch", "--chdir", w.dir, "--no-color"}, args...))
	}()
	w.t.Cleanup(func() {
		cancel()
		select {
		case <-code:
		case <-time.After(20 * time.Second):
			w.t.Error("watch did not stop")
		}
	})
	select {
	case <-started:
	case c := <-w.code:
		w.t.Fatalf("watch exited %d:\n%s%s", c, w.out.String(), w.errOut.String())
	case <-time.After(20 * time.Second):
		w.t.Fatal("watch did not start")
	}
}

func (w *watchRun) records() []map[string]any {
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(w.out.String()), "\n") {
		var r map[string]any
		if json.Unmarshal([]byte(line), &r) == nil {
			out = append(out, r)
		}
	}
	return out
}

// next waits for the next record of event (skipping others) and returns it.
func (w *watchRun) next(event string) map[string]any {
	w.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		recs := w.records()
		for i := w.seen; i < len(recs); i++ {
			if recs[i]["event"] == event {
				w.seen = i + 1
				return recs[i]
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	w.t.Fatalf("no %s event after record %d:\n%s\nstderr:\n%s", event, w.seen, w.out.String(), w.errOut.String())
	return nil
}

// advance moves the fake clock to a timer due in d (within the
// millisecond the records round to) once the loop has armed it, from its
// own goroutine.
func (w *watchRun) advance(d time.Duration) {
	w.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		for _, dl := range w.clock.Deadlines() {
			if dl >= d-time.Millisecond && dl <= d+time.Millisecond {
				w.clock.Advance(dl)
				return
			}
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("no timer of %s armed (have %v)", d, w.clock.Deadlines())
		}
		time.Sleep(time.Millisecond)
	}
}

func (w *watchRun) description() string {
	w.t.Helper()
	var me struct{ Description *string }
	w.api(w.e.NativeToken(w.bot.ID), "i", map[string]any{}, &me)
	if me.Description == nil {
		return ""
	}
	return *me.Description
}

// api calls the emulator as another client would (the web UI).
func (w *watchRun) api(token, endpoint string, body map[string]any, out any) {
	w.t.Helper()
	body["i"] = token
	data, _ := json.Marshal(body)
	req := httptest.NewRequest(http.MethodPost, "/api/"+endpoint, bytes.NewReader(data))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	w.e.ServeHTTP(rec, req)
	if rec.Code >= 300 {
		w.t.Fatalf("%s: %d %s", endpoint, rec.Code, rec.Body.String())
	}
	if out != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			w.t.Fatal(err)
		}
	}
}

func changeAddrs(r map[string]any) []string {
	var out []string
	cs, _ := r["changes"].([]any)
	for _, c := range cs {
		m := c.(map[string]any)
		out = append(out, fmt.Sprint(m["action"], " ", m["address"], " ", m["attributes"]))
	}
	return out
}

// An edit in the web UI is reported within the debounce and repaired;
// the budget makes a second repair wait, and says until when; a dropped
// connection is re-opened and the account planned again.
func TestWatchApplyRepairsDrift(t *testing.T) {
	w := newWatchFixture(t)
	w.start("--json", "--apply", "--max-applies", "1")
	// The first plan follows the first connection: nothing slips between.
	w.next("connected")
	if r := w.next("in_sync"); r["reason"] != "start" || r["account"] != "account.bot" {
		t.Fatalf("first plan: %v", r)
	}

	// Someone edits the profile in the web UI.
	native := w.e.NativeToken(w.bot.ID)
	w.api(native, "i/update", map[string]any{"description": "edited by hand"}, nil)
	if r := w.next("stream_event"); r["stream"] != "main/meUpdated" {
		t.Fatalf("stream event: %v", r)
	}
	w.advance(5 * time.Second) // the debounce: drift is reported within it
	r := w.next("drift_detected")
	if got := changeAddrs(r); len(got) != 1 || got[0] != "update account.bot.profile [description]" || r["reason"] != "meUpdated" {
		t.Fatalf("drift: %v", r)
	}
	r = w.next("applied")
	if res := r["result"].(map[string]any); res["changed"] != 1.0 {
		t.Fatalf("applied: %v", r)
	}
	if d := w.description(); d != "Managed by mkctl." {
		t.Fatalf("description after the repair: %q", d)
	}
	// The repair's own meUpdated: the next plan confirms convergence.
	w.advance(5 * time.Second)
	if r := w.next("in_sync"); r["reason"] != "meUpdated" {
		t.Fatalf("after the repair: %v", r)
	}

	// A second edit within the hour: the budget (1 apply an hour) makes
	// the repair wait, and the drift is not dropped.
	w.api(native, "i/update", map[string]any{"description": "again"}, nil)
	w.advance(5 * time.Second)
	w.next("drift_detected")
	r = w.next("apply_waiting")
	if wait := r["retry_in_seconds"].(float64); wait < 3590 || wait > 3600 || !strings.Contains(r["error"].(string), "budget") {
		t.Fatalf("budget wait: %v", r)
	}
	if d := w.description(); d != "again" {
		t.Fatalf("applied beyond the budget: %q", d)
	}
	w.advance(time.Duration(r["retry_in_seconds"].(float64) * float64(time.Second)))
	if r := w.next("applied"); r["reason"] != "retry" {
		t.Fatalf("after the wait: %v", r)
	}
	if d := w.description(); d != "Managed by mkctl." {
		t.Fatalf("description after the budget wait: %q", d)
	}

	// The connection drops: reconnect after a backoff, then plan again.
	w.advance(5 * time.Second) // the repair's meUpdated
	w.next("in_sync")
	w.e.DropStreams()
	r = w.next("disconnected")
	wait := time.Duration(r["retry_in_seconds"].(float64) * float64(time.Second))
	if wait < 500*time.Millisecond || wait > time.Second {
		t.Fatalf("first backoff %v", wait)
	}
	w.advance(wait)
	w.next("reconnected")
	w.advance(5 * time.Second)
	if r := w.next("in_sync"); r["reason"] != "reconnected" {
		t.Fatalf("after reconnecting: %v", r)
	}
	if n := w.e.StreamClients(w.bot.ID); n != 1 {
		t.Fatalf("%d streaming connections, want 1", n)
	}

	w.cancel()
	if code := <-w.code; code != 0 {
		t.Fatalf("exit %d after SIGTERM", code)
	}
	w.code <- 0 // for the cleanup
	if !strings.Contains(w.out.String(), `"event":"stopped"`) {
		t.Fatal("no stopped event")
	}
	if all := w.out.String() + w.errOut.String(); strings.Contains(all, w.token) || strings.Contains(all, native) {
		t.Fatal("a token reached the output")
	}
	// Every record keeps to the schema README.md documents.
	fields := map[string]bool{"time": true, "event": true, "account": true, "reason": true, "stream": true, "changes": true,
		"result": true, "error": true, "retry_in_seconds": true, "accounts": true, "apply": true}
	events := map[string]bool{}
	for _, r := range w.records() {
		events[r["event"].(string)] = true
		for k := range r {
			if !fields[k] {
				t.Errorf("undocumented field %q in %v", k, r)
			}
		}
		if _, err := time.Parse(time.RFC3339Nano, r["time"].(string)); err != nil {
			t.Errorf("time: %v", err)
		}
	}
	for _, e := range []string{"started", "connected", "in_sync", "stream_event", "drift_detected", "applied", "apply_waiting", "disconnected", "reconnected", "stopped"} {
		if !events[e] {
			t.Errorf("no %s record", e)
		}
	}
	for _, v := range w.e.Violations() {
		t.Errorf("emulator violation: %+v", v)
	}
}

// Without --apply watch only reports; a bad edit of the configuration is
// reported (file:line) and the running configuration kept; a good one is
// loaded and planned at once.
func TestWatchReportsAndReloads(t *testing.T) {
	w := newWatchFixture(t)
	w.start()
	w.next0("no drift (after start)")
	native := w.e.NativeToken(w.bot.ID)
	w.api(native, "i/update", map[string]any{"description": "edited by hand"}, nil)
	w.advance(5 * time.Second)
	w.next0("drift (after meUpdated): ~ account.bot.profile (description)")
	if d := w.description(); d != "edited by hand" {
		t.Fatalf("watch without --apply changed the account: %q", d)
	}

	// A bad edit, noticed by the file watcher.
	path := filepath.Join(w.dir, "main.mk.hcl")
	good, _ := os.ReadFile(path)
	if err := os.WriteFile(path, []byte(strings.Replace(string(good), "profile {", "profile {\n    nmae = 1", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	w.advance(500 * time.Millisecond)
	w.next0("configuration not reloaded, the running one stays (main.mk.hcl changed): " + path + ":5,5-9: Unsupported argument")
	// The old configuration still watches.
	w.api(native, "i/update", map[string]any{"description": "edited again"}, nil)
	w.advance(5 * time.Second)
	w.next0("drift (after meUpdated): ~ account.bot.profile (description)")

	// A good edit: the new configuration is planned at once.
	if err := os.WriteFile(path, []byte(strings.Replace(string(good), "Managed by mkctl.", "edited again", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	w.advance(500 * time.Millisecond)
	w.next0("configuration reloaded (main.mk.hcl changed)")
	w.next0("no drift (after start)")

	// SIGHUP reloads too.
	w.reload <- "SIGHUP"
	w.advance(500 * time.Millisecond)
	w.next0("SIGHUP)") // with a late event of the file write, if any
}

// next0 waits for a human log line containing s.
func (w *watchRun) next0(s string) {
	w.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		lines := strings.Split(w.out.String(), "\n")
		for i := w.seen; i < len(lines); i++ {
			if strings.Contains(lines[i], s) {
				w.seen = i + 1
				return
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	w.t.Fatalf("no line with %q after line %d:\n%s\nstderr:\n%s", s, w.seen, w.out.String(), w.errOut.String())
}

// A pinned note's replace is reported, not applied, without
// --allow-pinned-note-replace.
func TestWatchHoldsChangesNeedingConfirmation(t *testing.T) {
	w := newWatchFixture(t)
	path := filepath.Join(w.dir, "main.mk.hcl")
	cfg, _ := os.ReadFile(path)
	withPin := strings.Replace(string(cfg), `drive_folder "media" {}`, `drive_folder "media" {}
  pinned_note "about" { text = "About." }`, 1)
	if err := os.WriteFile(path, []byte(withPin), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if code := MainContext(context.Background(), &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &out},
		[]string{"apply", "--auto-approve", "--chdir", w.dir}); code != 0 {
		t.Fatalf("apply: %s", out.String())
	}
	// The note's text changes in the configuration: a replace.
	if err := os.WriteFile(path, []byte(strings.Replace(withPin, "About.", "About this bot.", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	pins := w.e.PinnedNoteIDs(w.bot.ID)
	w.start("--json", "--apply")
	r := w.next("apply_blocked")
	if !strings.Contains(r["error"].(string), "--allow-pinned-note-replace") {
		t.Fatalf("blocked: %v", r)
	}
	if got := w.e.PinnedNoteIDs(w.bot.ID); !slices.Equal(got, pins) {
		t.Fatalf("the pinned note was replaced: %v → %v", pins, got)
	}
	w.cancel()
	<-w.code
	w.code <- 0

	// Explicitly allowed: applied.
	w.seen = 0
	w.start("--json", "--apply", "--allow-pinned-note-replace")
	if r := w.next("applied"); !strings.Contains(fmt.Sprint(changeAddrs(r)), "replace account.bot.pinned_note.about") {
		t.Fatalf("applied: %v", r)
	}
	if got := w.e.PinnedNoteIDs(w.bot.ID); len(got) != 1 || slices.Equal(got, pins) {
		t.Fatalf("pins after the allowed replace: %v (before %v)", got, pins)
	}
}

func TestWatchMetricsEndpoint(t *testing.T) {
	w := newWatchFixture(t)
	addr := freeLoopbackAddr(t)
	w.start("--json", "--metrics", addr)
	w.next("connected")
	w.next("in_sync")
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`mkctl_watch_drift_changes{account="account.bot"} 0`,
		`mkctl_watch_stream_connected{account="account.bot"} 1`,
		`mkctl_watch_last_plan_success_timestamp_seconds{account="account.bot"} 1796040000`,
		"# TYPE mkctl_watch_reconnects_total counter",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %q:\n%s", want, body)
		}
	}
}

func TestWatchMetricsLabelEscaping(t *testing.T) {
	m := newWatchMetrics()
	m.declare(`account.fleet["rain"]`)
	m.planned(`account.fleet["rain"]`, time.Unix(1, 0))
	var b bytes.Buffer
	m.write(&b)
	if !strings.Contains(b.String(), `mkctl_watch_drift_changes{account="account.fleet[\"rain\"]"} 0`) {
		t.Fatal(b.String())
	}
	// An account a reload removed leaves the metrics.
	m.keepOnly([]string{"account.other"})
	b.Reset()
	m.write(&b)
	if strings.Contains(b.String(), "rain") {
		t.Fatal(b.String())
	}
	// Its loop, finishing a plan after the reload, does not bring it back.
	m.planned(`account.fleet["rain"]`, time.Unix(2, 0))
	m.setConnected(`account.fleet["rain"]`, true)
	m.inc(`account.fleet["rain"]`, "reconnects")
	m.applied(`account.fleet["rain"]`, time.Unix(2, 0))
	m.setDrift(`account.fleet["rain"]`, 1)
	b.Reset()
	m.write(&b)
	if strings.Contains(b.String(), "rain") {
		t.Fatalf("a removed account's series came back:\n%s", b.String())
	}
}

func TestWatchFlagValidation(t *testing.T) {
	for _, args := range [][]string{
		{"--interval", "10s"}, {"--debounce", "0s"}, {"--max-applies", "0"}, {"--max-changes", "0"}, {"--budget-window", "1s"},
	} {
		var out bytes.Buffer
		code := MainContext(context.Background(), &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &out},
			append([]string{"watch", "--chdir", t.TempDir()}, args...))
		if code != 1 || !strings.Contains(out.String(), args[0]) {
			t.Errorf("%v: exit %d, %s", args, code, out.String())
		}
	}
}

// Deletions beyond the deletion guard are drift to report, and with
// --apply a plan to hold: apply would refuse it without --allow-mass-delete.
func TestWatchHoldsDeletionsBeyondTheGuard(t *testing.T) {
	w := newWatchFixture(t)
	path := filepath.Join(w.dir, "main.mk.hcl")
	cfg, _ := os.ReadFile(path)
	guarded := strings.Replace(string(cfg), `drive_folder "media" {}`, `drive_folder "media" {}
  drive_folder "docs" {}
  deletion_guard {
    max_objects = 1
    max_percent = 10
  }`, 1)
	if err := os.WriteFile(path, []byte(guarded), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if code := MainContext(context.Background(), &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &out},
		[]string{"apply", "--auto-approve", "--chdir", w.dir}); code != 0 {
		t.Fatalf("apply: %s", out.String())
	}
	// Both folders leave the configuration: 2 deletions of 2.
	bare := strings.Replace(strings.Replace(guarded, `drive_folder "media" {}`, "", 1), `drive_folder "docs" {}`, "", 1)
	if err := os.WriteFile(path, []byte(bare), 0o644); err != nil {
		t.Fatal(err)
	}
	w.start("--json", "--apply")
	if r := w.next("drift_detected"); len(changeAddrs(r)) != 2 {
		t.Fatalf("drift: %v", r)
	}
	r := w.next("apply_blocked")
	if e := r["error"].(string); !strings.Contains(e, "Too many deletions") || !strings.Contains(e, "main.mk.hcl:") {
		t.Fatalf("blocked: %v", r)
	}
	if n := len(w.e.DriveFoldersOf(w.bot.ID)); n != 2 {
		t.Fatalf("%d folders left, want 2: the guard was bypassed", n)
	}
}

// An invalid configuration at start is an error exit (systemd restarts
// the unit later), with the diagnostics once.
func TestWatchInvalidConfigAtStart(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.mk.hcl"), []byte("account \"bot\" {\n  host = \"https://misskey.example\"\n  username = \"bot\"\n  nmae = 1\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code := MainContext(context.Background(), &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut},
		[]string{"watch", "--chdir", dir, "--no-color"})
	if code != 1 || strings.Count(errOut.String(), "Unsupported argument") != 1 || !strings.Contains(errOut.String(), "main.mk.hcl:4:3") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String())
	}
	out.Reset()
	errOut.Reset()
	code = MainContext(context.Background(), &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut},
		[]string{"watch", "--json", "--chdir", dir})
	if code != 1 || !strings.Contains(errOut.String(), "main.mk.hcl:4,3-7: Unsupported argument") {
		t.Fatalf("--json: exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String())
	}
}

// SIGTERM during an apply stops watch after the change in flight: the
// request already sent completes (the profile is repaired), and watch
// exits 0.
func TestWatchSIGTERMFinishesTheChangeInFlight(t *testing.T) {
	var armed atomic.Bool
	inFlight, release := make(chan struct{}), make(chan struct{})
	w := newWatchFixtureWith(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/i/update" && armed.CompareAndSwap(true, false) {
				close(inFlight)
				<-release
			}
			h.ServeHTTP(rw, r)
		})
	})
	native := w.e.NativeToken(w.bot.ID)
	w.api(native, "i/update", map[string]any{"description": "edited by hand"}, nil)
	armed.Store(true)
	w.start("--json", "--apply")
	<-inFlight // the repair's i/update is on its way
	w.cancel() // SIGTERM
	time.Sleep(50 * time.Millisecond)
	select {
	case code := <-w.code:
		t.Fatalf("watch exited (%d) with a change in flight", code)
	default:
	}
	close(release)
	if code := <-w.code; code != 0 {
		t.Fatalf("exit %d:\n%s%s", code, w.out.String(), w.errOut.String())
	}
	w.code <- 0
	if d := w.description(); d != "Managed by mkctl." {
		t.Fatalf("the change in flight did not complete: %q", d)
	}
	w.next("applied")
	w.next("stopped")
}

// A fleet: one streaming connection per account, each account planned on
// its own events only.
func TestWatchFleetOneConnectionPerAccount(t *testing.T) {
	w := newWatchFixture(t)
	bot2 := w.e.CreateUser("bot2")
	path := filepath.Join(w.dir, "main.mk.hcl")
	cfg, _ := os.ReadFile(path)
	second := strings.Replace(strings.Replace(string(cfg), `account "bot"`, `account "bot2"`, 1), `username = "bot"`, `username = "bot2"`, 1)
	if err := os.WriteFile(filepath.Join(w.dir, "second.mk.hcl"), []byte(second), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("MKCTL_TOKEN", "")
	t.Setenv("MKCTL_TOKEN_BOT", w.token)
	t.Setenv("MKCTL_TOKEN_BOT2", w.e.IssueToken(bot2.ID, mkctlPermissions))
	var out bytes.Buffer
	if code := MainContext(context.Background(), &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &out},
		[]string{"apply", "--auto-approve", "--chdir", w.dir}); code != 0 {
		t.Fatalf("apply: %s", out.String())
	}
	w.start("--json", "--apply")
	started := w.next("started")
	if fmt.Sprint(started["accounts"]) != "[account.bot account.bot2]" {
		t.Fatalf("started: %v", started)
	}
	waitFor := func(what string, cond func() bool) {
		deadline := time.Now().Add(20 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s:\n%s", what, w.out.String())
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
	count := func(event, account string) int {
		n := 0
		for _, r := range w.records() {
			if r["event"] == event && r["account"] == account {
				n++
			}
		}
		return n
	}
	waitFor("both start plans", func() bool { return count("in_sync", "account.bot") == 1 && count("in_sync", "account.bot2") == 1 })
	if a, b := w.e.StreamClients(w.bot.ID), w.e.StreamClients(bot2.ID); a != 1 || b != 1 {
		t.Fatalf("streaming connections: bot %d, bot2 %d; want 1 each", a, b)
	}
	w.api(w.e.NativeToken(bot2.ID), "i/update", map[string]any{"description": "edited by hand"}, nil)
	waitFor("bot2's event", func() bool { return count("stream_event", "account.bot2") == 1 })
	w.advance(5 * time.Second)
	waitFor("bot2's repair", func() bool { return count("applied", "account.bot2") == 1 })
	if n := count("drift_detected", "account.bot"); n != 0 {
		t.Fatalf("bot planned drift from bot2's edit: %d", n)
	}
}
