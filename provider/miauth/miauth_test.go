package miauth

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mkctl/mkctl/provider/emulator"
)

const session = "0b7a5a43-5bd8-4b62-9d4c-6b6f0b1e5e43"

func TestRequestURL(t *testing.T) {
	r := Request{
		BaseURL:     "https://misskey.example/",
		Session:     session,
		Name:        "mkctl & co",
		Callback:    "http://127.0.0.1:4242/callback",
		Permissions: []string{"read:account", "write:notes"},
	}
	got := r.URL()
	want := "https://misskey.example/miauth/" + session +
		"?name=mkctl%20%26%20co&callback=http://127.0.0.1:4242/callback&permission=read:account,write:notes"
	if got != want {
		t.Fatalf("URL\n got %s\nwant %s", got, want)
	}
	// What the web client reads back is what was meant.
	u, err := url.Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if q.Get("name") != "mkctl & co" || q.Get("callback") != r.Callback || q.Get("permission") != "read:account,write:notes" || q.Has("icon") {
		t.Errorf("query %v", q)
	}
}

func newEmu(t *testing.T) (*emulator.Emulator, *httptest.Server, string) {
	t.Helper()
	e := emulator.New(emulator.Options{})
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		for _, v := range e.Violations() {
			t.Errorf("emulator violation: %+v", v)
		}
	})
	alice := e.CreateUser("alice")
	return e, srv, alice.ID
}

func TestCheckHandsTheTokenOutOnce(t *testing.T) {
	e, srv, alice := newEmu(t)
	c := &Checker{BaseURL: srv.URL, Session: session, UserAgent: "mkctl/test"}
	ctx := context.Background()
	if g, err := c.Check(ctx); g != nil || err != nil {
		t.Fatalf("before approval: %v, %v", g, err)
	}
	e.ApproveMiAuth(alice, session, "mkctl", []string{"read:account"})
	g, err := c.Check(ctx)
	if err != nil || g == nil {
		t.Fatalf("after approval: %v, %v", g, err)
	}
	if len(g.Token) != 32 || g.User.Username != "alice" || g.User.ID != alice || g.User.Host != nil {
		t.Errorf("grant %+v", g)
	}
	if g2, err := c.Check(ctx); g2 != nil || err != nil {
		t.Errorf("second check: %v, %v", g2, err)
	}
}

func TestCheckErrors(t *testing.T) {
	var status atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch s := int(status.Load()); s {
		case 200:
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<html>not misskey</html>")
		case 201:
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"ok":true,"token":"abcdefabcdefabcdefabcdefabcdefab"}`) // no user
		case 301:
			http.Redirect(w, r, "https://elsewhere.example/api/x", s)
		default:
			w.WriteHeader(s)
		}
	}))
	defer srv.Close()
	c := &Checker{BaseURL: srv.URL, Session: session}
	for _, tc := range []struct {
		status    int32
		transient bool
		want      string
	}{
		{404, false, "HTTP 404"},
		{502, true, "HTTP 502"},
		{429, true, "HTTP 429"},
		{301, false, "https://elsewhere.example"},
		{200, false, "instead of JSON"},
		{201, false, "lacks the token or the user"},
	} {
		status.Store(tc.status)
		_, err := c.Check(context.Background())
		var ce *CheckError
		if !errors.As(err, &ce) || ce.Transient != tc.transient || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%d: %v (transient %v)", tc.status, err, ce != nil && ce.Transient)
			continue
		}
		if strings.Contains(err.Error(), session) || strings.Contains(err.Error(), "abcdef") {
			t.Errorf("%d: the error shows a secret: %v", tc.status, err)
		}
	}
	// A server that is not there: transient, and the URL (with the
	// session) is not repeated.
	srv.Close()
	_, err := c.Check(context.Background())
	var ce *CheckError
	if !errors.As(err, &ce) || !ce.Transient || strings.Contains(err.Error(), session) {
		t.Errorf("closed server: %v", err)
	}
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestCallbackAcceptsOnlyItsSession(t *testing.T) {
	cb, err := ListenCallback(session, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close()
	if !strings.HasPrefix(cb.URL(), "http://127.0.0.1:") || !strings.HasSuffix(cb.URL(), CallbackPath) {
		t.Fatalf("URL %s", cb.URL())
	}
	done := func() bool {
		select {
		case <-cb.Done():
			return true
		default:
			return false
		}
	}
	for _, q := range []string{"?session=another", "", "?session=" + session + "x"} {
		if code, body := get(t, cb.URL()+q); code != http.StatusBadRequest || !strings.Contains(body, "does not belong") {
			t.Errorf("%q: %d %s", q, code, body)
		}
	}
	if done() {
		t.Fatal("a wrong session ended the wait")
	}
	resp, err := http.Post(cb.URL()+"?session="+session, "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || done() {
		t.Errorf("POST: %d, done %v", resp.StatusCode, done())
	}
	if code, _ := get(t, strings.TrimSuffix(cb.URL(), CallbackPath)+"/other?session="+session); code != http.StatusNotFound || done() {
		t.Errorf("other path: %d", code)
	}
	code, body := get(t, cb.URL()+"?session="+session)
	if code != http.StatusOK || !strings.Contains(body, "close this tab") || !done() {
		t.Errorf("right session: %d %s, done %v", code, body, done())
	}
	// The browser reloading the page is harmless.
	if code, _ := get(t, cb.URL()+"?session="+session); code != http.StatusOK {
		t.Errorf("reload: %d", code)
	}
	if err := cb.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get(cb.URL()); err == nil {
		t.Error("the listener is still up after Close")
	}
}

// countingCheck wraps a Checker and counts its calls.
func countingCheck(c *Checker, n *atomic.Int32) func(context.Context) (*Grant, error) {
	return func(ctx context.Context) (*Grant, error) {
		n.Add(1)
		return c.Check(ctx)
	}
}

func TestWaitPolls(t *testing.T) {
	e, srv, alice := newEmu(t)
	var n atomic.Int32
	check := countingCheck(&Checker{BaseURL: srv.URL, Session: session}, &n)
	go func() {
		// Approve once mkctl has polled a few times, from "another machine".
		for n.Load() < 3 {
			time.Sleep(time.Millisecond)
		}
		e.ApproveMiAuth(alice, session, "mkctl", []string{"read:account"})
	}()
	g, err := Wait(context.Background(), WaitOptions{Check: check, Interval: 5 * time.Millisecond})
	if err != nil || g == nil || g.User.Username != "alice" {
		t.Fatalf("%v, %v", g, err)
	}
	// The approval came after the third check had started: it may have
	// been that check that collected the token.
	if n.Load() < 3 {
		t.Errorf("%d checks", n.Load())
	}
}

func TestWaitWakesOnCallback(t *testing.T) {
	e, srv, alice := newEmu(t)
	cb, err := ListenCallback(session, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close()
	var n atomic.Int32
	check := countingCheck(&Checker{BaseURL: srv.URL, Session: session}, &n)
	forged := make(chan int, 1)
	go func() {
		// A forged return first, then the real one after approval. (No
		// t.Fatal here: this is not the test's goroutine.)
		if resp, err := http.Get(cb.URL() + "?session=forged"); err == nil {
			resp.Body.Close()
			forged <- resp.StatusCode
		} else {
			forged <- 0
		}
		e.ApproveMiAuth(alice, session, "mkctl", []string{"read:account"})
		if resp, err := http.Get(cb.URL() + "?session=" + session); err == nil {
			resp.Body.Close()
		}
	}()
	// With an hour between polls, only the callback can end this quickly.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	g, err := Wait(ctx, WaitOptions{Check: check, Interval: time.Hour, Wake: cb.Done()})
	if err != nil || g == nil {
		t.Fatalf("%v, %v", g, err)
	}
	if n.Load() != 1 {
		t.Errorf("%d checks, want the one the callback triggered", n.Load())
	}
	if code := <-forged; code != http.StatusBadRequest {
		t.Errorf("forged callback: %d", code)
	}
}

func TestWaitTimesOut(t *testing.T) {
	_, srv, _ := newEmu(t)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	c := &Checker{BaseURL: srv.URL, Session: session}
	g, err := Wait(ctx, WaitOptions{Check: c.Check, Interval: 5 * time.Millisecond})
	if g != nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("%v, %v", g, err)
	}
}

func TestWaitKeepsGoingThroughTransientFailures(t *testing.T) {
	var n atomic.Int32
	var transients []error
	grant := &Grant{Token: "t", User: User{Username: "alice"}}
	check := func(context.Context) (*Grant, error) {
		switch n.Add(1) {
		case 1, 2:
			return nil, &CheckError{Status: 502, Transient: true, Err: errors.New("HTTP 502")}
		case 3:
			return nil, nil
		}
		return grant, nil
	}
	g, err := Wait(context.Background(), WaitOptions{Check: check, Interval: time.Millisecond, OnTransient: func(err error) { transients = append(transients, err) }})
	if err != nil || g != grant || len(transients) != 2 {
		t.Fatalf("%v, %v, %v", g, err, transients)
	}

	// A lasting transient failure is named when the time is up.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err = Wait(ctx, WaitOptions{Interval: time.Millisecond, Check: func(context.Context) (*Grant, error) {
		return nil, &CheckError{Transient: true, Err: errors.New("connection refused")}
	}})
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("%v", err)
	}

	// A permanent failure ends the wait at once.
	n.Store(0)
	_, err = Wait(context.Background(), WaitOptions{Interval: time.Millisecond, Check: func(context.Context) (*Grant, error) {
		n.Add(1)
		return nil, &CheckError{Status: 404, Err: errors.New("HTTP 404")}
	}})
	if err == nil || !strings.Contains(err.Error(), "404") || n.Load() != 1 {
		t.Errorf("%v after %d checks", err, n.Load())
	}
}

func TestWaitCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(10 * time.Millisecond); cancel() }()
	_, err := Wait(ctx, WaitOptions{Interval: time.Millisecond, Check: func(context.Context) (*Grant, error) { return nil, nil }})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("%v", err)
	}
}

// The browser came back, so the token exists; a check that still finds
// nothing means another check took it. Wait says so after a few quick
// checks, instead of waiting for the timeout.
func TestWaitTokenTakenBeforeTheCallback(t *testing.T) {
	e, srv, alice := newEmu(t)
	cb, err := ListenCallback(session, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close()
	var n atomic.Int32
	check := countingCheck(&Checker{BaseURL: srv.URL, Session: session}, &n)
	e.ApproveMiAuth(alice, session, "mkctl", []string{"read:account"})
	// Someone else who knew the session collects the token first.
	if g, err := (&Checker{BaseURL: srv.URL, Session: session}).Check(context.Background()); err != nil || g == nil {
		t.Fatalf("%v, %v", g, err)
	}
	resp, err := http.Get(cb.URL() + "?session=" + session)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	start := time.Now()
	g, err := Wait(ctx, WaitOptions{Check: check, Interval: 100 * time.Millisecond, Wake: cb.Done()})
	if g != nil || !errors.Is(err, ErrTokenNotReceived) {
		t.Fatalf("%v, %v", g, err)
	}
	if n.Load() != checksAfterCallback {
		t.Errorf("%d checks, want %d", n.Load(), checksAfterCallback)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}

	// Without a callback, {"ok":false} only means "not yet".
	ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := Wait(ctx, WaitOptions{Check: check, Interval: time.Millisecond}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("without a callback: %v", err)
	}
}
