package planner

import (
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/schema"
)

// TestScheduledNoteGoneAfterItsTimeUnknown: a draft mkctl scheduled is
// gone after its time and the posted-note lookup found no note with its
// text: deleted by hand, or posted and the note deleted since — mkctl
// cannot tell. The plan no longer records it as posted (without a note
// id); it says so and what to do, changes nothing, and says the same at
// the next plan (no loop). A new later at schedules it again; removing
// the block forgets it.
func TestScheduledNoteGoneAfterItsTimeUnknown(t *testing.T) {
	at := schedNow.Add(-time.Hour)
	acct := base()
	acct.ScheduledNotes = []*schema.ScheduledNote{sched("xmas", "Merry", at)}
	live := &Live{Drafts: &LiveDrafts{ReadAt: schedNow, Posted: map[string]string{}},
		Ownership: schedRecord("scheduled_note.xmas", "d1", "Merry", at, nil)}
	for i := range 2 {
		ap, diags := PlanAccount(acct, live)
		if diags.HasErrors() {
			t.Fatalf("plan %d: %v", i, diags)
		}
		if len(ap.Changes) != 0 || len(ap.Adopt) != 0 || len(ap.Forget) != 0 {
			t.Fatalf("plan %d: changes %s adopt %+v forget %v: nothing may be recorded as posted", i, summary(ap), ap.Adopt, ap.Forget)
		}
		notes := strings.Join(ap.Notes, "\n")
		for _, want := range []string{"cannot tell", "posted", "deleted", "remove the block", "later at"} {
			if !strings.Contains(notes, want) {
				t.Errorf("plan %d: notes %q do not say %q", i, notes, want)
			}
		}
		if strings.Contains(notes, "nothing to do") {
			t.Errorf("plan %d: notes %q still say it was posted", i, notes)
		}
	}
	if _, ok := live.ScheduledNoteID("xmas"); ok {
		t.Error("no note id is known")
	}

	// A new later at: scheduled again, and the plan after its apply is clean.
	later := schedNow.Add(24 * time.Hour)
	acct.ScheduledNotes[0] = sched("xmas", "Merry", later)
	ap := mustPlan(t, acct, live)
	if got := summary(ap); got != "create scheduled_note.xmas\n" {
		t.Fatalf("new at: plan %s", got)
	}
	if c := ap.Changes[0]; c.After["scheduledAt"] != later.UnixMilli() || c.Reason == "" {
		t.Errorf("new at: after %v reason %q", c.After, c.Reason)
	}
	applied := &Live{Drafts: &LiveDrafts{ReadAt: schedNow, Drafts: []LiveDraft{draft("d2", "Merry", later)}},
		Ownership: schedRecord("scheduled_note.xmas", "d2", "Merry", later, map[string]any{"files": []any{}})}
	if ap := mustPlan(t, acct, applied); len(ap.Changes)+len(ap.Adopt)+len(ap.Forget) != 0 {
		t.Fatalf("after the apply: %s %v %v", summary(ap), ap.Adopt, ap.Forget)
	}

	// Block removed: only forgotten.
	acct.ScheduledNotes = nil
	ap = mustPlan(t, acct, live)
	if len(ap.Changes) != 0 || len(ap.Forget) != 1 || ap.Forget[0] != "scheduled_note.xmas" {
		t.Fatalf("removed: changes %s forget %v", summary(ap), ap.Forget)
	}

	// Found: recorded as posted with the note id, as before.
	acct.ScheduledNotes = []*schema.ScheduledNote{sched("xmas", "Merry", at)}
	live.Drafts.Posted["scheduled_note.xmas"] = "n9"
	ap = mustPlan(t, acct, live)
	if len(ap.Adopt) != 1 || ap.Adopt[0].ID != "n9" {
		t.Fatalf("found: adopt %+v", ap.Adopt)
	}
}
