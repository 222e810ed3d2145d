package provider

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/provider/emulator"
)

// mkctlPermissions are the kinds `mkctl login` asks for (API-NOTES §8).
var mkctlPermissions = []string{
	"read:account", "write:account", "read:following", "write:following",
	"write:notes", "read:drive", "write:drive",
	"read:blocks", "write:blocks", "read:mutes", "write:mutes",
}

// emuEnv is an emulated server with one account, alice, and a client for it
// with a MiAuth-style token, the kind mkctl uses.
type emuEnv struct {
	emu   *emulator.Emulator
	clock *emulator.FakeClock
	me    *emulator.User
	c     *Client
	rec   *recorder
	// counts counts requests by endpoint, as the client sent them
	// (including faulted ones).
	mu     sync.Mutex
	counts map[string]int
}

type emuOpt func(*emulator.Options)

func withRateLimits(o *emulator.Options) { o.RateLimits = true }

func newEmuEnv(t testing.TB, opts ...emuOpt) *emuEnv {
	t.Helper()
	clock := emulator.NewFakeClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
	o := emulator.Options{Clock: clock}
	for _, f := range opts {
		f(&o)
	}
	emu := emulator.New(o)
	t.Cleanup(func() { emu.AssertNoViolations(t) })
	me := emu.CreateUser("alice")
	token := emu.IssueToken(me.ID, mkctlPermissions)
	env := &emuEnv{emu: emu, clock: clock, me: me, rec: &recorder{}, counts: map[string]int{}}
	hc := &http.Client{Transport: &countingTransport{env: env, next: emu.Transport()}}
	c, err := NewClient("http://127.0.0.1:3000", token, WithHTTPClient(hc), WithSleep(env.rec.sleep), WithNotify(env.rec.note))
	if err != nil {
		t.Fatal(err)
	}
	c.jitter = func(d time.Duration) time.Duration { return d }
	c.now = clock.Now // the intent's time and Retry-After follow the server's clock
	env.c = c
	return env
}

func (env *emuEnv) count(endpoint string) int {
	env.mu.Lock()
	defer env.mu.Unlock()
	return env.counts[endpoint]
}

func (env *emuEnv) total() int {
	env.mu.Lock()
	defer env.mu.Unlock()
	n := 0
	for _, c := range env.counts {
		n += c
	}
	return n
}

func (env *emuEnv) resetCounts() {
	env.mu.Lock()
	env.counts = map[string]int{}
	env.mu.Unlock()
}

// record reads the ownership record through the API, as mkctl would.
func (env *emuEnv) record(t testing.TB) *planner.Ownership {
	t.Helper()
	rec, err := readOwnership(context.Background(), env.c.Read, "account.main")
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// writeRecord stores an ownership record, as an earlier apply would have.
func (env *emuEnv) writeRecord(t testing.TB, rec *planner.Ownership) {
	t.Helper()
	body := registryParams("account.main")
	body["value"] = rec
	if err := env.c.Write(context.Background(), "i/registry/set", body, nil); err != nil {
		t.Fatal(err)
	}
}

// countingTransport counts the requests the client sends, faulted ones
// included, by endpoint.
type countingTransport struct {
	env  *emuEnv
	next http.RoundTripper
}

func (ct *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	endpoint := strings.TrimPrefix(req.URL.Path, "/api/")
	ct.env.mu.Lock()
	ct.env.counts[endpoint]++
	ct.env.mu.Unlock()
	return ct.next.RoundTrip(req)
}

// plan builds an account plan for alice.
func (env *emuEnv) plan(changes ...*planner.Change) *planner.AccountPlan {
	for _, ch := range changes {
		if ch.Address == "" {
			ch.Address = "account.main." + ch.Key
		}
	}
	return &planner.AccountPlan{Address: "account.main", Username: "alice", UserID: env.me.ID, Changes: changes}
}

func itoa(i int) string { return strconv.Itoa(i) }

func asAPIError(err error, target **APIError) bool { return errors.As(err, target) }

func asMismatch(err error, target **AccountMismatchError) bool { return errors.As(err, target) }
