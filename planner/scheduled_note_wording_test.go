package planner

import (
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/schema"
)

// TestScheduledNotePastAtWording: "at is in the past" says "no record of
// scheduling it" only for a note mkctl never scheduled; for a recorded
// note whose draft was deleted before its time and whose at was then
// moved into the past, it says what mkctl knows.
func TestScheduledNotePastAtWording(t *testing.T) {
	past := schedNow.Add(-time.Hour)
	acct := base()
	acct.ScheduledNotes = []*schema.ScheduledNote{sched("xmas", "Merry", past)}

	_, diags := PlanAccount(acct, &Live{Drafts: &LiveDrafts{ReadAt: schedNow}})
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "no record of scheduling it") {
		t.Fatalf("never scheduled: %v", diags)
	}

	// Recorded for a later time, the draft deleted by hand, at moved back.
	recorded := schedNow.Add(24 * time.Hour)
	live := &Live{Drafts: &LiveDrafts{ReadAt: schedNow, Posted: map[string]string{}},
		Ownership: schedRecord("scheduled_note.xmas", "d1", "Merry", recorded, nil)}
	_, diags = PlanAccount(acct, live)
	if !diags.HasErrors() {
		t.Fatal("recorded note with a past at: no error")
	}
	msg := diags.Error()
	if strings.Contains(msg, "no record") {
		t.Errorf("error %q says mkctl has no record, but it scheduled the note", msg)
	}
	for _, want := range []string{"SCHEDULED_AT_MUST_BE_IN_FUTURE", "deleted before its time", timeMS(recorded.UnixMilli())} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not say %q", msg, want)
		}
	}
}

// TestClipScheduledNoteGoneUnknownWording: a clip lists a scheduled note
// whose draft is gone after its time with no posted note found: the clip
// note does not claim it is "not posted yet" (it may have been posted and
// deleted), it says mkctl cannot tell.
func TestClipScheduledNoteGoneUnknownWording(t *testing.T) {
	at := schedNow.Add(-time.Hour)
	acct := base()
	acct.ScheduledNotes = []*schema.ScheduledNote{sched("xmas", "Merry", at)}
	acct.Clips = []*schema.Clip{{Name: "c", ManageNotes: true, Notes: []schema.ClipNote{{ScheduledNote: "xmas"}}}}
	live := &Live{Clips: []LiveClip{{ID: "c1", Name: "c"}},
		Drafts:    &LiveDrafts{ReadAt: schedNow, Posted: map[string]string{}},
		Ownership: schedRecord("scheduled_note.xmas", "d1", "Merry", at, nil)}
	ap := mustPlan(t, acct, live)
	all := strings.Join(ap.Notes, "\n")
	if strings.Contains(all, "not posted yet") {
		t.Errorf("notes %q say the note is not posted yet; mkctl cannot tell", all)
	}
	for _, want := range []string{"account.bot.clip.c", "cannot tell", "planned without it"} {
		if !strings.Contains(all, want) {
			t.Errorf("notes %q do not say %q", all, want)
		}
	}
}
