package cmd

import (
	"encoding/json"
	"fmt"
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

// echoToken puts the bearer token into every profile value of `i` and the
// username: a hostile server trying to get the token printed.
func echoToken(endpoint, token string, status *int, h http.Header, body map[string]any) {
	if endpoint != "i" || *status != http.StatusOK {
		return
	}
	body["name"] = "Stolen " + token
	body["description"] = "line one\n" + token + "\nline three"
	body["location"] = token
	body["fields"] = []any{map[string]any{"name": token, "value": "x" + token + "x"}}
}

// A server that echoes the token into profile values never gets it
// printed: not by plan, plan --json, apply (its plan, progress and errors)
// nor whoami.
func TestServerEchoingTheTokenNeverGetsItPrinted(t *testing.T) {
	hs := newHostileServer(t, echoToken)
	dir := hs.config(t, "  profile {\n    name        = \"Weather\"\n    description = \"Forecasts\"\n    location    = \"Here\"\n    fields      = [{ name = \"a\", value = \"b\" }]\n  }\n")
	for _, args := range [][]string{
		{"plan"},
		{"plan", "--json"},
		{"apply", "--auto-approve"},
		{"whoami"},
	} {
		code, out, errOut := mkctl(append(args, "--chdir", dir)...)
		if strings.Contains(out+errOut, hs.token) {
			t.Errorf("%v prints the token (exit %d):\n%s%s", args, code, out, errOut)
		}
		if args[0] == "plan" && !strings.Contains(out, "<redacted>") && !strings.Contains(out, `\u003credacted\u003e`) {
			t.Errorf("%v: want the echoed values shown as <redacted>:\n%s%s", args, out, errOut)
		}
	}
}

// The same server failing i/update with the token in its error message.
func TestApplyErrorEchoingTheTokenIsRedacted(t *testing.T) {
	hs := newHostileServer(t, func(endpoint, token string, status *int, h http.Header, body map[string]any) {
		if endpoint == "i/update" {
			*status = http.StatusBadRequest
			for k := range body {
				delete(body, k)
			}
			body["error"] = map[string]any{"message": "bad token " + token, "code": "X_" + token, "id": token, "kind": "client",
				"info": map[string]any{"param": token, "reason": token}}
		}
	})
	dir := hs.config(t, "  profile {\n    name = \"Weather\"\n  }\n")
	code, out, errOut := mkctl("apply", "--auto-approve", "--chdir", dir)
	if code != ExitError || !strings.Contains(out+errOut, "bad token <redacted>") || strings.Contains(out+errOut, hs.token) {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
}

// The output streams redact every token mkctl knows, as a last line of
// defence for text that did not come through a client.
func TestOutputStreamsRedactTokens(t *testing.T) {
	io, out, errOut := testIO()
	addSecret(io, "s3cr3t-t0ken-value")
	addSecret(io, `we"ird\token`)
	fmt.Fprintf(io.Out, "a %s b %q\n", "s3cr3t-t0ken-value", `we"ird\token`)
	fmt.Fprintln(io.ErrOut, "Error: s3cr3t-t0ken-value")
	if got, want := out.String(), "a <redacted> b \"<redacted>\"\n"; got != want {
		t.Errorf("out = %q, want %q", got, want)
	}
	if got := errOut.String(); got != "Error: <redacted>\n" {
		t.Errorf("err = %q", got)
	}
}

// A one-character token is redacted as a whole word only, not every
// occurrence of the character in the message.
func TestShortTokenRedactsWholeWordsOnly(t *testing.T) {
	io, out, _ := testIO()
	addSecret(io, "a")
	fmt.Fprintln(io.Out, "Rate limit exceeded. Please try again later. token: a")
	if got, want := out.String(), "Rate limit exceeded. Please try again later. token: <redacted>\n"; got != want {
		t.Errorf("out = %q, want %q", got, want)
	}
}

// MKCTL_LOG=debug logs every request and decision to stderr, trace adds
// the bodies; the token appears in neither, though the server echoes it.
// Without MKCTL_LOG nothing is logged.
func TestMkctlLog(t *testing.T) {
	hs := newHostileServer(t, echoToken)
	dir := hs.config(t, "  profile {\n    name = \"Weather\"\n  }\n")
	for _, tc := range []struct {
		level       string
		want, avoid []string
	}{
		{"", nil, []string{"level="}},
		{"debug", []string{`level=DEBUG msg=request endpoint=i attempt=1 status=200 duration=`}, []string{"level=TRACE", "body="}},
		{"trace", []string{`level=DEBUG msg=request endpoint=i attempt=1 status=200 duration=`,
			`level=TRACE msg="request body" endpoint=i attempt=1 body={}`,
			`level=TRACE msg="response body" endpoint=i attempt=1 status=200 body="{`, `\"location\":\"<redacted>\"`}, nil},
		{"loud", []string{"Warning: MKCTL_LOG=loud is not one of debug, trace, off; logging stays off."}, []string{"level="}},
	} {
		t.Setenv("MKCTL_LOG", tc.level)
		code, out, errOut := mkctl("plan", "--chdir", dir)
		if code != 0 {
			t.Fatalf("MKCTL_LOG=%s: exit %d\n%s%s", tc.level, code, out, errOut)
		}
		for _, w := range tc.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("MKCTL_LOG=%s: stderr lacks %s:\n%s", tc.level, w, errOut)
			}
		}
		for _, a := range append(tc.avoid, hs.token, "Authorization", "Bearer") {
			if strings.Contains(errOut, a) {
				t.Errorf("MKCTL_LOG=%s: stderr holds %q:\n%s", tc.level, a, errOut)
			}
		}
	}
}
