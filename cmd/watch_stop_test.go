package cmd

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestWatchReloadStopsARepairWithoutAlarm: SIGHUP in the middle of a
// repair of two changes lets the change in flight complete and stops the
// other; that is apply_stopped, not apply_failed (no failure counted: a
// routine systemctl reload is no alarm), and the new configuration's first
// plan applies what remains.
func TestWatchReloadStopsARepairWithoutAlarm(t *testing.T) {
	w, inFlight, release, addr := newTwoChangeRepair(t)
	<-inFlight
	w.reload <- "SIGHUP"
	w.advance(500 * time.Millisecond)
	// The reload has stopped the running account once its streaming
	// connection is closed (both end with the same context).
	waitUntil(t, "the old account's stream to close", func() bool { return w.e.StreamClients(w.bot.ID) == 0 })
	close(release)
	r := w.next("apply_stopped")
	if res, _ := r["result"].(map[string]any); res == nil || res["added"].(float64)+res["changed"].(float64) != 1 || !strings.Contains(r["error"].(string), "1 of 2 changes done") {
		t.Fatalf("the stopped repair: %v", r)
	}
	w.next("config_reloaded")
	if r := w.next("drift_detected"); r["reason"] != "start" || len(changeAddrs(r)) != 1 {
		t.Fatalf("the new configuration's plan: %v", r)
	}
	w.next("applied")
	if d := w.description(); d != "Managed by mkctl." {
		t.Fatalf("description %q", d)
	}
	if n := len(w.e.DriveFoldersOf(w.bot.ID)); n != 2 {
		t.Fatalf("%d folders, want 2", n)
	}
	noApplyFailure(t, w, addr)
}

// TestWatchSIGTERMStopsARepairWithoutAlarm: the same for SIGTERM, which
// exits 0 after apply_stopped (the next run applies what remains).
func TestWatchSIGTERMStopsARepairWithoutAlarm(t *testing.T) {
	w, inFlight, release, _ := newTwoChangeRepair(t)
	<-inFlight
	w.cancel()
	close(release)
	r := w.next("apply_stopped")
	if !strings.Contains(r["error"].(string), "1 of 2 changes done") {
		t.Fatalf("the stopped repair: %v", r)
	}
	if code := <-w.code; code != 0 {
		t.Fatalf("exit %d", code)
	}
	w.code <- 0
	w.next("stopped")
	// The metrics are gone with the process; the event is what counts.
	noApplyFailure(t, w, "")
}

// newTwoChangeRepair starts watch --apply on an account with two changes
// to repair, the first write held until release is closed.
func newTwoChangeRepair(t *testing.T) (w *watchRun, inFlight, release chan struct{}, metricsAddr string) {
	var armed atomic.Bool
	var writes atomic.Int32
	inFlight, release = make(chan struct{}), make(chan struct{})
	w = newWatchFixtureWith(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			if (r.URL.Path == "/api/i/update" || r.URL.Path == "/api/drive/folders/create") && armed.Load() && writes.Add(1) == 1 {
				close(inFlight)
				<-release
			}
			h.ServeHTTP(rw, r)
		})
	})
	// Two changes: the profile edited by hand, a folder newly declared.
	path := filepath.Join(w.dir, "main.mk.hcl")
	cfg, _ := os.ReadFile(path)
	if err := os.WriteFile(path, []byte(strings.Replace(string(cfg), `drive_folder "media" {}`, "drive_folder \"media\" {}\n  drive_folder \"docs\" {}", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	w.api(w.e.NativeToken(w.bot.ID), "i/update", map[string]any{"description": "edited by hand"}, nil)
	addr := freeLoopbackAddr(t)
	armed.Store(true)
	w.start("--json", "--apply", "--metrics", addr)
	if r := w.next("drift_detected"); len(changeAddrs(r)) != 2 {
		t.Fatalf("drift: %v", r)
	}
	return w, inFlight, release, addr
}

// noApplyFailure checks that no apply_failed was reported, nor counted
// at the metrics address addr (unless "").
func noApplyFailure(t *testing.T, w *watchRun, addr string) {
	t.Helper()
	for _, r := range w.records() {
		if r["event"] == "apply_failed" {
			t.Fatalf("a stop reported as a failure: %v", r)
		}
	}
	if addr == "" {
		return
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `mkctl_watch_apply_failures_total{account="account.bot"} 0`) {
		t.Fatalf("the reload counted as an apply failure:\n%s", body)
	}
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}
