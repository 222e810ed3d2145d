package provider

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// Issue 9 item 6: the plan's wait estimate is checked against the time the
// apply really takes — the real client against the emulator's sliding-window
// limiter (ratelimiter 3.4.1's algorithm), on a fake clock that the waits
// advance. The earlier calls case is an apply made minutes before, whose
// calls the ownership record keeps.
func TestWaitEstimateMatchesLimiter(t *testing.T) {
	for _, tc := range []struct {
		name  string
		prior int           // follows applied before
		gap   time.Duration // between that apply and the plan
		n     int
	}{
		{"101", 0, 0, 101},
		{"150", 0, 0, 150},
		{"250", 0, 0, 250},
		{"150 after 100", 100, time.Minute, 150},
		{"60 after 50", 50, 10 * time.Minute, 60},
		{"100 after 100 two hours ago", 100, 2 * time.Hour, 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newEmuEnv(t, withRateLimits)
			env.c.sleep = func(ctx context.Context, d time.Duration) error {
				env.clock.Advance(d)
				return ctx.Err()
			}
			ctx := context.Background()
			acct := account()
			if tc.prior > 0 {
				env.emu.SeedUsers("old", tc.prior)
				for i := range tc.prior {
					acct.Follows = append(acct.Follows, &schema.Follow{Acct: "@old" + itoa(i)})
				}
				mustPlanApply(t, env, acct)
				env.clock.Advance(tc.gap)
			}
			env.emu.SeedUsers("new", tc.n)
			for i := range tc.n {
				acct.Follows = append(acct.Follows, &schema.Follow{Acct: "@new" + itoa(i)})
			}
			live, err := ReadAccount(ctx, env.c, acct)
			if err != nil {
				t.Fatal(err)
			}
			ap, diags := planner.PlanAccount(acct, live)
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			estimate := estimatedWait(t, ap.Notes, "following/create")
			start := env.clock.Now()
			if _, err := Apply(ctx, env.c, ap, nil); err != nil {
				t.Fatal(err)
			}
			took := env.clock.Now().Sub(start)
			t.Logf("estimate %v, took %v", estimate, took)
			// formatWait rounds down to the minute; the calls themselves
			// and Retry-After's whole seconds add a little.
			if took < estimate || took > estimate+2*time.Minute {
				t.Errorf("estimate %v, the apply took %v (notes %q)", estimate, took, ap.Notes)
			}
		})
	}
}

var waitNote = regexp.MustCompile(`wait about ([0-9hm]+) for`)

// estimatedWait is the wait a plan announces for endpoint; 0 without one.
func estimatedWait(t *testing.T, notes []string, endpoint string) time.Duration {
	t.Helper()
	for _, n := range notes {
		if !strings.Contains(n, "("+endpoint+")") {
			continue
		}
		m := waitNote.FindStringSubmatch(n)
		if m == nil {
			t.Fatalf("note without a wait: %q", n)
		}
		d, err := time.ParseDuration(m[1])
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	return 0
}

// A 429 tells what the record cannot: calls made by another client of the
// account. An apply stopped in its first wait keeps what the 429 said
// (until when the window is full), and the next plan's estimate counts it:
// 150 follows, 10 minutes after another client made 100, take 50 minutes
// until those leave the window, then an hour for the last 50.
func TestWaitEstimateAfterA429(t *testing.T) {
	env := newEmuEnv(t, withRateLimits)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	env.c.sleep = func(ctx context.Context, d time.Duration) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		env.clock.Advance(d)
		return nil
	}
	others := env.emu.SeedUsers("other", 100)
	for _, id := range others { // another client: not in mkctl's record
		if err := env.c.Write(ctx, "following/create", map[string]any{"userId": id}, nil); err != nil {
			t.Fatal(err)
		}
	}
	env.clock.Advance(10 * time.Minute)
	env.emu.SeedUsers("new", 150)
	acct := account()
	for i := range 150 {
		acct.Follows = append(acct.Follows, &schema.Follow{Acct: "@new" + itoa(i)})
	}
	live, err := ReadAccount(ctx, env.c, acct)
	if err != nil {
		t.Fatal(err)
	}
	ap, _ := planner.PlanAccount(acct, live)
	if got := estimatedWait(t, ap.Notes, "following/create"); got != time.Hour {
		t.Fatalf("without the 429 the estimate is %v, want the 1h a fresh window gives", got)
	}
	env.c.notify = func(msg string) {
		if strings.HasPrefix(msg, "rate limited") {
			cancel() // the user gives up at the first wait
		}
	}
	if _, err := Apply(ctx, env.c, ap, nil); err == nil {
		t.Fatal("the apply did not stop")
	}
	env.c.notify = func(string) {}

	live, err = ReadAccount(context.Background(), env.c, acct)
	if err != nil {
		t.Fatal(err)
	}
	ap, _ = planner.PlanAccount(acct, live)
	estimate := estimatedWait(t, ap.Notes, "following/create")
	start := env.clock.Now()
	if _, err := Apply(context.Background(), env.c, ap, nil); err != nil {
		t.Fatal(err)
	}
	took := env.clock.Now().Sub(start)
	t.Logf("after the 429: estimate %v, took %v (%q)", estimate, took, ap.Notes)
	if estimate != 110*time.Minute || took < estimate || took > estimate+2*time.Minute {
		t.Errorf("estimate %v, the apply took %v; want both 1h50m", estimate, took)
	}
}
