package emulator

import (
	"net/http"
	"strconv"
	"testing"
	"time"
)

func TestRateLimitOffByDefault(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	alice := e.CreateUser("alice")
	tok := e.NativeToken(alice.ID)
	for i := range 25 {
		if a := post(t, e, "i/update", tok, map[string]any{"location": "x"}); a.Status != http.StatusOK {
			t.Fatalf("call %d: %d", i+1, a.Status)
		}
	}
}

// i/update allows 20 calls an hour. The 21st is refused with a 429 like
// sample 50; refused calls count too, so retrying early pushes the reset
// later; after Retry-After seconds a call goes through.
func TestRateLimitSlidingWindow(t *testing.T) {
	e, clock := newTestEmulator(t, Options{RateLimits: true})
	alice := e.CreateUser("alice")
	tok := e.NativeToken(alice.ID)
	update := func() answer { return post(t, e, "i/update", tok, map[string]any{"location": "x"}) }

	first := clock.Now()
	update()
	clock.Advance(time.Minute)
	for i := 2; i <= 20; i++ {
		if a := update(); a.Status != http.StatusOK {
			t.Fatalf("call %d: %d %s", i, a.Status, a.Body)
		}
	}
	a := update()
	if a.Status != http.StatusTooManyRequests {
		t.Fatalf("call 21: %d %s", a.Status, a.Body)
	}
	code, id := a.errorCode(t)
	if code != "RATE_LIMIT_EXCEEDED" || id != "d5826d14-3982-4d2e-8011-b9e9f02499ef" {
		t.Errorf("%s %s", code, id)
	}
	if h := a.Header.Get("WWW-Authenticate"); h != "" {
		t.Errorf("WWW-Authenticate %q on a 429", h)
	}
	info := a.json(t)["error"].(map[string]any)["info"].(map[string]any)
	// 21 entries: the 20th newest is the second call, made a minute in.
	wantReset := first.Add(time.Minute + time.Hour)
	if info["remaining"] != 0.0 || info["total"] != 20.0 || info["resetMs"] != float64(wantReset.UnixMilli()) || info["reset"] != float64(wantReset.Unix()) {
		t.Errorf("info %v, want reset %v", info, wantReset.UnixMilli())
	}
	if got := a.Header.Get("Retry-After"); got != "3600" {
		t.Errorf("Retry-After %q, want 3600", got)
	}

	// Half an hour later it is still refused, and the refusal counted.
	clock.Advance(30 * time.Minute)
	a = update()
	if a.Status != http.StatusTooManyRequests {
		t.Fatalf("after 30 min: %d", a.Status)
	}
	retry, _ := strconv.Atoi(a.Header.Get("Retry-After"))
	if retry <= 0 || retry > 3600 {
		t.Fatalf("Retry-After %d", retry)
	}
	clock.Advance(time.Duration(retry) * time.Second)
	if a := update(); a.Status != http.StatusOK {
		t.Errorf("after Retry-After: %d %s", a.Status, a.Body)
	}
}

// The limit runs before credential, permission and parameter checks.
func TestRateLimitCountsFailedCalls(t *testing.T) {
	e, _ := newTestEmulator(t, Options{RateLimits: true})
	alice := e.CreateUser("alice")
	readOnly := e.IssueToken(alice.ID, []string{"read:account"})
	for range 20 {
		if a := post(t, e, "i/update", readOnly, map[string]any{"location": "x"}); a.Status != http.StatusForbidden {
			t.Fatalf("%d", a.Status)
		}
	}
	if a := post(t, e, "i/update", e.NativeToken(alice.ID), map[string]any{"location": "x"}); a.Status != http.StatusTooManyRequests {
		t.Errorf("after 20 refused calls: %d, want 429", a.Status)
	}
	// Other endpoints and other users have their own buckets.
	if a := post(t, e, "i", readOnly, nil); a.Status != http.StatusOK {
		t.Errorf("i: %d", a.Status)
	}
	bob := e.CreateUser("bob")
	if a := post(t, e, "i/update", e.NativeToken(bob.ID), map[string]any{"location": "x"}); a.Status != http.StatusOK {
		t.Errorf("bob: %d", a.Status)
	}
}

func TestRateLimitFactor(t *testing.T) {
	e, _ := newTestEmulator(t, Options{RateLimits: true})
	alice := e.CreateUser("alice")
	bob := e.CreateUser("bob")
	e.SetPolicy(alice.ID, "rateLimitFactor", 2) // max 20 / 2
	e.SetPolicy(bob.ID, "rateLimitFactor", 0)   // no limit
	count := func(u *User) int {
		tok := e.NativeToken(u.ID)
		for i := 1; i <= 30; i++ {
			if a := post(t, e, "i/update", tok, map[string]any{"location": "x"}); a.Status == http.StatusTooManyRequests {
				if total := a.json(t)["error"].(map[string]any)["info"].(map[string]any)["total"]; u.ID == alice.ID && total != 10.0 {
					t.Errorf("total %v, want 10", total)
				}
				return i - 1
			}
		}
		return 30
	}
	if n := count(alice); n != 10 {
		t.Errorf("factor 2: %d calls allowed, want 10", n)
	}
	if n := count(bob); n != 30 {
		t.Errorf("factor 0: %d calls allowed, want all 30", n)
	}
	// The policy shows in i.
	pol := mustOK(t, post(t, e, "i", e.NativeToken(alice.ID), nil))["policies"].(map[string]any)
	if pol["rateLimitFactor"] != 2.0 || pol["pinLimit"] != 5.0 {
		t.Errorf("policies %v", pol)
	}
}

// minInterval: a bucket of one call per interval, checked first.
func TestRateLimitMinInterval(t *testing.T) {
	e, clock := newTestEmulator(t, Options{RateLimits: true})
	alice := e.CreateUser("alice")
	c := &call{e: e, ep: &endpoint{Name: "test", Limit: &RateLimit{Duration: time.Hour, Max: 300, MinInterval: time.Second}}, me: e.st.user(alice.ID)}
	try := func() *apiError {
		c.now = e.now()
		return e.rateLimit(c, alice.ID)
	}
	if err := try(); err != nil {
		t.Fatal(err)
	}
	if err := try(); err == nil || err.Code != "RATE_LIMIT_EXCEEDED" {
		t.Fatalf("second call in the same second: %v", err)
	}
	clock.Advance(1001 * time.Millisecond)
	if err := try(); err != nil {
		t.Errorf("a second later: %v", err)
	}
}
