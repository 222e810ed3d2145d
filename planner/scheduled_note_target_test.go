package planner

import (
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/schema"
)

// TestScheduledNoteTargetCountsUntargetedDeletion: with --target on a new
// scheduled note only, the deletion of the owned undeclared draft that
// frees the scheduledNoteLimit slot is left out of the plan, so the apply
// would meet TOO_MANY_SCHEDULED_NOTES. The targeted plan refuses it at the
// block, naming the deletion to target too; targeting both plans fine.
func TestScheduledNoteTargetCountsUntargetedDeletion(t *testing.T) {
	at := schedNow.Add(48 * time.Hour)
	acct := base()
	easter := sched("easter", "Happy Easter", at)
	easter.DeclRange.Start.Line = 7
	acct.ScheduledNotes = []*schema.ScheduledNote{easter}
	live := func() *Live {
		return &Live{Drafts: &LiveDrafts{ReadAt: schedNow, Drafts: []LiveDraft{draft("d1", "Merry", at)}},
			Ownership: schedRecord("scheduled_note.xmas", "d1", "Merry", at, nil)}
	}
	l := live()
	ap := mustPlan(t, acct, l)
	if got := summary(ap); got != "delete scheduled_note.xmas d1\ncreate scheduled_note.easter\n" {
		t.Fatalf("full plan %s", got)
	}
	sel, _ := ParseSelection([]string{"account.bot.scheduled_note.easter"}, nil)
	_, diags := sel.Target(acct, l, ap)
	if !diags.HasErrors() {
		t.Fatalf("targeted plan %s: no error, the apply would meet TOO_MANY_SCHEDULED_NOTES", summary(ap))
	}
	msg := diags.Error()
	for _, want := range []string{"scheduledNoteLimit", "account.bot.scheduled_note.xmas", "--target", "without --target"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not say %q", msg, want)
		}
	}
	if diags[0].Subject == nil || diags[0].Subject.Start.Line != 7 {
		t.Errorf("subject %v, want the easter block", diags[0].Subject)
	}

	// Both targeted: the deletion frees the slot.
	l = live()
	ap = mustPlan(t, acct, l)
	sel, _ = ParseSelection([]string{"account.bot.scheduled_note.easter", "account.bot.scheduled_note.xmas"}, nil)
	if _, diags = sel.Target(acct, l, ap); diags.HasErrors() {
		t.Fatalf("both targeted: %v", diags)
	}
	// The deletion alone: nothing is added.
	l = live()
	ap = mustPlan(t, acct, l)
	sel, _ = ParseSelection([]string{"account.bot.scheduled_note.xmas"}, nil)
	if _, diags = sel.Target(acct, l, ap); diags.HasErrors() {
		t.Fatalf("deletion targeted: %v", diags)
	}
	// --exclude of the deletion is the same as leaving it out.
	l = live()
	ap = mustPlan(t, acct, l)
	sel, _ = ParseSelection(nil, []string{"account.bot.scheduled_note.xmas"})
	if _, diags = sel.Target(acct, l, ap); !diags.HasErrors() {
		t.Fatalf("excluded deletion: no error, plan %s", summary(ap))
	}
	// The same for noteDraftLimit: a plain draft limit of 1.
	l = live()
	l.Policies = map[string]any{"scheduledNoteLimit": float64(5), "noteDraftLimit": float64(1)}
	ap = mustPlan(t, acct, l)
	sel, _ = ParseSelection([]string{"account.bot.scheduled_note.easter"}, nil)
	if _, diags = sel.Target(acct, l, ap); !diags.HasErrors() || !strings.Contains(diags.Error(), "noteDraftLimit") {
		t.Fatalf("noteDraftLimit: %v", diags)
	}
}
