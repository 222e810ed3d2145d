package provider

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mkctl/mkctl/internal/safego"
	"github.com/mkctl/mkctl/schema"
)

// panicTransport panics in the goroutine that sends a request to one
// endpoint: a bug anywhere below a reader (decoding, the client, the
// transport) looks like this to ReadAccount. The panic value carries the
// token, as a careless one might.
type panicTransport struct {
	next     http.RoundTripper
	endpoint string
	value    any
}

func (p *panicTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.TrimPrefix(req.URL.Path, "/api/") == p.endpoint {
		panic(p.value)
	}
	return p.next.RoundTrip(req)
}

// providerGoroutines lists the goroutines still running provider code
// (other than the test's own), waiting a little for those that are
// finishing.
func providerGoroutines(t *testing.T) string {
	t.Helper()
	var left string
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		var b bytes.Buffer
		_ = pprof.Lookup("goroutine").WriteTo(&b, 2)
		left = ""
		for _, g := range strings.Split(b.String(), "\n\n") {
			if strings.Contains(g, "github.com/mkctl/mkctl/provider.") && !strings.Contains(g, "testing.tRunner") && !strings.Contains(g, "providerGoroutines") {
				left += g + "\n\n"
			}
		}
		if left == "" {
			return ""
		}
	}
	return left
}

// A panic in one of ReadAccount's concurrent readers is an error of the
// plan naming the reader, not a crash of the process; every reader has
// stopped when ReadAccount returns.
func TestReadAccountPanicInAReaderIsAnError(t *testing.T) {
	for _, tc := range []struct{ endpoint, step string }{
		{"antennas/list", "readAntennas"},
		{"i", "internal error in i:"},
		{"i/registry/get-detail", "ownership record"},
		{"drive/folders", "drive/folders"},
	} {
		t.Run(tc.endpoint, func(t *testing.T) {
			env := newEmuEnv(t)
			env.c.hc = &http.Client{Transport: &panicTransport{next: env.c.hc.Transport, endpoint: tc.endpoint, value: "bad state near " + env.c.token}}
			acct := account(folders("a"), func(a *schema.Account) {
				a.Antennas = []*schema.Antenna{{Name: "n", Source: "all", Keywords: [][]string{{"k"}}}}
			})
			_, err := ReadAccount(context.Background(), env.c, acct)
			var pe *safego.PanicError
			if !errors.As(err, &pe) {
				t.Fatalf("ReadAccount = %v, want an internal error", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, "internal error") || !strings.Contains(msg, tc.step) || !strings.Contains(msg, "please report") {
				t.Errorf("error %q does not say internal error in %s and to report it", msg, tc.step)
			}
			if strings.Contains(msg, env.c.token) {
				t.Errorf("error carries the token: %q", msg)
			}
			if strings.Contains(msg, "goroutine ") || len(pe.Stack) == 0 {
				t.Errorf("the stack is in the message or missing: %q (stack %d bytes)", msg, len(pe.Stack))
			}
			if left := providerGoroutines(t); left != "" {
				t.Errorf("goroutines left running:\n%s", left)
			}
		})
	}
}

// togglePanicTransport panics on endpoint while on is set.
type togglePanicTransport struct {
	panicTransport
	on *atomic.Bool
}

func (p *togglePanicTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !p.on.Load() {
		return p.next.RoundTrip(req)
	}
	return p.panicTransport.RoundTrip(req)
}

// A panic while renewing the apply lock (in the lease's own goroutine) is a
// failed renewal — OnLost is told, as for any — not a crash of the apply.
func TestLockRenewalPanicIsAFailedRenewal(t *testing.T) {
	env := newEmuEnv(t)
	var on atomic.Bool
	env.c.hc = &http.Client{Transport: &togglePanicTransport{panicTransport{next: env.c.hc.Transport, endpoint: "i/registry/set", value: "renewal bug"}, &on}}
	lost := make(chan error, 8)
	l, err := Acquire(context.Background(), env.c, "@alice", LockInfo{Host: "h1"}, LockOptions{TTL: 300 * time.Millisecond, OnLost: func(err error) { lost <- err }})
	if err != nil {
		t.Fatal(err)
	}
	on.Store(true)
	select {
	case err := <-lost:
		if !strings.Contains(err.Error(), "internal error in i/registry/set (renewing the apply lock): renewal bug") {
			t.Errorf("OnLost(%v)", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("OnLost was not told")
	}
	on.Store(false)
	if err := l.Release(); err != nil {
		t.Errorf("Release: %v", err)
	}
}
