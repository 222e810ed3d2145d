package provider

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/mkctl/mkctl/planner"
)

func antennaAfter(name string) map[string]any {
	return map[string]any{
		"name": name, "src": "list", "keywords": []any{[]any{"storm"}}, "excludeKeywords": []any{},
		"users": []any{}, "caseSensitive": false, "localOnly": false, "excludeBots": false,
		"withReplies": false, "withFile": false, "excludeNotesInSensitiveChannel": false,
	}
}

// The antenna refers to a list created earlier in the same apply.
func TestApplyListThenAntennaInOneApply(t *testing.T) {
	env := newEmuEnv(t)
	bob := env.emu.CreateUser("bob")
	carol := env.emu.CreateUser("carol")
	ap := env.plan(
		&planner.Change{Type: planner.TypeUserList, Action: planner.ActionCreate, Key: "user_list.friends",
			After: map[string]any{"name": "friends", "push": []any{bob.ID, carol.ID}}},
		&planner.Change{Type: planner.TypeAntenna, Action: planner.ActionCreate, Key: "antenna.storms",
			After: antennaAfter("storms"), Refs: map[string]string{"userList": "user_list.friends"}},
	)
	if _, err := Apply(context.Background(), env.c, ap, nil); err != nil {
		t.Fatal(err)
	}
	lists := env.emu.UserListsOf(env.me.ID)
	if len(lists) != 1 {
		t.Fatalf("%d lists", len(lists))
	}
	members := slices.Clone(lists[0].UserIDs)
	slices.Sort(members)
	want := []string{bob.ID, carol.ID}
	slices.Sort(want)
	if !reflect.DeepEqual(members, want) {
		t.Errorf("members = %v, want %v", members, want)
	}
	antennas := env.emu.AntennasOf(env.me.ID)
	if len(antennas) != 1 || antennas[0].UserListID == nil || *antennas[0].UserListID != lists[0].ID || antennas[0].Src != "list" {
		t.Fatalf("antennas = %+v, want one on list %s", antennas, lists[0].ID)
	}
	rec := env.record(t)
	if rec.Objects["user_list.friends"].ID != lists[0].ID || rec.Objects["antenna.storms"].ID != antennas[0].ID {
		t.Errorf("record = %+v", rec.Objects)
	}
}

func TestApplyAntennaAndListUpdateDelete(t *testing.T) {
	env := newEmuEnv(t)
	bob := env.emu.CreateUser("bob")
	carol := env.emu.CreateUser("carol")
	setup := env.plan(
		&planner.Change{Type: planner.TypeUserList, Action: planner.ActionCreate, Key: "user_list.a", After: map[string]any{"name": "a", "push": []any{bob.ID}}},
		&planner.Change{Type: planner.TypeUserList, Action: planner.ActionCreate, Key: "user_list.b", After: map[string]any{"name": "b"}},
		&planner.Change{Type: planner.TypeAntenna, Action: planner.ActionCreate, Key: "antenna.x", After: antennaAfter("x"), Refs: map[string]string{"userList": "user_list.a"}},
		&planner.Change{Type: planner.TypeAntenna, Action: planner.ActionCreate, Key: "antenna.y", After: antennaAfter("y"), Refs: map[string]string{"userList": "user_list.a"}},
	)
	if _, err := Apply(context.Background(), env.c, setup, nil); err != nil {
		t.Fatal(err)
	}
	rec := env.record(t)
	listA, listB := rec.Objects["user_list.a"].ID, rec.Objects["user_list.b"].ID
	antX, antY := rec.Objects["antenna.x"].ID, rec.Objects["antenna.y"].ID

	ap := env.plan(
		&planner.Change{Type: planner.TypeUserList, Action: planner.ActionUpdate, Key: "user_list.b", ID: listB,
			After: map[string]any{"push": []any{carol.ID}}},
		&planner.Change{Type: planner.TypeAntenna, Action: planner.ActionUpdate, Key: "antenna.x", ID: antX,
			After: map[string]any{"caseSensitive": true}, Refs: map[string]string{"userList": "user_list.b"}},
		&planner.Change{Type: planner.TypeUserList, Action: planner.ActionUpdate, Key: "user_list.a", ID: listA,
			After: map[string]any{"pull": []any{bob.ID}}},
		// Deleting list a deletes antenna y with it (ON DELETE CASCADE):
		// the antenna's own delete then finds nothing, which is fine.
		&planner.Change{Type: planner.TypeUserList, Action: planner.ActionDelete, Key: "user_list.a", ID: listA},
		&planner.Change{Type: planner.TypeAntenna, Action: planner.ActionDelete, Key: "antenna.y", ID: antY},
	)
	if _, err := Apply(context.Background(), env.c, ap, nil); err != nil {
		t.Fatal(err)
	}
	lists := env.emu.UserListsOf(env.me.ID)
	if len(lists) != 1 || lists[0].ID != listB || !reflect.DeepEqual(lists[0].UserIDs, []string{carol.ID}) {
		t.Errorf("lists = %+v", lists)
	}
	antennas := env.emu.AntennasOf(env.me.ID)
	if len(antennas) != 1 || antennas[0].ID != antX || !antennas[0].CaseSensitive || *antennas[0].UserListID != listB {
		t.Errorf("antennas = %+v", antennas)
	}
	rec = env.record(t)
	if len(rec.Objects) != 2 || rec.Objects["antenna.x"].ID != antX || rec.Objects["user_list.b"].ID != listB {
		t.Errorf("record = %+v", rec.Objects)
	}
}
