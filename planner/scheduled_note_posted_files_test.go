package planner

import (
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/schema"
)

// TestScheduledNotePostedFilesChangeCannotApply: after Misskey posted the
// note, changing only its files is reported as a change that cannot
// apply, like a text edit (it said "nothing to do"). The record keeps the
// files the draft was made with; a record from before files were kept
// claims nothing.
func TestScheduledNotePostedFilesChangeCannotApply(t *testing.T) {
	at := schedNow.Add(-time.Hour)
	acct := base()
	n := sched("xmas", "Merry", at)
	n.Files = []string{"a.png"}
	acct.ScheduledNotes = []*schema.ScheduledNote{n}

	// The record the apply writes holds the files.
	applied := appliedNote(n)
	if got, _ := applied["files"].([]any); len(got) != 1 || got[0] != "a.png" {
		t.Fatalf("applied %v: the record should hold the declared files", applied)
	}
	posted := map[string]any{"posted": true, "noteId": "n9", "files": []any{"a.png"}}
	live := &Live{Drafts: &LiveDrafts{ReadAt: schedNow}, Ownership: schedRecord("scheduled_note.xmas", "n9", "Merry", at, posted)}
	ap := mustPlan(t, acct, live)
	if notes := strings.Join(ap.Notes, "\n"); !strings.Contains(notes, "nothing to do") || strings.Contains(notes, "cannot apply") {
		t.Fatalf("same files: notes %v", ap.Notes)
	}
	for name, files := range map[string][]string{"changed": {"b.png"}, "added": {"a.png", "b.png"}, "removed": nil} {
		n.Files = files
		ap = mustPlan(t, acct, live)
		if notes := strings.Join(ap.Notes, "\n"); len(ap.Changes) != 0 || !strings.Contains(notes, "cannot apply") {
			t.Errorf("files %s: changes %s notes %v", name, summary(ap), ap.Notes)
		}
	}
	// No files on either side, "files" read back as an empty list.
	n.Files = nil
	live.Ownership = schedRecord("scheduled_note.xmas", "n9", "Merry", at, map[string]any{"posted": true, "noteId": "n9", "files": []any{}})
	if notes := strings.Join(mustPlan(t, acct, live).Notes, "\n"); strings.Contains(notes, "cannot apply") {
		t.Errorf("no files: notes %v", notes)
	}
	// A record without "files" (made before it was kept): no claim.
	n.Files = []string{"a.png"}
	live.Ownership = schedRecord("scheduled_note.xmas", "n9", "Merry", at, map[string]any{"posted": true, "noteId": "n9"})
	if notes := strings.Join(mustPlan(t, acct, live).Notes, "\n"); strings.Contains(notes, "cannot apply") {
		t.Errorf("old record: notes %v", notes)
	}
}
