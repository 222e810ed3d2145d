package planner

import (
	"reflect"
	"testing"

	"github.com/mkctl/mkctl/schema"
)

// TestNotifConfigListCreatedInSameApply: notification_receive_config may
// name a user list the same plan creates. The profile change then refers
// to it (Refs, as an antenna does), sends "" for its id until the apply
// knows it, and comes after the list's creation; a list that exists keeps
// the profile first with the live id and no Refs.
func TestNotifConfigListCreatedInSameApply(t *testing.T) {
	acct := account(map[string]any{
		"name": "Weather",
		"notification_receive_config": map[string]any{
			"reply":   map[string]any{"type": "list", "list": "new friends"},
			"mention": map[string]any{"type": "list", "list": "old"},
			"follow":  map[string]any{"type": "never"},
		},
	})
	acct.UserLists = []*schema.UserList{{Name: "new friends"}, {Name: "old"}}
	l := live(map[string]any{"name": "x"})
	l.UserLists = []LiveUserList{{ID: "L-old", Name: "old"}}
	ap, diags := PlanAccount(acct, l)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	var order []string
	var profile *Change
	for _, c := range ap.Changes {
		order = append(order, string(c.Action)+" "+c.Type+" "+c.Key)
		if c.Type == TypeProfile {
			profile = c
		}
	}
	if want := []string{"create user_list user_list.new friends", "update profile "}; !reflect.DeepEqual(order, want) {
		t.Fatalf("order %v, want %v (the profile after the list it refers to)", order, want)
	}
	if want := map[string]string{"notification_receive_config.reply": "user_list.new friends"}; !reflect.DeepEqual(profile.Refs, want) {
		t.Errorf("Refs %v, want %v", profile.Refs, want)
	}
	sent := profile.After["notification_receive_config"]
	want := map[string]any{
		"reply":   map[string]any{"type": "list", "userListId": ""},
		"mention": map[string]any{"type": "list", "userListId": "L-old"},
		"follow":  map[string]any{"type": "never"},
	}
	if !reflect.DeepEqual(sent, want) {
		t.Errorf("After %v, want %v", sent, want)
	}
	// --target the profile brings the list's creation along.
	sel, err := ParseSelection([]string{"account.weather.profile"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sel.Filter(acct, ap)
	if n := len(ap.Changes); n != 2 {
		t.Errorf("--target profile keeps %d changes, want the list's creation too", n)
	}

	// Only existing lists: the profile is first and has no Refs.
	acct.UserLists = acct.UserLists[1:]
	cfg := acct.Profile.Attrs["notification_receive_config"]
	cfg.Value = map[string]any{"mention": map[string]any{"type": "list", "list": "old"}}
	acct.Profile.Attrs["notification_receive_config"] = cfg
	ap, diags = PlanAccount(acct, l)
	if diags.HasErrors() || len(ap.Changes) == 0 || ap.Changes[0].Type != TypeProfile || ap.Changes[0].Refs != nil {
		t.Errorf("existing list: %v %v", ap.Changes, diags)
	}
}
