package planner

import (
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/schema"
)

// TestScheduledNoteLimitCountsUnscheduledOwnDraft: a draft mkctl made
// that someone unscheduled by hand (isActuallyScheduled false) is
// scheduled again by the plan's update, so it counts against
// scheduledNoteLimit: with a hand-made scheduled draft taking the one
// slot, the plan refuses it at the block instead of the apply meeting
// TOO_MANY_SCHEDULED_NOTES.
func TestScheduledNoteLimitCountsUnscheduledOwnDraft(t *testing.T) {
	at := schedNow.Add(48 * time.Hour)
	acct := base()
	acct.ScheduledNotes = []*schema.ScheduledNote{sched("xmas", "Merry", at)}
	mine := draft("d1", "Merry", at)
	mine.IsActuallyScheduled = false
	live := &Live{Drafts: &LiveDrafts{ReadAt: schedNow, Drafts: []LiveDraft{mine, draft("hand", "by hand", at.Add(time.Hour))}},
		Ownership: schedRecord("scheduled_note.xmas", "d1", "Merry", at, nil)}
	_, diags := PlanAccount(acct, live)
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "scheduledNoteLimit") {
		t.Fatalf("diags %v, want the scheduledNoteLimit error", diags)
	}
	// Alone, it is simply scheduled again.
	live.Drafts.Drafts = live.Drafts.Drafts[:1]
	ap := mustPlan(t, acct, live)
	if got := summary(ap); got != "update scheduled_note.xmas d1\n" {
		t.Errorf("plan %s", got)
	}
}
