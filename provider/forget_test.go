package provider

import (
	"context"
	"testing"
)

// A follow mkctl made and the user later removed by hand leaves the record;
// when the user follows that account again by hand, mkctl must not treat
// the new follow as its own and delete it once the block is gone.
func TestGoneObjectsLeaveTheRecord(t *testing.T) {
	env := newEmuEnv(t)
	carol := env.emu.CreateUser("carol")
	planAndApply(t, env, account(follows("@carol")))
	if !env.record(t).Owns(`follow["@carol"]`, carol.ID) {
		t.Fatal("the follow was not recorded")
	}

	// The user unfollows by hand; the configuration drops the block.
	if err := env.c.Write(context.Background(), "following/delete", map[string]any{"userId": carol.ID}, nil); err != nil {
		t.Fatal(err)
	}
	ap := planAndApply(t, env, account())
	if len(ap.Changes) != 0 || len(ap.Forget) != 1 || ap.Forget[0] != `follow["@carol"]` {
		t.Fatalf("changes %v forget %v", changeSummary(ap), ap.Forget)
	}
	if env.record(t).Owns(`follow["@carol"]`, "") {
		t.Fatal("the gone follow is still in the record")
	}

	// Followed again by hand: not mkctl's, so it stays.
	env.emu.SeedFollows(env.me.ID, []string{carol.ID})
	ap = planAndApply(t, env, account())
	if len(ap.Changes) != 0 {
		t.Fatalf("mkctl would touch a hand-made follow: %v", changeSummary(ap))
	}
	if ids := env.emu.FolloweeIDs(env.me.ID); len(ids) != 1 {
		t.Fatalf("followees = %v", ids)
	}
}
