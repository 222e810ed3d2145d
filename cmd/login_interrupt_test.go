package cmd

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/internal/credentials"
	"github.com/mkctl/mkctl/provider/miauth"
)

// exitMessage is what Main prints for err.
func exitMessage(err error) string {
	io, _, errOut := testIO()
	exitCode(err, io)
	return errOut.String()
}

// Ctrl-C while login asks the instance's meta: a clean "login cancelled",
// not apply's message about the change in flight.
func TestLoginCancelledDuringMeta(t *testing.T) {
	le := newLoginEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // so that the server notices the client going away
		cancel()                    // the user presses Ctrl-C while meta is on its way
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	defer srv.Close()
	ios, _, _ := testIO()
	opts := le.loginOpts(ios, func(string) error { t.Error("the browser was opened"); return nil })
	opts.Host = srv.URL
	err := runLogin(ctx, opts)
	if err == nil || errors.Is(err, context.Canceled) || err.Error() != "login cancelled; nothing was stored" {
		t.Fatalf("%v", err)
	}
	if msg := exitMessage(err); strings.Contains(msg, "Interrupted") || !strings.Contains(msg, "Error: login cancelled; nothing was stored") {
		t.Errorf("Main prints:\n%s", msg)
	}
}

// Ctrl-C while login tries the new token: the instance has handed it out
// and will not again, so it is stored, and the cancellation reported.
func TestLoginCancelledWhileVerifying(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	le := newLoginEnvWith(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/i" {
				cancel()
				time.Sleep(50 * time.Millisecond) // the client has seen the cancel by now
			}
			next.ServeHTTP(w, r)
		})
	})
	io, out, errOut := testIO()
	open, wait := browser()
	err := runLogin(ctx, le.loginOpts(io, open))
	wait()
	tokens := le.miauthTokens()
	if len(tokens) != 1 {
		t.Fatalf("%d MiAuth tokens", len(tokens))
	}
	c, ferr := (&credentials.Store{Path: le.credentialsPath()}).Find(le.url, "alice")
	if ferr != nil || c == nil || c.Token != tokens[0] {
		t.Fatalf("the handed-out token was not stored: %v, %v (login: %v)\n%s", c, ferr, err, errOut)
	}
	if err == nil || errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "login cancelled after "+le.url+" had handed out the token for @alice") ||
		!strings.Contains(err.Error(), "stored it in "+le.credentialsPath()) {
		t.Fatalf("%v", err)
	}
	msg := exitMessage(err)
	if strings.Contains(msg, "Interrupted") || strings.Contains(msg+out.String()+errOut.String(), tokens[0]) {
		t.Errorf("Main prints:\n%s", msg)
	}
	if le.emu.RequestCount("i") != 1 {
		t.Errorf("%d calls of i", le.emu.RequestCount("i"))
	}
}

// The browser comes back, but another check took the token first: login
// says so and where to revoke it, without waiting for --timeout.
func TestLoginTokenHandedOutButNotReceived(t *testing.T) {
	le := newLoginEnv(t)
	io, _, _ := testIO()
	done := make(chan error, 1)
	opts := le.loginOpts(io, func(u string) error {
		go func() {
			session := session("/miauth/" + strings.SplitN(u, "/miauth/", 2)[1])
			le.emu.ApproveMiAuth(le.aliceID, session, "mkctl", mkctlPermissions)
			thief := &miauth.Checker{BaseURL: le.url, Session: session}
			if g, err := thief.Check(context.Background()); err != nil || g == nil {
				done <- errors.New("the thief got nothing")
				return
			}
			cb := u[strings.Index(u, "callback=")+len("callback="):]
			cb, _, _ = strings.Cut(cb, "&")
			resp, err := http.Get(cb + "?session=" + session)
			if err == nil {
				resp.Body.Close()
			}
			done <- err
		}()
		return nil
	})
	opts.PollInterval = time.Hour // only the callback can end this in time
	opts.Timeout = 20 * time.Second
	start := time.Now()
	err := runLogin(context.Background(), opts)
	if berr := <-done; berr != nil {
		t.Fatal(berr)
	}
	want := "the token was handed out but mkctl did not receive it; revoke it at " + le.url + "/settings/apps"
	if err == nil || !strings.Contains(err.Error(), want) || !errors.Is(err, miauth.ErrTokenNotReceived) {
		t.Fatalf("%v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %s", d)
	}
	if _, err := os.Stat(le.credentialsPath()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("credentials file: %v", err)
	}
}

// --poll-interval has a floor: /check has no rate limit to stop a typo.
func TestLoginPollIntervalFloor(t *testing.T) {
	le := newLoginEnv(t)
	io, _, _ := testIO()
	opts := le.loginOpts(io, func(u string) error {
		s := session("/miauth/" + strings.SplitN(u, "/miauth/", 2)[1])
		time.AfterFunc(500*time.Millisecond, func() { le.emu.ApproveMiAuth(le.aliceID, s, "mkctl", mkctlPermissions) })
		return nil // the browser never comes back: polling only
	})
	opts.PollInterval = time.Millisecond
	if err := runLogin(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	// 500ms at 100ms a check: about 5, never hundreds.
	if n := le.emu.RequestCount("miauth/{session}/check"); n < 4 || n > 8 {
		t.Errorf("%d checks in about 500ms", n)
	}
}
