package cmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mkctl/mkctl/internal/credentials"
	"github.com/mkctl/mkctl/provider/emulator"
)

// loginEnv is an emulator on loopback with a user alice, and a private
// HOME and XDG_CONFIG_HOME for the process (so these tests are not
// parallel).
type loginEnv struct {
	emu     *emulator.Emulator
	url     string
	aliceID string
	dir     string // everything mkctl may write lives under it
	work    string // a configuration directory
}

func newLoginEnv(t *testing.T) *loginEnv { return newLoginEnvWith(t, nil) }

// newLoginEnvWith is newLoginEnv with wrap, when not nil, in front of the
// emulator.
func newLoginEnvWith(t *testing.T, wrap func(http.Handler) http.Handler) *loginEnv {
	t.Helper()
	e := emulator.New(emulator.Options{})
	var h http.Handler = e
	if wrap != nil {
		h = wrap(e)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		for _, v := range e.Violations() {
			t.Errorf("emulator violation: %+v", v)
		}
	})
	alice := e.CreateUser("alice")
	dir := t.TempDir()
	le := &loginEnv{emu: e, url: srv.URL, aliceID: alice.ID, dir: dir, work: filepath.Join(dir, "work")}
	if err := os.MkdirAll(le.work, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", filepath.Join(dir, "home"))
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("BROWSER_TOKEN", e.NativeToken(alice.ID))
	for _, v := range []string{"MKCTL_TOKEN", "MKCTL_TOKEN_WEATHER", "MKCTL_BROWSER", "NO_COLOR"} {
		t.Setenv(v, "")
	}
	return le
}

func (le *loginEnv) credentialsPath() string {
	return filepath.Join(le.dir, "config", "mkctl", credentials.FileName)
}

// browser returns an opener that plays the browser in the background the
// way the scripts' fakebrowser does, and a function waiting for it.
func browser(flags ...string) (open func(string) error, wait func() string) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var log strings.Builder
	report := func(format string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(&log, format+"\n", a...)
	}
	set := map[string]bool{}
	for _, f := range flags {
		set[f] = true
	}
	open = func(u string) error {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fakeBrowse(u, set, report); err != nil {
				report("error: %v", err)
			}
		}()
		return nil
	}
	wait = func() string {
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		return log.String()
	}
	return open, wait
}

func testIO() (*IOStreams, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	return &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, &out, &errOut
}

func (le *loginEnv) loginOpts(io *IOStreams, open func(string) error) *loginOptions {
	g := &globalOptions{IO: io, Chdir: le.work, Env: os.Environ, Getenv: os.Getenv}
	return &loginOptions{
		globalOptions: g, Host: le.url, Timeout: 30 * time.Second, PollInterval: time.Hour,
		openURL: open,
	}
}

// miauthTokens are alice's tokens made by MiAuth.
func (le *loginEnv) miauthTokens() []string {
	var out []string
	for _, t := range le.emu.AccessTokensOf(le.aliceID) {
		if t.Session != nil {
			out = append(out, t.Token)
		}
	}
	return out
}

// filesContaining lists the files under dir that contain s.
func filesContaining(t *testing.T, dir, s string) []string {
	t.Helper()
	var hits []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(data, []byte(s)) {
			hits = append(hits, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hits
}

// TestTokenOnlyInCredentialsFile runs login, whoami, plan, apply and logout
// and looks for the token in everything they printed and in every file
// under the test's directory (home, configuration, work): it is only ever
// in the credentials file.
func TestTokenOnlyInCredentialsFile(t *testing.T) {
	le := newLoginEnv(t)
	cfg := fmt.Sprintf("account \"weather\" {\n  host     = %q\n  username = \"alice\"\n  profile {\n    name = \"Weather Bot\"\n  }\n}\n", le.url)
	if err := os.WriteFile(filepath.Join(le.work, "account.mk.hcl"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	var outputs []string
	io, out, errOut := testIO()
	open, wait := browser()
	if err := runLogin(context.Background(), le.loginOpts(io, open)); err != nil {
		t.Fatalf("login: %v\n%s%s", err, out, errOut)
	}
	if log := wait(); !strings.Contains(log, "callback: 200") {
		t.Errorf("browser log:\n%s", log)
	}
	outputs = append(outputs, out.String(), errOut.String())
	tokens := le.miauthTokens()
	if len(tokens) != 1 {
		t.Fatalf("%d MiAuth tokens", len(tokens))
	}
	token := tokens[0]

	run := func(args ...string) {
		io, out, errOut := testIO()
		code := MainContext(context.Background(), io, args)
		outputs = append(outputs, out.String(), errOut.String())
		if code != 0 {
			t.Errorf("mkctl %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
		}
	}
	run("whoami", "--chdir", le.work)
	run("whoami", "--chdir", le.dir) // no configuration there: the stored tokens
	run("plan", "--chdir", le.work)
	run("apply", "--auto-approve", "--chdir", le.work)
	run("plan", "--chdir", le.work, "--json")

	for i, o := range outputs {
		if strings.Contains(o, token) {
			t.Errorf("output %d shows the token:\n%s", i, o)
		}
	}
	if !strings.Contains(strings.Join(outputs, ""), "Apply complete!") {
		t.Errorf("apply did not complete:\n%s", strings.Join(outputs, "\n"))
	}
	hits := filesContaining(t, le.dir, token)
	if len(hits) != 1 || hits[0] != le.credentialsPath() {
		t.Errorf("the token is in %v, want only %s", hits, le.credentialsPath())
	}

	run("logout")
	if hits := filesContaining(t, le.dir, token); len(hits) != 0 {
		t.Errorf("after logout the token is still in %v", hits)
	}
	for _, o := range outputs {
		if strings.Contains(o, token) {
			t.Errorf("an output shows the token:\n%s", o)
		}
	}
}

func TestLoginStoresWhatTheCheckGave(t *testing.T) {
	le := newLoginEnv(t)
	io, out, errOut := testIO()
	open, wait := browser()
	opts := le.loginOpts(io, open)
	opts.now = func() time.Time { return time.Date(2026, 5, 20, 12, 0, 0, 0, time.UTC) }
	if err := runLogin(context.Background(), opts); err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	wait()
	store := &credentials.Store{Path: le.credentialsPath()}
	c, err := store.Find(le.url, "alice")
	if err != nil || c == nil {
		t.Fatalf("Find: %v, %v", c, err)
	}
	tokens := le.miauthTokens()
	if len(tokens) != 1 || c.Token != tokens[0] || c.UserID != le.aliceID ||
		strings.Join(c.Permissions, ",") != strings.Join(mkctlPermissions, ",") || !c.CreatedAt.Equal(opts.now()) {
		t.Errorf("stored %+v", *c)
	}
	if !strings.Contains(out.String(), "Logged in to "+le.url+" as @alice.") {
		t.Errorf("stdout:\n%s", out)
	}
	// The URL printed is the consent page's, with a fresh UUID session.
	if !strings.Contains(errOut.String(), le.url+"/miauth/") || strings.Count(errOut.String(), "/miauth/") != 1 {
		t.Errorf("stderr:\n%s", errOut)
	}
	// Two logins never share a session.
	io2, _, errOut2 := testIO()
	open2, wait2 := browser()
	if err := runLogin(context.Background(), le.loginOpts(io2, open2)); err != nil {
		t.Fatal(err)
	}
	wait2()
	if session(errOut.String()) == session(errOut2.String()) || len(session(errOut.String())) != 36 {
		t.Errorf("sessions %q and %q", session(errOut.String()), session(errOut2.String()))
	}
	if all, _ := store.Load(); len(all) != 1 || all[0].Token == c.Token {
		t.Errorf("after a second login: %d credentials, token replaced: %v", len(all), len(all) == 1 && all[0].Token != c.Token)
	}
}

func session(stderr string) string {
	_, rest, _ := strings.Cut(stderr, "/miauth/")
	s, _, _ := strings.Cut(rest, "?")
	return s
}

// TestLoginCancelled: Ctrl-C while waiting stops cleanly, stores nothing
// and says so (not apply's message about the change in flight).
func TestLoginCancelled(t *testing.T) {
	le := newLoginEnv(t)
	io, _, errOut := testIO()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	open := func(string) error {
		go func() { time.Sleep(20 * time.Millisecond); cancel() }()
		return nil
	}
	opts := le.loginOpts(io, open)
	opts.PollInterval = 5 * time.Millisecond
	err := runLogin(ctx, opts)
	if err == nil || errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "login cancelled; nothing was stored") {
		t.Fatalf("%v", err)
	}
	exitIO, _, exitErr := testIO()
	if code := exitCode(err, exitIO); code != ExitError || !strings.Contains(exitErr.String(), "Error: login cancelled") {
		t.Errorf("exit %d: %s", code, exitErr)
	}
	if _, err := os.Stat(le.credentialsPath()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("credentials file: %v\n%s", err, errOut)
	}
}

// TestLoginBrowserFailureIsNotFatal: when the browser cannot be opened,
// the URL is still there to open by hand, and polling completes the login.
func TestLoginBrowserFailureIsNotFatal(t *testing.T) {
	le := newLoginEnv(t)
	io, _, errOut := testIO()
	opts := le.loginOpts(io, func(u string) error {
		s := session("/miauth/" + strings.SplitN(u, "/miauth/", 2)[1])
		go func() {
			time.Sleep(10 * time.Millisecond)
			le.emu.ApproveMiAuth(le.aliceID, s, "mkctl", mkctlPermissions)
		}()
		return errors.New("xdg-open: executable file not found in $PATH")
	})
	opts.PollInterval = 5 * time.Millisecond
	if err := runLogin(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut.String(), "Could not open a browser (xdg-open: executable file not found in $PATH): open the URL yourself.") {
		t.Errorf("stderr:\n%s", errOut)
	}
}

func TestLoginPermissionsFlag(t *testing.T) {
	got, err := loginPermissions([]string{"write:drive", " read:account", "write:drive"})
	if err != nil || strings.Join(got, ",") != "read:account,write:drive" {
		t.Errorf("%v, %v", got, err)
	}
	// read:account comes along: every plan, and login's own check of the
	// token, call `i`.
	got, err = loginPermissions([]string{"write:notes", "write:drive"})
	if err != nil || strings.Join(got, ",") != "read:account,write:notes,write:drive" {
		t.Errorf("without read:account: %v, %v", got, err)
	}
	if got, _ := loginPermissions(nil); strings.Join(got, ",") != strings.Join(mkctlPermissions, ",") {
		t.Errorf("default %v", got)
	}
	for _, bad := range []string{"read:notes", "write:admin:meta", ""} {
		if _, err := loginPermissions([]string{bad}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestCanOpenBrowser(t *testing.T) {
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	env[browserEnvVar] = "firefox"
	if !canOpenBrowser(getenv) {
		t.Error("MKCTL_BROWSER set, but no browser")
	}
	if err := openBrowser(func(k string) string {
		if k == browserEnvVar {
			return "mkctl-no-such-browser --flag"
		}
		return ""
	}, "https://misskey.example/miauth/secret-session"); err == nil || strings.Contains(err.Error(), "secret-session") {
		t.Errorf("a missing browser: %v", err)
	}
}
