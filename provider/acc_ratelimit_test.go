package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mkctl/mkctl/internal/acctest"
	"github.com/mkctl/mkctl/schema"
)

// TestAccProviderHourlyLimitStopsCleanly: i/update allows 20 calls an hour.
// With the hour used up (20 calls with the user's own token; the limit
// counts per user, whichever token), an apply whose wait is bounded by
// WithMaxRateLimitWait stops at once with an error naming i/update,
// RATE_LIMIT_EXCEEDED and the hour-long wait, having changed nothing; after
// the kit resets the counters the same configuration applies and converges.
// (The short-window case, a real 1-second wait waited out, is
// TestAccApplyWaitsOutRealRateLimit in cmd.)
func TestAccProviderHourlyLimitStopsCleanly(t *testing.T) {
	srv := acctest.Connect(t)
	ctx := accCtx(t)
	// Other test packages run at the same time and may reset the kit's
	// counters (they are global) between the 20th i/update and mkctl's:
	// then there is no 429 to see, and the scenario is tried again with a
	// fresh account.
	for attempt := 1; ; attempt++ {
		if hourlyLimitScenario(t, srv, ctx) {
			return
		}
		if attempt == 3 {
			t.Fatal("three times, mkctl's i/update was not rate limited after 20 calls: is the kit's server in production mode (rate limits on)?")
		}
		t.Logf("attempt %d: i/update was not limited (a concurrent reset of the counters?); again with a fresh account", attempt)
	}
}

// hourlyLimitScenario runs the scenario once; false when the apply was not
// rate limited at all.
func hourlyLimitScenario(t *testing.T, srv *acctest.Server, ctx context.Context) bool {
	t.Helper()
	u := srv.NewUser(t, "prl")
	p := srv.NewProxy(t)
	var mu sync.Mutex
	var notices []string
	const capWait = 5 * time.Second
	c, err := NewClient(p.URL, u.MiAuth(t, mkctlPermissions...),
		WithMaxRateLimitWait(capWait),
		WithNotify(func(msg string) { mu.Lock(); notices = append(notices, msg); mu.Unlock() }))
	if err != nil {
		t.Fatal(err)
	}
	acct := account(folders("hourly"), func(a *schema.Account) {
		a.Username = u.Username
		a.Host = p.URL
		a.Profile = &schema.Profile{Attrs: map[string]schema.ProfileValue{"name": {Value: "Hourly"}}}
		a.PinnedNotes = []*schema.PinnedNote{{Label: "about", Text: "hourly limit test", Visibility: "public"}}
	})
	_, ap := planReal(t, ctx, c, acct)
	if ch := changesOf(ap); len(ch) != 3 || ch[0] != "update profile " {
		t.Fatalf("plan %q: want the profile update first, then the folder and the note", ch)
	}

	for i := range 20 {
		u.Call(t, "i/update", map[string]any{"location": fmt.Sprintf("call %d", i+1)}, nil)
	}
	p.Reset()
	start := time.Now()
	res, err := Apply(ctx, c, ap, nil)
	elapsed := time.Since(start)
	if err == nil {
		return false
	}

	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != "RATE_LIMIT_EXCEEDED" || ae.Status != 429 || ae.Endpoint != "i/update" {
		t.Fatalf("Apply: %v; want i/update's 429 RATE_LIMIT_EXCEEDED", err)
	}
	msg := err.Error()
	t.Logf("refused after %s: %s", elapsed.Round(time.Millisecond), msg)
	// Misskey's Retry-After is what is left of the hour: 59m59s or so.
	if !strings.Contains(msg, "i/update") || !strings.Contains(msg, "RATE_LIMIT_EXCEEDED") ||
		!regexp.MustCompile(`would have to wait (5\dm\d+s|1h) \(Misskey's Retry-After[^)]*\), more than the 5s it may wait`).MatchString(msg) {
		t.Errorf("the error %q does not name i/update, RATE_LIMIT_EXCEEDED and the wait", msg)
	}
	if !strings.Contains(ae.Hint(), "run mkctl again after") {
		t.Errorf("hint %q: want when to run mkctl again", ae.Hint())
	}
	if elapsed > capWait {
		t.Errorf("Apply took %s: it waited although the wait is over the cap", elapsed)
	}
	if p.Count("i/update") != 1 || p.Answers("i/update", 429) != 1 {
		t.Errorf("i/update: %d requests, %d answered 429; want exactly one, refused", p.Count("i/update"), p.Answers("i/update", 429))
	}
	if res != (Result{}) {
		t.Errorf("Apply counted %+v done", res)
	}
	mu.Lock()
	for _, n := range notices {
		if strings.Contains(n, "waiting") {
			t.Errorf("mkctl announced a wait it did not make: %q", n)
		}
	}
	mu.Unlock()

	// Nothing broken, nothing half-done: the account is as it was.
	var me struct {
		Name        *string `json:"name"`
		PinnedNotes []any   `json:"pinnedNotes"`
	}
	u.Call(t, "i", nil, &me)
	var notes, root []map[string]any
	u.Call(t, "users/notes", map[string]any{"userId": u.ID, "limit": 10}, &notes)
	u.Call(t, "drive/folders", map[string]any{"limit": 10}, &root)
	if me.Name != nil && *me.Name == "Hourly" || len(me.PinnedNotes) != 0 || len(notes) != 0 || len(root) != 0 {
		t.Errorf("the refused apply changed the account: name %v, %d pinned, %d notes, %d folders", me.Name, len(me.PinnedNotes), len(notes), len(root))
	}

	// With the counters reset the same configuration goes through.
	srv.ResetRateLimits(t)
	_, ap = planReal(t, ctx, c, acct)
	if _, err := Apply(ctx, c, ap, nil); err != nil {
		t.Fatalf("Apply after the reset: %v", err)
	}
	_, ap = planReal(t, ctx, c, acct)
	if ch := changesOf(ap); len(ch) != 0 || len(ap.Adopt) != 0 {
		t.Errorf("plan after the re-run: changes %q, adopt %v", ch, ap.Adopt)
	}
	u.Call(t, "i", nil, &me)
	if me.Name == nil || *me.Name != "Hourly" || len(me.PinnedNotes) != 1 {
		t.Errorf("after the re-run: name %v, %d pinned notes", me.Name, len(me.PinnedNotes))
	}
	return true
}
