package planner

import (
	"testing"

	"github.com/mkctl/mkctl/schema"
)

// TestClipNoteLimitHiddenDeclared: a declared note mkctl put into the clip
// whose author the account has since muted (clips/notes hides it, the
// clip's notesCount counts it) is one note, not two: a clip that holds
// exactly noteEachClipsLimit notes, all declared, plans to nothing instead
// of "Too many clip notes".
func TestClipNoteLimitHiddenDeclared(t *testing.T) {
	acct := base()
	acct.Clips = []*schema.Clip{{Name: "c", ManageNotes: true, Notes: []schema.ClipNote{{ID: "mine"}, {ID: "muted"}}}}
	own := owning(map[string]string{"clip.c": "c1"})
	own.Objects["clip.c"] = Owned{ID: "c1", Applied: map[string]any{"addedNotes": []any{"mine", "muted"}}}
	live := &Live{
		Policies:  map[string]any{"noteEachClipsLimit": 2.0},
		Clips:     []LiveClip{{ID: "c1", Name: "c", NotesCount: 2, NoteIDs: []string{"mine"}}},
		Ownership: own,
	}
	ap, diags := PlanAccount(acct, live)
	if diags.HasErrors() {
		t.Fatalf("at the limit, all declared: %v", diags)
	}
	if len(ap.Changes) != 0 {
		t.Errorf("changes %s", summary(ap))
	}
	// One more declared note is over the limit.
	acct.Clips[0].Notes = append(acct.Clips[0].Notes, schema.ClipNote{ID: "third"})
	live.CheckedNotes = map[string]string{"third": ""}
	if _, diags := PlanAccount(acct, live); !diags.HasErrors() {
		t.Errorf("three notes under a limit of 2: no error")
	}
}
