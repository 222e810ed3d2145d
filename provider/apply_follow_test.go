package provider

import (
	"context"
	"reflect"
	"testing"

	"github.com/mkctl/mkctl/planner"
)

func followChange(action planner.Action, acct, userID string, after map[string]any) *planner.Change {
	return &planner.Change{Type: planner.TypeFollow, Action: action, Key: `follow["` + acct + `"]`, ID: userID, After: after}
}

func TestApplyFollowCreateUpdateDelete(t *testing.T) {
	env := newEmuEnv(t)
	bob := env.emu.CreateUser("bob")
	carol := env.emu.CreateUser("carol")
	dave := env.emu.CreateUser("dave")
	env.emu.SeedFollows(env.me.ID, []string{carol.ID, dave.ID})

	ap := env.plan(
		followChange(planner.ActionCreate, "@bob", bob.ID, map[string]any{"withReplies": true, "notify": "normal"}),
		followChange(planner.ActionUpdate, "@carol", carol.ID, map[string]any{"notify": true}),
		followChange(planner.ActionDelete, "@dave", dave.ID, nil),
	)
	res, err := Apply(context.Background(), env.c, ap, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res != (Result{Added: 1, Changed: 1, Destroyed: 1}) {
		t.Errorf("result = %+v", res)
	}
	if f := env.emu.FollowingOf(env.me.ID, bob.ID); f == nil || !f.WithReplies || f.Notify == nil || *f.Notify != "normal" {
		t.Errorf("bob follow = %+v", f)
	}
	if f := env.emu.FollowingOf(env.me.ID, carol.ID); f == nil || f.Notify == nil || *f.Notify != "normal" {
		t.Errorf("carol follow = %+v", f)
	}
	if f := env.emu.FollowingOf(env.me.ID, dave.ID); f != nil {
		t.Errorf("dave still followed")
	}
	rec := env.record(t)
	if rec.Objects[`follow["@bob"]`].ID != bob.ID || rec.Objects[`follow["@carol"]`].ID != carol.ID {
		t.Errorf("record = %+v", rec.Objects)
	}
	if _, ok := rec.Objects[`follow["@dave"]`]; ok {
		t.Error("deleted follow still recorded")
	}
}

// A locked account gets a follow request; notify cannot be set until it is
// accepted, and that is not an error.
func TestApplyFollowLockedBecomesRequest(t *testing.T) {
	env := newEmuEnv(t)
	locked := env.emu.CreateUser("locked")
	env.emu.SetLocked(locked.ID, true)
	ap := env.plan(followChange(planner.ActionCreate, "@locked", locked.ID, map[string]any{"notify": "normal"}))
	if _, err := Apply(context.Background(), env.c, ap, nil); err != nil {
		t.Fatal(err)
	}
	if got := env.emu.PendingFolloweeIDs(env.me.ID); !reflect.DeepEqual(got, []string{locked.ID}) {
		t.Errorf("pending = %v", got)
	}
	if env.count("following/update") != 1 {
		t.Errorf("following/update calls = %d, want the one that found the request", env.count("following/update"))
	}
	if env.record(t).Objects[`follow["@locked"]`].ID != locked.ID {
		t.Error("request not recorded")
	}
}

func TestApplyFollowRequestCancel(t *testing.T) {
	env := newEmuEnv(t)
	locked := env.emu.CreateUser("locked")
	env.emu.SetLocked(locked.ID, true)
	env.emu.SeedFollowRequest(env.me.ID, locked.ID)
	ch := followChange(planner.ActionDelete, "@locked", locked.ID, nil)
	ch.Pending = true
	if _, err := Apply(context.Background(), env.c, env.plan(ch), nil); err != nil {
		t.Fatal(err)
	}
	if got := env.emu.PendingFolloweeIDs(env.me.ID); len(got) != 0 {
		t.Errorf("pending = %v", got)
	}
	if env.count("following/requests/cancel") != 1 || env.count("following/delete") != 0 {
		t.Errorf("cancel %d, delete %d", env.count("following/requests/cancel"), env.count("following/delete"))
	}
}

// A request accepted after the plan was made is a follow by apply time:
// cancelling finds no request, and the follow is deleted instead.
func TestApplyFollowRequestAcceptedMeanwhile(t *testing.T) {
	env := newEmuEnv(t)
	locked := env.emu.CreateUser("locked")
	env.emu.SetLocked(locked.ID, true)
	env.emu.SeedFollowRequest(env.me.ID, locked.ID)
	if err := env.emu.AcceptFollowRequest(env.me.ID, locked.ID); err != nil {
		t.Fatal(err)
	}
	ch := followChange(planner.ActionDelete, "@locked", locked.ID, nil)
	ch.Pending = true
	if _, err := Apply(context.Background(), env.c, env.plan(ch), nil); err != nil {
		t.Fatal(err)
	}
	if env.emu.FollowingOf(env.me.ID, locked.ID) != nil {
		t.Error("still following")
	}
}
