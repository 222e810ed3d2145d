package provider

import (
	"context"
	"slices"
	"testing"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// notifListAccount declares a user list and a profile whose
// notification_receive_config sends replies only from it.
func notifListAccount(listName string) *schema.Account {
	return account(func(a *schema.Account) {
		a.UserLists = []*schema.UserList{{Name: listName}}
		a.Profile = &schema.Profile{Attrs: map[string]schema.ProfileValue{
			"notification_receive_config": {Value: map[string]any{
				"reply":  map[string]any{"type": "list", "list": listName},
				"follow": map[string]any{"type": "never"},
			}},
		}}
	})
}

// TestNotifConfigNewListApply: a notification_receive_config naming a user
// list the same apply creates: one apply creates the list, then sets the
// profile with the new list's id (one i/update), and the next plan has no
// changes.
func TestNotifConfigNewListApply(t *testing.T) {
	env := newEmuEnv(t)
	ctx := context.Background()
	acct := notifListAccount("close friends")
	_, first := planReal(t, ctx, env.c, acct)
	ap := first
	if got, want := changesOf(ap), []string{"create user_list user_list.close friends", "update profile "}; !slices.Equal(got, want) {
		t.Fatalf("plan %v, want %v", got, want)
	}
	env.resetCounts()
	if _, err := Apply(ctx, env.c, ap, nil); err != nil {
		t.Fatalf("apply: %v", err)
	}
	if n := env.count("i/update"); n != 1 {
		t.Errorf("%d i/update, want 1", n)
	}
	live, ap := planReal(t, ctx, env.c, acct)
	if got := changesOf(ap); len(got) != 0 {
		t.Fatalf("plan after apply: %v, want no changes", got)
	}
	var listID string
	for _, l := range live.UserLists {
		if l.Name == "close friends" {
			listID = l.ID
		}
	}
	cfg, _ := live.Profile["notificationRecieveConfig"].(map[string]any)
	reply, _ := cfg["reply"].(map[string]any)
	if listID == "" || reply["userListId"] != listID || reply["type"] != "list" {
		t.Errorf("notificationRecieveConfig %v, want reply from list %s", cfg, listID)
	}
	// The apply sent the id on a copy: the plan (which may be saved and
	// shown again) still says "" for the id it could not know.
	for _, c := range first.Changes {
		if c.Type == planner.TypeProfile {
			sent, _ := c.After["notification_receive_config"].(map[string]any)
			if r, _ := sent["reply"].(map[string]any); r["userListId"] != "" {
				t.Errorf("the apply changed the plan: %v", sent)
			}
		}
	}
}
