package planner

import (
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
