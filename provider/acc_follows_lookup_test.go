package provider

import (
	"reflect"
	"sync"
	"testing"

	"github.com/mkctl/mkctl/internal/acctest"
	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// TestAccFollowsLookupSamePlan: on the real server, an account that follows
// 120 accounts and declares 3 plans exactly the same whether mkctl asks
// users/show about the declared and recorded followees or pages through
// every follow — a settings change, a recorded follow no longer declared
// (deleted), the 116 left alone — and the lookup costs fewer requests
// (counted by the proxy): i, the record, the sent requests and one
// users/show, against two pages of users/following.
func TestAccFollowsLookupSamePlan(t *testing.T) {
	srv := acctest.Connect(t)
	ctx := accCtx(t)
	u := srv.NewUser(t, "plook")
	// 120 follows in one go: following/create allows 100 an hour.
	srv.SetPolicy(t, u, "rateLimitFactor", 0)

	const n = 120
	users := srv.NewUsers(t, "pfee", n)
	// Six at a time; the goroutines return errors instead of failing t,
	// which only the test's own goroutine may do.
	errs := make([]error, n)
	var wg sync.WaitGroup
	work := make(chan int)
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				errs[i] = srv.CallJSON(ctx, u.NativeToken, "following/create", map[string]any{"userId": users[i].ID}, nil)
			}
		}()
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("following account %d of %d: %v", i+1, n, err)
		}
	}

	proxy := srv.NewProxy(t)
	token := u.MiAuth(t, mkctlPermissions...)
	c, err := NewClient(proxy.URL, token, WithUserAgent("mkctl/acceptance"))
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	acct := account(func(a *schema.Account) {
		a.Username = u.Username
		a.Host = srv.URL
		for _, f := range users[:3] {
			a.Follows = append(a.Follows, &schema.Follow{Acct: "@" + f.Username})
		}
		a.Follows[0].Notify = &yes
	})
	rec := planner.NewOwnership(acct.Address())
	for _, f := range users[:4] { // the 4th is no longer declared
		rec.Objects[followRecordKey("@"+f.Username)] = planner.Owned{ID: f.ID}
	}
	body := registryParams(acct.Address())
	body["value"] = rec
	if err := c.Write(ctx, "i/registry/set", body, nil); err != nil {
		t.Fatal(err)
	}

	proxy.Reset()
	lookup, paged, lr, pr := readBothWays(t, ctx, c, proxy.Total, acct)
	if !reflect.DeepEqual(lookup, paged) {
		t.Errorf("plans differ:\nlookup %s\npaged  %s", dump(lookup), dump(paged))
	}
	if got, want := changesOf(lookup), []string{"update follow " + followRecordKey("@"+users[0].Username), "delete follow " + followRecordKey("@"+users[3].Username)}; !reflect.DeepEqual(got, want) {
		t.Errorf("changes %q, want %q", got, want)
	}
	if !hasNote(lookup, "116 follow(s) not managed") {
		t.Errorf("notes %q", lookup.Notes)
	}
	if lr != 4 || pr != 5 {
		t.Errorf("requests: lookup %d, paging %d; want 4 and 5", lr, pr)
	}
	if proxy.Count("users/following") != 2 || proxy.Count("users/show") != 1 {
		t.Errorf("users/following %d, users/show %d; want 2 (paging) and 1 (lookup)", proxy.Count("users/following"), proxy.Count("users/show"))
	}
}
