package provider

import (
	"slices"
	"testing"
	"time"

	"github.com/mkctl/mkctl/internal/acctest"
	"github.com/mkctl/mkctl/schema"
)

// TestAccMuteExpiredButListed: on the real server, a mute mkctl made ends;
// Misskey keeps listing it until its 5-minute job. A new expires_at over it
// is planned as unmute + mute (an update, since the old one is listed) and
// applies; the mute then has the new end and the next plan has no
// changes. (Should the job run in the second between, the plan is a
// create instead, which must converge as well.)
func TestAccMuteExpiredButListed(t *testing.T) {
	srv := acctest.Connect(t)
	ctx := accCtx(t)
	u := srv.NewUser(t, "mexp")
	mutee := srv.NewUser(t, "mexpee")
	c := accClient(t, srv, u.MiAuth(t, mkctlPermissions...))
	end := time.Now().Add(3 * time.Second) // time for the first apply, however loaded the server
	acct := account(func(a *schema.Account) {
		a.Username = u.Username
		a.Host = srv.URL
		a.Mutes = []*schema.UserRelation{{Kind: "mute", Acct: "@" + mutee.Username, ExpiresAt: &end}}
	})
	_, ap := planReal(t, ctx, c, acct)
	if _, err := Apply(ctx, c, ap, nil); err != nil {
		t.Fatalf("apply: %v", err)
	}
	time.Sleep(time.Until(end) + 300*time.Millisecond)

	later := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Millisecond)
	acct.Mutes[0].ExpiresAt = &later
	live, ap := planReal(t, ctx, c, acct)
	got := changesOf(ap)
	key := relKey("mute", mutee)
	switch {
	case len(live.Mutes) == 1 && slices.Equal(got, []string{"update mute " + key}):
		if m := live.Mutes[0]; m.ExpiresAt == nil || m.ExpiresAt.After(time.Now()) {
			t.Errorf("the listed mute ends %v: not in the past", m.ExpiresAt)
		}
	case len(live.Mutes) == 0 && slices.Equal(got, []string{"create mute " + key}):
		t.Logf("Misskey's 5-minute job removed the ended mute before the plan read it")
	default:
		t.Fatalf("plan over an ended mute: %v (live %v)", got, live.Mutes)
	}
	if _, err := Apply(ctx, c, ap, nil); err != nil {
		t.Fatalf("apply over an ended mute: %v", err)
	}
	live, ap = planReal(t, ctx, c, acct)
	if got := changesOf(ap); len(got) != 0 || len(live.Mutes) != 1 || live.Mutes[0].ExpiresAt == nil || !live.Mutes[0].ExpiresAt.Equal(later) {
		t.Fatalf("after the apply: plan %v, mutes %v, want one ending %v", got, live.Mutes, later)
	}
}
