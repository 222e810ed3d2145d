package planner

import (
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/schema"
)

var schedNow = time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)

func sched(label, text string, at time.Time) *schema.ScheduledNote {
	return &schema.ScheduledNote{PinnedNote: schema.PinnedNote{Label: label, Text: text, Visibility: "public"}, At: at, AtText: at.Format(time.RFC3339)}
}

func draft(id, text string, at time.Time) LiveDraft {
	return LiveDraft{ID: id, Text: text, Visibility: "public", ScheduledAt: at.UnixMilli(), IsActuallyScheduled: true, FileIDs: []string{}}
}

func schedRecord(key, id string, text string, at time.Time, extra map[string]any) *Ownership {
	o := NewOwnership("account.bot")
	applied := map[string]any{"text": text, "cw": nil, "visibility": "public", "localOnly": false, "reactionAcceptance": nil,
		"scheduledAt": float64(at.UnixMilli())} // as read back from the registry (JSON)
	for k, v := range extra {
		applied[k] = v
	}
	o.Objects[key] = Owned{ID: id, Applied: applied}
	return o
}

func TestScheduledNoteCreateSendsTimeAndSchedules(t *testing.T) {
	at := schedNow.Add(48 * time.Hour)
	acct := base()
	acct.ScheduledNotes = []*schema.ScheduledNote{sched("xmas", "Merry", at)}
	ap := mustPlan(t, acct, &Live{Drafts: &LiveDrafts{ReadAt: schedNow}})
	if got := summary(ap); got != "create scheduled_note.xmas\n" {
		t.Fatalf("plan %s", got)
	}
	c := ap.Changes[0]
	if c.After["scheduledAt"] != at.UnixMilli() || c.After["isActuallyScheduled"] != true || c.After["text"] != "Merry" {
		t.Errorf("after %v", c.After)
	}
	if ids, ok := c.After["fileIds"].([]any); !ok || len(ids) != 0 {
		t.Errorf("fileIds %#v: every field goes with the draft", c.After["fileIds"])
	}
}

func TestScheduledNoteNoChangeThenUpdateKeepsSchedule(t *testing.T) {
	at := schedNow.Add(48 * time.Hour)
	acct := base()
	acct.ScheduledNotes = []*schema.ScheduledNote{sched("xmas", "Merry", at)}
	live := &Live{Drafts: &LiveDrafts{ReadAt: schedNow, Drafts: []LiveDraft{draft("d1", "Merry", at)}},
		Ownership: schedRecord("scheduled_note.xmas", "d1", "Merry", at, nil)}
	ap := mustPlan(t, acct, live)
	if len(ap.Changes) != 0 || len(ap.Adopt) != 0 || len(ap.Forget) != 0 {
		t.Fatalf("want no changes, got %s %v %v", summary(ap), ap.Adopt, ap.Forget)
	}
	// Edited text: an update with the whole draft, scheduledAt included.
	acct.ScheduledNotes[0].Text = "Merry Christmas"
	ap = mustPlan(t, acct, live)
	if got := summary(ap); got != "update scheduled_note.xmas d1\n" {
		t.Fatalf("plan %s", got)
	}
	c := ap.Changes[0]
	if c.After["scheduledAt"] != at.UnixMilli() || c.After["isActuallyScheduled"] != true || c.After["visibility"] != "public" {
		t.Errorf("update body %v: it must resend scheduledAt and isActuallyScheduled", c.After)
	}
	// A draft left unscheduled by the trap (scheduledAt null) is repaired.
	acct.ScheduledNotes[0].Text = "Merry"
	trapped := draft("d1", "Merry", at)
	trapped.ScheduledAt = 0
	live.Drafts.Drafts = []LiveDraft{trapped}
	ap = mustPlan(t, acct, live)
	if got := summary(ap); got != "update scheduled_note.xmas d1\n" || ap.Changes[0].Attrs[0].Name != "at" || !strings.Contains(ap.Changes[0].Reason, "lost its time") {
		t.Fatalf("plan %s attrs %v", got, ap.Changes)
	}
}

func TestScheduledNotePostedIsNeverPostedAgain(t *testing.T) {
	at := schedNow.Add(-time.Hour)
	acct := base()
	acct.ScheduledNotes = []*schema.ScheduledNote{sched("xmas", "Merry", at)}
	// The draft is gone and its time has passed: Misskey posted it.
	live := &Live{Drafts: &LiveDrafts{ReadAt: schedNow, Posted: map[string]string{"scheduled_note.xmas": "n9"}},
		Ownership: schedRecord("scheduled_note.xmas", "d1", "Merry", at, nil)}
	ap, diags := PlanAccount(acct, live)
	if diags.HasErrors() {
		t.Fatalf("a posted note must not fail the plan: %v", diags)
	}
	if len(ap.Changes) != 0 || len(ap.Forget) != 0 {
		t.Fatalf("changes %s forget %v", summary(ap), ap.Forget)
	}
	if len(ap.Adopt) != 1 || ap.Adopt[0].ID != "n9" || ap.Adopt[0].Applied["posted"] != true || ap.Adopt[0].Applied["draftId"] != "d1" {
		t.Fatalf("adopt %+v: the record should say posted, with the note id", ap.Adopt)
	}
	if !strings.Contains(strings.Join(ap.Notes, "\n"), "posted by Misskey as note n9") {
		t.Errorf("notes %v", ap.Notes)
	}
	if id, ok := live.ScheduledNoteID("xmas"); !ok || id != "n9" {
		t.Errorf("ScheduledNoteID = %q, %v", id, ok)
	}

	// Next plan, with the record updated: no changes, no read needed.
	live = &Live{Drafts: &LiveDrafts{ReadAt: schedNow}, Ownership: schedRecord("scheduled_note.xmas", "n9", "Merry", at, map[string]any{"posted": true, "noteId": "n9"})}
	ap = mustPlan(t, acct, live)
	if len(ap.Changes) != 0 || len(ap.Adopt) != 0 || len(ap.Forget) != 0 {
		t.Fatalf("changes %s adopt %v forget %v", summary(ap), ap.Adopt, ap.Forget)
	}
	if id, ok := live.ScheduledNoteID("xmas"); !ok || id != "n9" {
		t.Errorf("ScheduledNoteID from the record = %q, %v", id, ok)
	}
	// Edited after posting: said, not applied.
	acct.ScheduledNotes[0].Text = "Merry (edited)"
	ap = mustPlan(t, acct, live)
	if len(ap.Changes) != 0 || !strings.Contains(strings.Join(ap.Notes, "\n"), "cannot apply") {
		t.Fatalf("changes %s notes %v", summary(ap), ap.Notes)
	}
	// Block removed after posting: forgotten, never deleted.
	acct.ScheduledNotes = nil
	ap = mustPlan(t, acct, live)
	if len(ap.Changes) != 0 || len(ap.Forget) != 1 || ap.Forget[0] != "scheduled_note.xmas" {
		t.Fatalf("changes %s forget %v", summary(ap), ap.Forget)
	}
}

func TestScheduledNoteTimes(t *testing.T) {
	future := schedNow.Add(time.Hour)
	past := schedNow.Add(-time.Hour)

	// Not scheduled by mkctl and in the past: a located error.
	acct := base()
	acct.ScheduledNotes = []*schema.ScheduledNote{sched("late", "L", past)}
	_, diags := PlanAccount(acct, &Live{Drafts: &LiveDrafts{ReadAt: schedNow}})
	if !diags.HasErrors() || !strings.Contains(diags[0].Detail, "has passed") {
		t.Fatalf("diags %v", diags)
	}

	// Deleted by hand before its time: created again.
	acct.ScheduledNotes = []*schema.ScheduledNote{sched("a", "A", future)}
	ap := mustPlan(t, acct, &Live{Drafts: &LiveDrafts{ReadAt: schedNow}, Ownership: schedRecord("scheduled_note.a", "d1", "A", future, nil)})
	if got := summary(ap); got != "create scheduled_note.a\n" || !strings.Contains(ap.Changes[0].Reason, "deleted before its time") {
		t.Fatalf("plan %s %q", got, ap.Changes[0].Reason)
	}

	// Still there long after its time: posting failed, said clearly, nothing done.
	acct.ScheduledNotes = []*schema.ScheduledNote{sched("a", "A", past)}
	live := &Live{Drafts: &LiveDrafts{ReadAt: schedNow, Drafts: []LiveDraft{draft("d1", "A", past)}}, Ownership: schedRecord("scheduled_note.a", "d1", "A", past, nil)}
	ap, diags = PlanAccount(acct, live)
	if diags.HasErrors() || len(ap.Changes) != 0 || !strings.Contains(strings.Join(ap.Notes, "\n"), "posting failed") {
		t.Fatalf("diags %v changes %s notes %v", diags, summary(ap), ap.Notes)
	}

	// Removed before its time: the draft is deleted.
	acct.ScheduledNotes = nil
	live = &Live{Drafts: &LiveDrafts{ReadAt: schedNow, Drafts: []LiveDraft{draft("d1", "A", future), draft("d2", "hand-made", future)}},
		Ownership: schedRecord("scheduled_note.a", "d1", "A", future, nil)}
	ap = mustPlan(t, acct, live)
	if got := summary(ap); got != "delete scheduled_note.a d1\n" {
		t.Fatalf("plan %s: only mkctl's draft goes", got)
	}
	acct.Purge["scheduled_notes"] = true
	ap = mustPlan(t, acct, live)
	if got := summary(ap); !strings.Contains(got, `delete scheduled_note["d2"] d2`) {
		t.Fatalf("purge plan %s", got)
	}
}

func TestScheduledNoteLimitsAndAdoption(t *testing.T) {
	at := schedNow.Add(time.Hour)
	acct := base()
	acct.ScheduledNotes = []*schema.ScheduledNote{sched("a", "A", at), sched("b", "B", at)}
	// The default scheduledNoteLimit is 1.
	_, diags := PlanAccount(acct, &Live{Drafts: &LiveDrafts{ReadAt: schedNow}})
	if !diags.HasErrors() || !strings.Contains(diags[0].Detail, "scheduledNoteLimit") {
		t.Fatalf("diags %v", diags)
	}
	// A hand-made scheduled draft counts against the limit.
	acct.ScheduledNotes = acct.ScheduledNotes[:1]
	hand := draft("h1", "hand", at)
	_, diags = PlanAccount(acct, &Live{Drafts: &LiveDrafts{ReadAt: schedNow, Drafts: []LiveDraft{hand}}})
	if !diags.HasErrors() {
		t.Fatal("a second scheduled note was allowed")
	}
	// With a higher limit, plain drafts count against noteDraftLimit.
	plain := make([]LiveDraft, 10)
	for i := range plain {
		plain[i] = LiveDraft{ID: "p" + string(rune('0'+i)), Text: "draft"}
	}
	_, diags = PlanAccount(acct, &Live{Policies: map[string]any{"scheduledNoteLimit": 5.0}, Drafts: &LiveDrafts{ReadAt: schedNow, Drafts: plain}})
	if !diags.HasErrors() || !strings.Contains(diags[0].Detail, "noteDraftLimit") {
		t.Fatalf("diags %v", diags)
	}
	// An unowned scheduled draft with the same content and time is adopted.
	ap := mustPlan(t, acct, &Live{Drafts: &LiveDrafts{ReadAt: schedNow, Drafts: []LiveDraft{draft("h2", "A", at)}}})
	if len(ap.Changes) != 0 || len(ap.Adopt) != 1 || ap.Adopt[0].ID != "h2" {
		t.Fatalf("changes %s adopt %v", summary(ap), ap.Adopt)
	}
}

// A file the plan uploads is attached to the draft by its record key: the
// upload comes first, and the draft's fileIds entry is filled at apply.
// Drafts' create and update are in the wait estimate's hourly limits.
func TestScheduledNoteFilesAndWaits(t *testing.T) {
	at := schedNow.Add(time.Hour)
	acct := base()
	acct.DriveFiles = []*schema.DriveFile{declFile("", "a.png", md5Of('a'))}
	n := sched("xmas", "Merry", at)
	n.Files = []string{"a.png"}
	acct.ScheduledNotes = []*schema.ScheduledNote{n}
	ap := mustPlan(t, acct, &Live{Drafts: &LiveDrafts{ReadAt: schedNow}})
	if got := summary(ap); got != "create drive_file[\"a.png\"]\ncreate scheduled_note.xmas\n" {
		t.Fatalf("plan %s", got)
	}
	c := ap.Changes[1]
	if ids, _ := c.After["fileIds"].([]any); len(ids) != 1 || ids[0] != "" || c.Refs["fileIds.0"] != `drive_file["a.png"]` {
		t.Errorf("after %v refs %v", c.After, c.Refs)
	}
	// Kept as it is when the draft attaches the recorded file.
	d := draft("d1", "Merry", at)
	d.FileIDs = []string{"f1"}
	live := &Live{DriveFiles: []LiveFile{liveFile("f1", "", "", "a.png", md5Of('a'))}, Drafts: &LiveDrafts{ReadAt: schedNow, Drafts: []LiveDraft{d}},
		Ownership: schedRecord("scheduled_note.xmas", "d1", "Merry", at, nil)}
	live.Ownership.Objects[`drive_file["a.png"]`] = Owned{ID: "f1"}
	if ap := mustPlan(t, acct, live); len(ap.Changes) != 0 {
		t.Fatalf("same file: %s", summary(ap))
	}
	for _, ep := range []string{"notes/drafts/create", "notes/drafts/update"} {
		if !RateLimited(ep) {
			t.Errorf("%s is not in the wait estimate", ep)
		}
	}
}
