package cmd

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/internal/watch"
)

// TestWatchLogLineEscapesControlCharacters: an account key, a server's
// error message or a change's address may hold a line break or a terminal
// escape (a key is any string; a clip name is any text Misskey took); the
// default log output stays one line per event, with them escaped, so that
// a log pipeline reading lines cannot be fed a forged event.
func TestWatchLogLineEscapesControlCharacters(t *testing.T) {
	var out bytes.Buffer
	l := &watchLog{io: &IOStreams{Out: &out}, clock: watch.NewFakeClock(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))}
	forged := "\n2026-11-30T12:00:00Z account.bot: no drift"
	l.emit(watchRecord{Event: "plan_failed", Account: `account.fleet["a` + forged + `"]`, Reason: "start",
		Error: "i: the server answered HTTP 502: bad\r\ngateway\x1b[2J" + forged, RetryIn: 300})
	l.emit(watchRecord{Event: "drift_detected", Account: "account.bot", Reason: "meUpdated",
		Changes: []watchChange{{Address: "account.bot.clip[\"x\ny\"]", Action: "delete"}}})
	l.emit(watchRecord{Event: "config_invalid", Reason: "a\nb.mk.hcl changed", Error: "x\ny"})
	l.emit(watchRecord{Event: "started", Accounts: []string{"account.a\nb"}})
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 4 || strings.ContainsAny(out.String(), "\r\x1b") {
		t.Fatalf("%d lines, want 4 (one per event):\n%q", len(lines), out.String())
	}
	for _, want := range []string{`account.fleet["a\n2026-11-30T12:00:00Z account.bot: no drift"]: plan failed (after start): `,
		`bad\r\ngateway\x1b[2J\n2026`, `- account.bot.clip["x\ny"]`, `(a\nb.mk.hcl changed): x\ny`, `watching account.a\nb`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in\n%s", want, out.String())
		}
	}
}

// TestWatchPlanFailedSaysWhatToDo: a token without read:account cannot
// read the account; plan_failed says so with the same hint plan prints
// (which permission, mkctl login), not only Misskey's code.
func TestWatchPlanFailedSaysWhatToDo(t *testing.T) {
	w := newWatchFixture(t)
	var perms []string
	for _, p := range mkctlPermissions {
		if p != "read:account" {
			perms = append(perms, p)
		}
	}
	tok := w.e.IssueToken(w.bot.ID, perms)
	t.Setenv("MKCTL_TOKEN", tok)
	w.start("--json")
	r := w.next("plan_failed")
	e, _ := r["error"].(string)
	for _, want := range []string{"i: Misskey answered 403 PERMISSION_DENIED", "read:account", "mkctl login --host "} {
		if !strings.Contains(e, want) {
			t.Errorf("plan_failed lacks %q: %v", want, r)
		}
	}
	if strings.Contains(w.out.String()+w.errOut.String(), tok) {
		t.Fatal("the token reached the output")
	}
}

// TestWatchRefusedTokenIsReportedAsPermanent: the streaming endpoint
// refuses a token without read:account (HTTP 401) at every attempt; the
// disconnection says what to do and that retrying cannot mend it, and the
// retry waits the longest backoff from the first failure, never fast.
func TestWatchRefusedTokenIsReportedAsPermanent(t *testing.T) {
	w := newWatchFixture(t)
	tok := w.e.IssueToken(w.bot.ID, []string{"write:account"})
	t.Setenv("MKCTL_TOKEN", tok)
	w.start("--json")
	r := w.next("disconnected")
	e, _ := r["error"].(string)
	for _, want := range []string{"HTTP 401", "read:account", "mkctl login --host http://127.0.0.1:", "retrying cannot mend this"} {
		if !strings.Contains(e, want) {
			t.Errorf("disconnected lacks %q: %v", want, r)
		}
	}
	if wait := r["retry_in_seconds"].(float64); wait < 150 || wait > 300 {
		t.Errorf("retry in %vs, want the longest backoff (150-300s)", wait)
	}
	if strings.Contains(w.out.String()+w.errOut.String(), tok) {
		t.Fatal("the token reached the output")
	}
}
