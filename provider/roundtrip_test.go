package provider

import (
	"context"
	"reflect"
	"testing"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// planAndApply reads, plans and applies one account, as `mkctl apply`
// does, and returns the plan.
func planAndApply(t *testing.T, env *emuEnv, acct *schema.Account) *planner.AccountPlan {
	t.Helper()
	ap, _ := mustPlanApply(t, env, acct)
	return ap
}

func changeSummary(ap *planner.AccountPlan) []string {
	var out []string
	for _, c := range ap.Changes {
		out = append(out, string(c.Action)+" "+c.Key)
	}
	return out
}

// Read → plan → apply → read → plan again finds nothing to do: what the
// provider reads is what the planner needs, and what it applies is what
// the planner asked for.
func TestRoundTripThroughPlanner(t *testing.T) {
	env := newEmuEnv(t)
	env.emu.CreateUser("bob")
	env.emu.CreateUser("erin")
	env.emu.CreateRemoteUser("carol", "remote.example")
	locked := env.emu.CreateUser("locked")
	env.emu.SetLocked(locked.ID, true)
	yes, no := true, false
	cw := "spoiler"

	acct := account(
		folders("assets", "assets/icons", "assets/icons/small", "media"),
		func(a *schema.Account) {
			a.PinnedNotes = []*schema.PinnedNote{
				{Label: "top", Text: "first", Visibility: "public"},
				{Label: "middle", Text: "second", CW: &cw, Visibility: "home"},
				{Label: "bottom", Text: "third", Visibility: "public", LocalOnly: true},
			}
			a.Follows = []*schema.Follow{
				{Acct: "@bob", WithReplies: &yes, Notify: &yes},
				{Acct: "@carol@remote.example"},
				{Acct: "@locked", Notify: &no},
			}
			a.UserLists = []*schema.UserList{{Name: "friends", Members: []string{"@bob", "@erin"}}}
			a.Antennas = []*schema.Antenna{{Name: "storms", Source: "list", UserList: "friends", Keywords: [][]string{{"storm"}}, WithReplies: true}}
		},
	)
	first := planAndApply(t, env, acct)
	if len(first.Changes) == 0 {
		t.Fatal("the first plan has no changes")
	}
	pinned := noteTexts(t, env, env.emu.PinnedNoteIDs(env.me.ID))
	if !reflect.DeepEqual(pinned, []string{"first", "second", "third"}) {
		t.Errorf("pinned = %v", pinned)
	}

	live, err := ReadAccount(context.Background(), env.c, acct)
	if err != nil {
		t.Fatal(err)
	}
	again, diags := planner.PlanAccount(acct, live)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if len(again.Changes) != 0 || len(again.Adopt) != 0 {
		t.Fatalf("second plan: changes %v, adopt %+v", changeSummary(again), again.Adopt)
	}

	// Dropping declarations deletes what mkctl made, and only that.
	env.emu.SeedFolders(env.me.ID, "", []string{"not-ours"})
	acct.PinnedNotes = acct.PinnedNotes[:1]
	acct.Follows = acct.Follows[:1]
	acct.DriveFolders = acct.DriveFolders[:1] // assets only
	acct.Antennas = nil
	acct.UserLists = nil
	planAndApply(t, env, acct)

	if got := noteTexts(t, env, env.emu.PinnedNoteIDs(env.me.ID)); !reflect.DeepEqual(got, []string{"first"}) {
		t.Errorf("pinned = %v", got)
	}
	var names []string
	for _, f := range env.emu.DriveFoldersOf(env.me.ID) {
		names = append(names, f.Name)
	}
	if !reflect.DeepEqual(names, []string{"assets", "not-ours"}) {
		t.Errorf("folders = %v", names)
	}
	if len(env.emu.AntennasOf(env.me.ID)) != 0 || len(env.emu.UserListsOf(env.me.ID)) != 0 {
		t.Error("antenna or list left")
	}
	if n := len(env.emu.FolloweeIDs(env.me.ID)) + len(env.emu.PendingFolloweeIDs(env.me.ID)); n != 1 {
		t.Errorf("%d follows and requests left, want 1", n)
	}
	live, err = ReadAccount(context.Background(), env.c, acct)
	if err != nil {
		t.Fatal(err)
	}
	final, _ := planner.PlanAccount(acct, live)
	if len(final.Changes) != 0 {
		t.Errorf("final plan: %v", changeSummary(final))
	}
	if keys := recordKeys(env.record(t)); !reflect.DeepEqual(keys, []string{`drive_folder["assets"]`, `follow["@bob"]`, "pinned_note.top"}) {
		t.Errorf("record = %v", keys)
	}
}
