package cmd

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// A relative --var-file is read from the working directory, not from
// --chdir (schema.LoadOptions.VarFiles): the file watcher must watch that
// file, and must not refuse to start because --chdir has no such
// directory.
func TestWatchConfigFilesVarFileRelativeToWorkingDirectory(t *testing.T) {
	cwd := t.TempDir()
	conf := filepath.Join(cwd, "conf")
	if err := os.MkdirAll(filepath.Join(cwd, "vars"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(conf, 0o755); err != nil {
		t.Fatal(err)
	}
	varFile := filepath.Join(cwd, "vars", "prod.vars.hcl")
	if err := os.WriteFile(varFile, []byte("a = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(cwd)
	reload := make(chan string, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// conf/vars does not exist: the var file is ./vars/prod.vars.hcl.
	stop, err := watchConfigFiles(ctx, conf, []string{"vars/prod.vars.hcl"}, reload, func(err error) { t.Error(err) })
	if err != nil {
		t.Fatalf("watching --chdir conf --var-file vars/prod.vars.hcl: %v", err)
	}
	defer stop()
	if err := os.WriteFile(varFile, []byte("a = 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-reload:
		if r != "prod.vars.hcl changed" {
			t.Fatalf("reload reason %q", r)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("an edit of the --var-file made no reload")
	}
}

// An edit that leaves no account is refused (the running configuration
// stays), and the running accounts keep their metrics.
func TestWatchReloadWithoutAccountsKeepsMetrics(t *testing.T) {
	w := newWatchFixture(t)
	addr := freeLoopbackAddr(t)
	w.start("--json", "--metrics", addr)
	w.next("in_sync")
	path := filepath.Join(w.dir, "main.mk.hcl")
	if err := os.WriteFile(path, []byte("# every account removed by mistake\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	w.advance(500 * time.Millisecond)
	if r := w.next("config_invalid"); !strings.Contains(r["error"].(string), "no account") {
		t.Fatalf("config_invalid: %v", r)
	}
	// The running configuration still plans, and /metrics shows it.
	native := w.e.NativeToken(w.bot.ID)
	w.api(native, "i/update", map[string]any{"description": "edited by hand"}, nil)
	w.advance(5 * time.Second)
	w.next("drift_detected")
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `mkctl_watch_drift_changes{account="account.bot"} 1`) {
		t.Fatalf("metrics after a refused reload:\n%s", body)
	}
}

// A --var-file is part of the configuration: a bad edit of it is reported
// and the running configuration kept; a good one is loaded and planned.
func TestWatchReloadsOnVarFileEdits(t *testing.T) {
	w := newWatchFixture(t)
	path := filepath.Join(w.dir, "main.mk.hcl")
	cfg, _ := os.ReadFile(path)
	withVar := "variable \"description\" {}\n" + strings.Replace(string(cfg), `"Managed by mkctl."`, "var.description", 1)
	if err := os.WriteFile(path, []byte(withVar), 0o644); err != nil {
		t.Fatal(err)
	}
	vars := filepath.Join(t.TempDir(), "prod.vars.hcl")
	if err := os.WriteFile(vars, []byte("description = \"Managed by mkctl.\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	w.start("--json", "--var-file", vars)
	if r := w.next("in_sync"); r["reason"] != "start" {
		t.Fatalf("start: %v", r)
	}
	if err := os.WriteFile(vars, []byte("description = \n"), 0o644); err != nil {
		t.Fatal(err)
	}
	w.advance(500 * time.Millisecond)
	if r := w.next("config_invalid"); !strings.Contains(r["error"].(string), "prod.vars.hcl:1") || r["reason"] != "prod.vars.hcl changed" {
		t.Fatalf("bad var file: %v", r)
	}
	// The running configuration still plans.
	w.api(w.e.NativeToken(w.bot.ID), "i/update", map[string]any{"description": "edited by hand"}, nil)
	w.advance(5 * time.Second)
	w.next("drift_detected")
	if err := os.WriteFile(vars, []byte("description = \"edited by hand\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	w.advance(500 * time.Millisecond)
	w.next("config_reloaded")
	if r := w.next("in_sync"); r["reason"] != "start" {
		t.Fatalf("after the good edit: %v", r)
	}
}

// A failed apply says when it is tried again (retry_in_seconds, as README
// documents), and is tried again then.
func TestWatchApplyFailedSaysWhenItRetries(t *testing.T) {
	var fail atomic.Bool
	w := newWatchFixtureWith(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/i/update" && fail.Load() {
				rw.Header().Set("Content-Type", "application/json")
				rw.WriteHeader(http.StatusBadRequest)
				_, _ = io.WriteString(rw, `{"error":{"message":"Invalid param.","code":"INVALID_PARAM","id":"3d81ceae-475f-4600-b2a8-2bc116157532"}}`)
				return
			}
			h.ServeHTTP(rw, r)
		})
	})
	w.api(w.e.NativeToken(w.bot.ID), "i/update", map[string]any{"description": "edited by hand"}, nil)
	fail.Store(true)
	w.start("--json", "--apply")
	r := w.next("apply_failed")
	if got, _ := r["retry_in_seconds"].(float64); got != 300 {
		t.Fatalf("apply_failed without its retry: %v", r)
	}
	fail.Store(false)
	w.advance(5 * time.Minute)
	if r := w.next("applied"); r["reason"] != "retry" {
		t.Fatalf("after the retry: %v", r)
	}
}

// After a successful repair the drift gauge is 0 at once: many repairs
// (a pinned note, an antenna, a mute) send no event, so the next plan may
// be an --interval away, and an alert on "drift that stays" must not fire.
func TestWatchMetricsDriftClearedByRepair(t *testing.T) {
	w := newWatchFixture(t)
	addr := freeLoopbackAddr(t)
	w.api(w.e.NativeToken(w.bot.ID), "i/update", map[string]any{"description": "edited by hand"}, nil)
	w.start("--json", "--apply", "--metrics", addr)
	w.next("drift_detected")
	w.next("applied")
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`mkctl_watch_drift_changes{account="account.bot"} 0`, `mkctl_watch_applies_total{account="account.bot"} 1`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics after the repair lack %q:\n%s", want, body)
		}
	}
}

// SIGHUP during a repair: the change in flight completes and is reported,
// then the new configuration is loaded and planned (in sync: nothing is
// applied twice).
func TestWatchReloadDuringARepair(t *testing.T) {
	var armed atomic.Bool
	var updates atomic.Int32
	inFlight, release := make(chan struct{}), make(chan struct{})
	w := newWatchFixtureWith(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/i/update" && armed.Load() && updates.Add(1) == 1 {
				close(inFlight)
				<-release
			}
			h.ServeHTTP(rw, r)
		})
	})
	w.api(w.e.NativeToken(w.bot.ID), "i/update", map[string]any{"description": "edited by hand"}, nil)
	armed.Store(true)
	w.start("--json", "--apply")
	<-inFlight
	w.reload <- "SIGHUP"
	w.advance(500 * time.Millisecond)
	close(release)
	if r := w.next("applied"); r["reason"] != "start" {
		t.Fatalf("the repair in flight: %v", r)
	}
	w.next("config_reloaded")
	if r := w.next("in_sync"); r["reason"] != "start" {
		t.Fatalf("the new configuration's plan: %v", r)
	}
	if d := w.description(); d != "Managed by mkctl." {
		t.Fatalf("description %q", d)
	}
	if n := updates.Load(); n != 1 {
		t.Fatalf("%d i/update sent, want 1", n)
	}
}
