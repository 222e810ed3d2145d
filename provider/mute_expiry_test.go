package provider

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/mkctl/mkctl/schema"
)

// TestMuteExpiredButListed: Misskey lists an expired mute (and answers
// mute/create with ALREADY_MUTING) until its 5-minute job removes it; the
// emulator does the same on its clock. A declared mute given a new end
// while the old one is expired but listed is an update (unmute + mute)
// that works, and converges; so is a mute made indefinite. A mute removed
// from the configuration while expired is deleted, and the job removing
// it between the plan and the apply (NOT_MUTING) is no failure.
func TestMuteExpiredButListed(t *testing.T) {
	env := newEmuEnv(t)
	ctx := context.Background()
	bob, carol := env.emu.CreateUser("bob"), env.emu.CreateUser("carol")
	start := env.clock.Now() // 12:00:00
	end := start.Add(90 * time.Second)
	acct := account(func(a *schema.Account) {
		a.Mutes = []*schema.UserRelation{
			{Kind: "mute", Acct: "@bob", ExpiresAt: &end},
			{Kind: "mute", Acct: "@carol", ExpiresAt: &end},
		}
	})
	_, ap := planReal(t, ctx, env.c, acct)
	if _, err := Apply(ctx, env.c, ap, nil); err != nil {
		t.Fatal(err)
	}

	env.clock.Advance(2 * time.Minute) // 12:02: both expired, still listed
	live, _ := planReal(t, ctx, env.c, acct)
	if len(live.Mutes) != 2 {
		t.Fatalf("expired mutes before the job: %v, want both listed", live.Mutes)
	}
	later := start.Add(time.Hour)
	acct.Mutes[0].ExpiresAt = &later // bob: a new end
	acct.Mutes[1].ExpiresAt = nil    // carol: no end
	_, ap = planReal(t, ctx, env.c, acct)
	want := []string{`update mute mute["@bob"]`, `update mute mute["@carol"]`}
	if got := changesOf(ap); !slices.Equal(got, want) {
		t.Fatalf("plan %v, want %v", got, want)
	}
	env.resetCounts()
	if _, err := Apply(ctx, env.c, ap, nil); err != nil {
		t.Fatalf("apply over expired mutes: %v", err)
	}
	if d, c := env.count("mute/delete"), env.count("mute/create"); d != 2 || c != 2 {
		t.Errorf("%d mute/delete, %d mute/create, want 2 each", d, c)
	}
	env.clock.Advance(5 * time.Minute) // past 12:05: the job has run
	live, ap = planReal(t, ctx, env.c, acct)
	if got := changesOf(ap); len(got) != 0 || len(live.Mutes) != 2 {
		t.Fatalf("after the job: plan %v, mutes %v", got, live.Mutes)
	}
	for _, m := range live.Mutes {
		switch m.UserID {
		case bob.ID:
			if m.ExpiresAt == nil || !m.ExpiresAt.Equal(later) {
				t.Errorf("bob's mute ends %v, want %v", m.ExpiresAt, later)
			}
		case carol.ID:
			if m.ExpiresAt != nil {
				t.Errorf("carol's mute ends %v, want never", m.ExpiresAt)
			}
		}
	}

	// bob's mute expires (13:00) and is listed at 13:04; removed from the
	// configuration, the plan deletes it; the 13:05 job removes it before
	// the apply, whose mute/delete then answers NOT_MUTING: done anyway.
	env.clock.Advance(time.Hour - 3*time.Minute) // 13:04
	acct.Mutes = acct.Mutes[1:]
	_, ap = planReal(t, ctx, env.c, acct)
	if got := changesOf(ap); !slices.Equal(got, []string{`delete mute mute["@bob"]`}) {
		t.Fatalf("removal plan %v", got)
	}
	env.clock.Advance(time.Minute) // 13:05: the job runs
	if _, err := Apply(ctx, env.c, ap, nil); err != nil {
		t.Fatalf("apply after the job removed the mute: %v", err)
	}
	if _, ap = planReal(t, ctx, env.c, acct); len(changesOf(ap)) != 0 {
		t.Errorf("plan after: %v", changesOf(ap))
	}
}
