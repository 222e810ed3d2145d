package planner

import (
	"reflect"
	"strings"
	"testing"
)

func TestProfileSettingsBooleans(t *testing.T) {
	l := live(map[string]any{"autoSensitive": false, "alwaysMarkNsfw": false, "injectFeaturedNote": true, "receiveAnnouncementEmail": true})
	ap, diags := PlanAccount(account(map[string]any{"auto_sensitive": false, "inject_featured_note": true}), l)
	if diags.HasErrors() || len(ap.Changes) != 0 {
		t.Fatalf("equal values: %v %v", ap.Changes, diags)
	}
	ap, diags = PlanAccount(account(map[string]any{"auto_sensitive": true, "always_mark_nsfw": true, "inject_featured_note": false, "receive_announcement_email": false}), l)
	if diags.HasErrors() || len(ap.Changes) != 1 || len(ap.Changes[0].Attrs) != 4 {
		t.Fatalf("changes: %v %v", ap.Changes, diags)
	}
}

func TestAlwaysMarkNsfwForcedByRole(t *testing.T) {
	l := live(map[string]any{"alwaysMarkNsfw": false})
	l.Policies = map[string]any{"alwaysMarkNsfw": true}
	if _, diags := PlanAccount(account(map[string]any{"always_mark_nsfw": true}), l); !diags.HasErrors() || !strings.Contains(diags[0].Detail, "RESTRICTED_BY_ROLE") {
		t.Errorf("diags: %v", diags)
	}
	// The live value is never sent, so it is no error.
	if _, diags := PlanAccount(account(map[string]any{"always_mark_nsfw": false}), l); diags.HasErrors() {
		t.Errorf("no-op refused: %v", diags)
	}
}

func TestProfileSettingsSets(t *testing.T) {
	l := live(map[string]any{"mutedInstances": []any{"b.example", "a.example"}, "emailNotificationTypes": []any{"receiveFollowRequest", "follow"}})
	ap, diags := PlanAccount(account(map[string]any{"muted_instances": []any{"a.example", "b.example"}, "email_notification_types": []any{"follow", "receiveFollowRequest"}}), l)
	if diags.HasErrors() || len(ap.Changes) != 0 {
		t.Fatalf("same sets in another order: %v %v", ap.Changes, diags)
	}
	// Misskey stores what it was sent: another spelling mutes nothing, and
	// is rewritten.
	l = live(map[string]any{"mutedInstances": []any{"A.example", "b.example", "b.example"}})
	ap, _ = PlanAccount(account(map[string]any{"muted_instances": []any{"a.example", "b.example"}}), l)
	if len(ap.Changes) != 1 {
		t.Fatalf("changes: %v", ap.Changes)
	}
	// An account that never set it: `i` answers [].
	ap, _ = PlanAccount(account(map[string]any{"muted_instances": []any{}}), live(map[string]any{}))
	if len(ap.Changes) != 0 {
		t.Fatalf("absent = []: %v", ap.Changes)
	}
}

func TestProfileSettingsNoteAge(t *testing.T) {
	// `i` leaves the key out when it is null.
	ap, _ := PlanAccount(account(map[string]any{"make_notes_hidden_before": nil, "make_notes_followers_only_before": -2592000.0}), live(map[string]any{"makeNotesFollowersOnlyBefore": -2592000.0}))
	if len(ap.Changes) != 0 {
		t.Fatalf("changes: %v", ap.Changes)
	}
	ap, _ = PlanAccount(account(map[string]any{"make_notes_hidden_before": 1700000000.0}), live(map[string]any{}))
	if len(ap.Changes) != 1 || ap.Changes[0].Attrs[0].Before != nil {
		t.Fatalf("changes: %v", ap.Changes)
	}
}

func TestProfileSettingsMuteWords(t *testing.T) {
	words := []any{[]any{"a", "b"}, "/c+/i"}
	ap, diags := PlanAccount(account(map[string]any{"muted_words": words, "hard_muted_words": []any{}}), live(map[string]any{"mutedWords": []any{[]any{"a", "b"}, "/c+/i"}}))
	if diags.HasErrors() || len(ap.Changes) != 0 {
		t.Fatalf("same words (hardMutedWords absent = []): %v %v", ap.Changes, diags)
	}
	long := []any{[]any{strings.Repeat("m", 150)}, "/" + strings.Repeat("n", 49) + "/"} // 201
	l := live(map[string]any{})
	if _, diags := PlanAccount(account(map[string]any{"muted_words": long}), l); !diags.HasErrors() || !strings.Contains(diags[0].Detail, "TOO_MANY_MUTED_WORDS") {
		t.Errorf("over 200: %v", diags)
	}
	// Each field has its own budget; the role may raise it.
	l.Policies = map[string]any{"wordMuteLimit": 300.0}
	if _, diags := PlanAccount(account(map[string]any{"muted_words": long, "hard_muted_words": long}), l); diags.HasErrors() {
		t.Errorf("under 300: %v", diags)
	}
}

func TestProfileSettingsNotificationReceiveConfig(t *testing.T) {
	l := live(map[string]any{"notificationRecieveConfig": map[string]any{"reply": map[string]any{"type": "list", "userListId": "L1"}}})
	l.UserLists = []LiveUserList{{ID: "L1", Name: "friends"}}
	want := map[string]any{"reply": map[string]any{"type": "list", "list": "friends"}}
	ap, diags := PlanAccount(account(map[string]any{"notification_receive_config": want}), l)
	if diags.HasErrors() || len(ap.Changes) != 0 {
		t.Fatalf("same config: %v %v", ap.Changes, diags)
	}
	// The whole object is replaced: the attribute says all of it.
	want = map[string]any{"follow": map[string]any{"type": "never"}, "reply": map[string]any{"type": "list", "list": "friends"}}
	ap, diags = PlanAccount(account(map[string]any{"notification_receive_config": want}), l)
	if diags.HasErrors() || len(ap.Changes) != 1 {
		t.Fatalf("changes: %v %v", ap.Changes, diags)
	}
	sent := ap.Changes[0].After["notification_receive_config"]
	if !reflect.DeepEqual(sent, map[string]any{"follow": map[string]any{"type": "never"}, "reply": map[string]any{"type": "list", "userListId": "L1"}}) {
		t.Errorf("sent %v", sent)
	}
	want = map[string]any{"reply": map[string]any{"type": "list", "list": "nobody"}}
	if _, diags := PlanAccount(account(map[string]any{"notification_receive_config": want}), l); !diags.HasErrors() || !strings.Contains(diags[0].Detail, "does not have and the configuration does not declare") {
		t.Errorf("unknown list: %v", diags)
	}
	// Absent = {} = every default.
	if ap, _ := PlanAccount(account(map[string]any{"notification_receive_config": map[string]any{}}), live(map[string]any{})); len(ap.Changes) != 0 {
		t.Errorf("absent: %v", ap.Changes)
	}
}
