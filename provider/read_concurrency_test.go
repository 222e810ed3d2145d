package provider

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// gateTransport holds every request to one endpoint until a condition on
// the requests seen so far holds, so a test can show which requests go out
// without waiting for which answers. The bound only turns a read that
// waits for the held answer (the bug) into a failure instead of a hang.
type gateTransport struct {
	next   http.RoundTripper
	hold   func(endpoint string) bool
	open   func(seen map[string]int) bool
	mu     sync.Mutex
	seen   map[string]int
	opened chan struct{}
	once   sync.Once
	// timedOut is set when a held request went on without the condition.
	timedOut bool
}

func newGate(next http.RoundTripper, hold func(string) bool, open func(map[string]int) bool) *gateTransport {
	return &gateTransport{next: next, hold: hold, open: open, seen: map[string]int{}, opened: make(chan struct{})}
}

func (g *gateTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ep := strings.TrimPrefix(req.URL.Path, "/api/")
	g.mu.Lock()
	g.seen[ep]++
	if g.open(g.seen) {
		g.once.Do(func() { close(g.opened) })
	}
	g.mu.Unlock()
	if g.hold(ep) {
		select {
		case <-g.opened:
		case <-time.After(10 * time.Second):
			g.mu.Lock()
			g.timedOut = true
			g.mu.Unlock()
		}
	}
	return g.next.RoundTrip(req)
}

// wasOpened reports whether the condition held before any held request
// gave up waiting for it.
func (g *gateTransport) wasOpened() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return !g.timedOut
}

// Readers that need only the record start before `i` answers: `i` is held
// until antennas, lists, the sent requests and the folder listing are asked.
func TestReadAccountStartsRecordReadersBeforeI(t *testing.T) {
	env := newEmuEnv(t)
	gate := newGate(env.c.hc.Transport, func(ep string) bool { return ep == "i" }, func(seen map[string]int) bool {
		return seen["antennas/list"] > 0 && seen["users/lists/list"] > 0 && seen["following/requests/sent"] > 0 && seen["drive/folders"] > 0
	})
	env.c.hc = &http.Client{Transport: gate}
	acct := account(follows("@x"), folders("a"), func(a *schema.Account) {
		a.Antennas = []*schema.Antenna{{Name: "n", Source: "all", Keywords: [][]string{{"k"}}}}
		a.UserLists = []*schema.UserList{{Name: "l"}}
	})
	env.emu.CreateUser("x")
	if _, err := ReadAccount(context.Background(), env.c, acct); err != nil {
		t.Fatal(err)
	}
	if !gate.wasOpened() {
		t.Errorf("the record's readers waited for `i`: %v", gate.seen)
	}
}

// A token of another account: the mismatch is the error, even though the
// record's readers ran before `i` answered.
func TestReadAccountMismatchWinsOverEarlyReaders(t *testing.T) {
	env := newEmuEnv(t)
	acct := account(folders("a"), func(a *schema.Account) { a.Username = "bob" })
	_, err := ReadAccount(context.Background(), env.c, acct)
	var mm *AccountMismatchError
	if !asMismatch(err, &mm) {
		t.Fatalf("err = %v, want a mismatch", err)
	}
}

// Recorded folders along a declared path are listed side by side, not one
// level after the other: listings are held until the root's and those of
// a, a/b and a/b/c have all been asked for.
func TestReadDriveFoldersListsRecordedPathsAtOnce(t *testing.T) {
	env := newEmuEnv(t)
	a := env.emu.SeedFolders(env.me.ID, "", []string{"a"})[0]
	b := env.emu.SeedFolders(env.me.ID, a, []string{"b"})[0]
	c := env.emu.SeedFolders(env.me.ID, b, []string{"c"})[0]
	d := env.emu.SeedFolders(env.me.ID, c, []string{"d"})[0]
	env.writeRecord(t, &planner.Ownership{Version: 1, Account: "account.main", Objects: map[string]planner.Owned{
		folderKey("a"): {ID: a}, folderKey("a/b"): {ID: b}, folderKey("a/b/c"): {ID: c}, folderKey("a/b/c/d"): {ID: d},
	}})
	gate := newGate(env.c.hc.Transport, func(ep string) bool { return ep == "drive/folders" }, func(seen map[string]int) bool {
		return seen["drive/folders"] >= 4
	})
	env.c.hc = &http.Client{Transport: gate}
	live, err := ReadAccount(context.Background(), env.c, account(folders("a", "a/b", "a/b/c", "a/b/c/d")))
	if err != nil {
		t.Fatal(err)
	}
	if !gate.wasOpened() {
		t.Errorf("listings went one level after another: %v", gate.seen)
	}
	if len(live.DriveFolders) != 4 || gate.seen["drive/folders"] != 4 {
		t.Errorf("%d folders, %d listings; want 4 and 4", len(live.DriveFolders), gate.seen["drive/folders"])
	}
}

// The client keeps an idle connection for every request a read may have in
// flight, so bursts of reads reuse connections (a TLS handshake each on a
// real instance) instead of the default 2 per host.
func TestClientKeepsAConnectionPerReadInFlight(t *testing.T) {
	c, err := NewClient("https://misskey.example", "")
	if err != nil {
		t.Fatal(err)
	}
	tr, ok := c.hc.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("transport %T, want an *http.Transport", c.hc.Transport)
	}
	if tr.MaxIdleConnsPerHost < maxConcurrentReads+maxPageChains || tr.Proxy == nil {
		t.Errorf("MaxIdleConnsPerHost %d (want ≥ %d), proxy from the environment %v", tr.MaxIdleConnsPerHost, maxConcurrentReads+maxPageChains, tr.Proxy != nil)
	}
}
