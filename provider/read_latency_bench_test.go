package provider

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// rttTransport adds a round-trip time to every request before the
// in-process emulator answers it: the latency of a real instance, without
// its variance, so wall time can be compared with the chain of requests
// that must follow one another.
type rttTransport struct {
	next http.RoundTripper
	rtt  time.Duration
}

// RoundTrip takes rtt in all, the emulator's own time included (unless it
// takes longer): a real server's work is part of its round-trip time, and
// the emulator's, spent on this machine's CPU, would otherwise lengthen
// every step of the chain by what a busy machine makes of it.
func (t *rttTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	time.Sleep(t.rtt - time.Since(start))
	return resp, err
}

// latencyShape is an account in a steady state and the longest chain of
// requests its plan must make one after another (each needs the answer of
// the one before), counted by hand for the shape.
type latencyShape struct {
	name  string
	setup func(b *testing.B) (*emuEnv, *schema.Account)
	chain int
}

// BenchmarkReadAccountLatency reads accounts with 50 ms added to every
// request and reports the wall time per op against the chain (chain-ms):
// wall/chain is how much longer than the unavoidable sequence a plan takes
// (issue 9 item 4: at most 1.2).
func BenchmarkReadAccountLatency(b *testing.B) {
	const rtt = 50 * time.Millisecond
	shapes := []latencyShape{
		// A new token and 5,000 declared follows: looking up 5,000 names
		// would cost more than 51 pages, so the pages it is: `i` (whose
		// followingCount decides the path), then 51 pages.
		{"follows-5000-paged", func(b *testing.B) (*emuEnv, *schema.Account) {
			env := newEmuEnv(b)
			ids := env.emu.SeedUsers("user", 5000)
			env.emu.SeedFollows(env.me.ID, ids)
			acct := account()
			for i := range ids {
				acct.Follows = append(acct.Follows, &schema.Follow{Acct: "@user" + itoa(i)})
			}
			return env, acct
		}, 1 + 51},
		// The README's large account (5,000 follows, 200 folders, 5
		// antennas, 10 lists, all recorded): `i` then 50 users/show; the
		// record then the root's and the 20 top folders' listings. Two
		// steps, but 74 requests after the first: with 8 slots the read
		// is bound by the slots, not by the chain.
		{"large-account", func(b *testing.B) (*emuEnv, *schema.Account) { return benchAccount(b) }, 2},
		// The same with purge = ["follows"]: every follow must be listed,
		// so `i` then 51 pages, beside the 21 folder listings and the rest.
		{"large-account-paged", func(b *testing.B) (*emuEnv, *schema.Account) {
			env, acct := benchAccount(b)
			purge("follows")(acct)
			return env, acct
		}, 1 + 51},
		// examples/news-bot applied: `i` and the record, then the follow
		// lookup, the sent requests, antennas, lists and the listings of
		// the root and media.
		{"news-bot", newsBotAccount, 2},
	}
	for _, sh := range shapes {
		b.Run(sh.name, func(b *testing.B) {
			env, acct := sh.setup(b)
			// The same token as the set-up's: the record is private to it.
			c := env.c
			c.hc = &http.Client{Transport: &rttTransport{next: c.hc.Transport, rtt: rtt}}
			ctx := context.Background()
			env.resetCounts()
			start := time.Now()
			for b.Loop() {
				if _, err := ReadAccount(ctx, c, acct); err != nil {
					b.Fatal(err)
				}
			}
			wall := time.Since(start) / time.Duration(b.N)
			chain := time.Duration(sh.chain) * rtt
			b.ReportMetric(float64(wall.Milliseconds()), "wall-ms")
			b.ReportMetric(float64(chain.Milliseconds()), "chain-ms")
			b.ReportMetric(float64(wall)/float64(chain), "wall/chain")
			b.ReportMetric(float64(env.total())/float64(b.N), "requests/op")
		})
	}
}

// newsBotAccount is examples/news-bot applied to a fresh emulator: the
// plan's next read is the steady state.
func newsBotAccount(b *testing.B) (*emuEnv, *schema.Account) {
	env := newEmuEnv(b)
	env.me = env.emu.CreateUser("newsbot")
	for _, n := range []string{"reuters", "apnews", "bbcworld"} {
		env.emu.CreateUser(n)
	}
	cfg, _, diags := schema.Load(filepath.Join("..", "examples", "news-bot"), schema.LoadOptions{Vars: map[string]string{"host": "http://127.0.0.1:3000"}})
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	acct := cfg.Accounts[0]
	c, err := NewClient("http://127.0.0.1:3000", env.emu.IssueToken(env.me.ID, mkctlPermissions),
		WithHTTPClient(&http.Client{Transport: &countingTransport{env: env, next: env.emu.Transport()}}))
	if err != nil {
		b.Fatal(err)
	}
	env.c = c
	ctx := context.Background()
	live, err := ReadAccount(ctx, c, acct)
	if err != nil {
		b.Fatal(err)
	}
	ap, pd := planner.PlanAccount(acct, live)
	if pd.HasErrors() {
		b.Fatal(pd)
	}
	if _, err := Apply(ctx, c, ap, nil); err != nil {
		b.Fatal(err)
	}
	return env, acct
}
