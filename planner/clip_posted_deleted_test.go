package planner

import (
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/schema"
)

// TestClipScheduledNotePostedThenDeleted: the note Misskey posted for a
// scheduled note, recorded with its id, was deleted by hand (it left the
// clip with it). A clip naming scheduled_note.LABEL is then a plan error
// at that entry — not an add that every apply fails with NO_SUCH_NOTE.
func TestClipScheduledNotePostedThenDeleted(t *testing.T) {
	acct := base()
	at := time.Now().Add(-time.Hour)
	acct.ScheduledNotes = []*schema.ScheduledNote{{PinnedNote: schema.PinnedNote{Label: "later", Text: "soon", Visibility: "public"}, At: at, AtText: "an hour ago"}}
	acct.Clips = []*schema.Clip{{Name: "c", ManageNotes: true, Notes: []schema.ClipNote{{ScheduledNote: "later"}, {ID: "n1"}}}}
	rec := owning(nil)
	rec.Objects["scheduled_note.later"] = Owned{ID: "p1", Applied: map[string]any{"posted": true, "noteId": "p1", "text": "soon", "cw": nil, "visibility": "public",
		"localOnly": false, "reactionAcceptance": nil, "scheduledAt": float64(at.UnixMilli())}}
	live := &Live{Clips: []LiveClip{{ID: "c1", Name: "c", NotesCount: 1, NoteIDs: []string{"n1"}}}, Drafts: &LiveDrafts{ReadAt: time.Now()},
		Ownership: rec, CheckedNotes: map[string]string{"p1": NoteMissing}}
	_, diags := PlanAccount(acct, live)
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "scheduled_note.later") || !strings.Contains(diags.Error(), "p1") {
		t.Fatalf("diags %v", diags)
	}
	// Still there (checked and fine): added.
	live.CheckedNotes = map[string]string{"p1": ""}
	ap := mustPlan(t, acct, live)
	if got := summary(ap); got != "update clip.c c1\n" {
		t.Errorf("plan %s", got)
	}
}
