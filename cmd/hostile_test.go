package cmd

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/provider/emulator"
)

// hostileServer is an emulator behind a handler that may rewrite answers:
// edit gets the endpoint, the request's bearer token and the decoded
// answer, and changes the answer in place.
type hostileServer struct {
	URL   string
	emu   *emulator.Emulator
	token string
}

func newHostileServer(t *testing.T, edit func(endpoint, token string, status *int, header http.Header, body map[string]any)) *hostileServer {
	t.Helper()
	e := emulator.New(emulator.Options{})
	me := e.CreateUser("weatherbot")
	hs := &hostileServer{emu: e, token: e.IssueToken(me.ID, mkctlPermissions)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, r)
		endpoint := strings.TrimPrefix(r.URL.Path, "/api/")
		token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		status := rec.Code
		var body map[string]any
		if edit == nil || json.Unmarshal(rec.Body.Bytes(), &body) != nil {
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(status)
			w.Write(rec.Body.Bytes())
			return
		}
		edit(endpoint, token, &status, w.Header(), body)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(body)
	}))
	t.Cleanup(srv.Close)
	hs.URL = srv.URL
	return hs
}

// config writes a one-account configuration for the server and returns
// its directory.
func (hs *hostileServer) config(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	cfg := "account \"weather\" {\n  host     = \"" + hs.URL + "\"\n  username = \"weatherbot\"\n" + body + "}\n"
	if err := os.WriteFile(filepath.Join(dir, "main.mk.hcl"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("MKCTL_TOKEN", hs.token)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	return dir
}

// A 429 asking for 277 hours fails plan at once, naming the endpoint,
// what the server asked for and --max-wait.
func TestPlanAbsurdRetryAfterFailsAtOnce(t *testing.T) {
	hs := newHostileServer(t, func(endpoint, _ string, status *int, h http.Header, body map[string]any) {
		if endpoint == "i" {
			*status = http.StatusTooManyRequests
			h.Set("Retry-After", "999999")
			for k := range body {
				delete(body, k)
			}
			body["error"] = map[string]any{"message": "Rate limit exceeded. Please try again later.", "code": "RATE_LIMIT_EXCEEDED",
				"id": "d5826d14-3982-4d2e-8011-b9e9f02499ef", "kind": "client", "info": map[string]any{}}
		}
	})
	dir := hs.config(t, "  profile {\n    name = \"Weather\"\n  }\n")
	start := time.Now()
	code, out, errOut := mkctl("plan", "--chdir", dir)
	if el := time.Since(start); el > 10*time.Second {
		t.Errorf("plan took %v", el)
	}
	if code != ExitError {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"i: Misskey answered 429 RATE_LIMIT_EXCEEDED", "277h46m39s", "Retry-After: 999999",
		"more than the 1h15m it may wait; --max-wait sets that limit", "Hint: Misskey limits how often i may be called; run mkctl again later, or allow a longer wait with --max-wait (now 1h15m)"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	code, _, errOut = mkctl("plan", "--chdir", dir, "--max-wait", "10s")
	if code != ExitError || !strings.Contains(errOut, "more than the 10s it may wait") {
		t.Errorf("--max-wait 10s: exit %d\n%s", code, errOut)
	}
	code, _, errOut = mkctl("plan", "--chdir", dir, "--max-wait=-1s")
	if code != ExitError || !strings.Contains(errOut, "must not be negative") {
		t.Errorf("--max-wait -1s: exit %d\n%s", code, errOut)
	}
}

var _ = bytes.NewReader
