package export

import (
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// TestExportScheduledNotes: scheduled drafts ahead of their time become
// scheduled_note blocks whose plan adopts each draft (content, files and
// time to the millisecond) and changes nothing; plain drafts, past or
// timeless scheduled drafts and drafts a block cannot describe are left
// out with a comment, counted as skipped.
func TestExportScheduledNotes(t *testing.T) {
	now := time.Now()
	ahead := now.Add(72 * time.Hour).Truncate(time.Millisecond).Add(123 * time.Millisecond)
	cw, like := "spoiler", "likeOnly"
	live := &planner.Live{UserID: "u1", Username: "bot", Profile: map[string]any{}, Policies: map[string]any{"scheduledNoteLimit": 10.0}}
	live.Drafts = &planner.LiveDrafts{ReadAt: now, Drafts: []planner.LiveDraft{
		{ID: "d1", Text: "Merry Christmas!", Visibility: "public", ScheduledAt: ahead.UnixMilli(), IsActuallyScheduled: true, FileIDs: []string{}},
		{ID: "d2", Text: "Later, quietly", CW: &cw, Visibility: "home", LocalOnly: true, ReactionAcceptance: &like,
			ScheduledAt: ahead.Add(time.Hour).UnixMilli(), IsActuallyScheduled: true, FileIDs: []string{}},
		{ID: "d3", Text: "too late", Visibility: "public", ScheduledAt: now.Add(-time.Hour).UnixMilli(), IsActuallyScheduled: true},
		{ID: "d4", Text: "trapped", Visibility: "public", IsActuallyScheduled: true},
		{ID: "d5", Text: "a poll", Visibility: "public", ScheduledAt: ahead.UnixMilli(), IsActuallyScheduled: true, Unsupported: "it has a poll"},
		{ID: "d6", Text: "just a draft", Visibility: "public"},
	}}
	res, err := Generate(Account{Host: "misskey.example", Username: "bot", Live: live}, Options{Kinds: map[string]bool{"scheduled_notes": true}})
	if err != nil {
		t.Fatal(err)
	}
	out := dumpFiles(res)
	for _, want := range []string{
		`scheduled_note "merry_christmas"`,
		`at   = "` + ahead.UTC().Format("2006-01-02T15:04:05.000Z") + `"`,
		`scheduled_note "later_quietly"`,
		"1 note draft(s) that are not scheduled are not exported",
		"(draft id d3) is not exported: its time",
		"(draft id d4) is not exported: it is marked scheduled but has no time",
		"(draft id d5) is not exported: it has a poll",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the files lack %q\n%s", want, out)
		}
	}
	if c, ok := res.Count("scheduled_notes"); !ok || c.Declared != 2 || c.Skipped != 3 {
		t.Errorf("count %+v", c)
	}
	cfg, ap, diags := loadAndPlan(t, res, live)
	if cfg == nil || errorsOnly(diags).HasErrors() {
		t.Fatalf("%v\n%s", diags, out)
	}
	if len(ap.Changes) != 0 || len(ap.Adopt) != 2 {
		t.Fatalf("plan of the export: changes %v adopt %v\n%s", ap.Changes, ap.Adopt, out)
	}
	if d := schema.PastScheduledNotes(cfg, now); len(d) != 0 {
		t.Errorf("validate would refuse the export: %v", d)
	}
}
