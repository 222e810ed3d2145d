package cmd

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/mkctl/mkctl/internal/safego"
	"github.com/mkctl/mkctl/provider"
	"github.com/mkctl/mkctl/schema"
)

// A panic in a command's RunE is exit code 1 and a short "internal error,
// please report" message: no Go stack trace (unless MKCTL_LOG=debug), no
// usage hint, no token.
func TestExecutePanicInRunEIsExitOne(t *testing.T) {
	const secret = "TOKENabcdefghijklmnop0123456789"
	for _, level := range []string{"", "debug"} {
		t.Run("MKCTL_LOG="+level, func(t *testing.T) {
			t.Setenv("MKCTL_LOG", level)
			io, out, errOut := testIO()
			root := NewRootCmd(io)
			addSecret(io, secret)
			root.AddCommand(&cobra.Command{Use: "boom", RunE: wrapRun(func(*cobra.Command, []string) error {
				var m map[string]string
				m[secret] = "x" // a real runtime panic, not a panic(…) call
				return nil
			})}, &cobra.Command{Use: "boom2", RunE: func(*cobra.Command, []string) error {
				panic("state near " + secret)
			}})
			for _, args := range [][]string{{"boom"}, {"boom2", "--no-color"}} {
				out.Reset()
				errOut.Reset()
				if code := execute(context.Background(), io, root, args); code != ExitError {
					t.Errorf("%v: exit code %d, want %d", args, code, ExitError)
				}
				stderr := errOut.String()
				if !strings.Contains(stderr, "Error: internal error in mkctl "+args[0]+": ") || !strings.Contains(stderr, "please report") {
					t.Errorf("%v: stderr %q does not say internal error in the command and to report it", args, stderr)
				}
				if strings.Contains(stderr+out.String(), secret) {
					t.Errorf("%v: the token is in the output: %q", args, stderr)
				}
				if strings.Contains(stderr, "--help") {
					t.Errorf("%v: a usage hint for a bug: %q", args, stderr)
				}
				if hasStack := strings.Contains(stderr, "goroutine ") && strings.Contains(stderr, "panic_test.go"); hasStack != (level == "debug") {
					t.Errorf("%v: MKCTL_LOG=%q: stack printed %v:\n%s", args, level, hasStack, stderr)
				}
			}
		})
	}
}

// panicTransport panics on every request: a bug below a reader.
type panicTransport struct{}

func (panicTransport) RoundTrip(*http.Request) (*http.Response, error) { panic("reader bug") }

// A reader's panic while planning (in a goroutine of buildPlan and one of
// ReadAccount) is the account's error, and no goroutine outlives the plan.
func TestBuildPlanPanicInAReaderIsAnError(t *testing.T) {
	io, _, _ := testIO()
	g := &globalOptions{IO: io}
	var targets []target
	for _, name := range []string{"a", "b"} {
		c, err := provider.NewClient("http://127.0.0.1:1", "tok-"+name, provider.WithHTTPClient(&http.Client{Transport: panicTransport{}}))
		if err != nil {
			t.Fatal(err)
		}
		targets = append(targets, target{acct: &schema.Account{Username: name, Host: "127.0.0.1:1"}, client: c})
	}
	_, err := g.buildPlan(context.Background(), targets)
	var pe *safego.PanicError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "internal error in") || !strings.Contains(err.Error(), "reader bug") {
		t.Fatalf("buildPlan = %v, want an internal error", err)
	}
	for _, name := range []string{"reading @a on", "reading @b on"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not say %q: %v", name, err)
		}
	}
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		var b bytes.Buffer
		_ = pprof.Lookup("goroutine").WriteTo(&b, 2)
		left := ""
		for _, gr := range strings.Split(b.String(), "\n\n") {
			if strings.Contains(gr, "github.com/mkctl/mkctl/provider.") {
				left += gr + "\n\n"
			}
		}
		if left == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("goroutines left running:\n%s", left)
		}
	}
}

// mkctl sandbox serve runs the emulator in the user's process: a handler's
// panic is Misskey's 500 INTERNAL_ERROR and one line, not net/http's stack
// trace on stderr.
func TestSandboxServeHandlerPanicIsA500(t *testing.T) {
	var errOut bytes.Buffer
	h := recoverHandler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		var m map[string]int
		m["x"]++
	}), &errOut)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/api/i", strings.NewReader("{}")))
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), `"code":"INTERNAL_ERROR"`) {
		t.Errorf("answer %d %s", rec.Code, rec.Body.String())
	}
	if got := errOut.String(); !strings.HasPrefix(got, "sandbox: internal error serving /api/i: assignment to entry in nil map") || strings.Contains(got, "goroutine") {
		t.Errorf("stderr %q", got)
	}
	// http.ErrAbortHandler is net/http's own: passed on.
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Errorf("recovered %v, want http.ErrAbortHandler passed on", v)
		}
	}()
	recoverHandler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) }), &errOut).
		ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
}

// A panic in the configuration file watcher's goroutine (here a real one:
// a send on a closed channel) is a warning, not the end of watch.
func TestWatchConfigFilesPanicIsAWarning(t *testing.T) {
	dir := t.TempDir()
	reload := make(chan string)
	close(reload)
	warned := make(chan error, 4)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop, err := watchConfigFiles(ctx, dir, nil, reload, func(err error) { warned <- err })
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if err := os.WriteFile(filepath.Join(dir, "main.mk.hcl"), []byte("# x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-warned:
		if !strings.HasPrefix(err.Error(), "internal error in watching the configuration files: send on closed channel") {
			t.Errorf("warning %q", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no warning")
	}
}
