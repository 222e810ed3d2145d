package planner

import (
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/schema"
)

// TestScheduledNotePurgeTakesEveryScheduledDraft: purge "scheduled_notes"
// deletes every scheduled draft no block declares (README), also one a
// block could not describe (a poll): left, it held the one
// scheduledNoteLimit slot and the plan refused the block with a hint to
// add "scheduled_notes" to purge — which the configuration already had.
func TestScheduledNotePurgeTakesEveryScheduledDraft(t *testing.T) {
	at := schedNow.Add(48 * time.Hour)
	acct := base()
	acct.Purge["scheduled_notes"] = true
	acct.ScheduledNotes = []*schema.ScheduledNote{sched("xmas", "Merry", at)}
	poll := draft("dpoll", "vote", at.Add(time.Hour))
	poll.Unsupported = "it has a poll"
	plain := draft("dplain", "plain", at)
	plain.IsActuallyScheduled, plain.ScheduledAt = false, 0
	live := &Live{Drafts: &LiveDrafts{ReadAt: schedNow, Drafts: []LiveDraft{poll, plain}}}
	ap, diags := PlanAccount(acct, live)
	if diags.HasErrors() {
		t.Fatalf("diags %v", diags)
	}
	got := summary(ap)
	if !strings.Contains(got, `delete scheduled_note["dpoll"] dpoll`) || !strings.Contains(got, "create scheduled_note.xmas") || strings.Contains(got, "dplain") {
		t.Fatalf("plan %s: the scheduled poll draft goes, the plain draft stays", got)
	}
}
