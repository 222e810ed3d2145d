package export

import (
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/planner"
)

// TestExportScheduledNoteBeyondYear9999: Misskey accepts a scheduledAt up
// to what a JavaScript Date holds (year 275760, verified), but at is RFC
// 3339, four-digit years: such a draft is left out with a comment, so the
// export still loads; one in year 9999 is exported.
func TestExportScheduledNoteBeyondYear9999(t *testing.T) {
	now := time.Now()
	y9999 := time.Date(9999, 12, 31, 23, 59, 59, 999e6, time.UTC)
	live := &planner.Live{UserID: "u1", Username: "bot", Profile: map[string]any{}, Policies: map[string]any{"scheduledNoteLimit": 10.0}}
	live.Drafts = &planner.LiveDrafts{ReadAt: now, Drafts: []planner.LiveDraft{
		{ID: "d1", Text: "far", Visibility: "public", ScheduledAt: y9999.UnixMilli(), IsActuallyScheduled: true, FileIDs: []string{}},
		{ID: "d2", Text: "too far", Visibility: "public", ScheduledAt: 8_640_000_000_000_000, IsActuallyScheduled: true, FileIDs: []string{}},
	}}
	res, err := Generate(Account{Host: "misskey.example", Username: "bot", Live: live}, Options{Kinds: map[string]bool{"scheduled_notes": true}})
	if err != nil {
		t.Fatal(err)
	}
	out := dumpFiles(res)
	for _, want := range []string{`at   = "9999-12-31T23:59:59.999Z"`, "(draft id d2) is not exported: its time"} {
		if !strings.Contains(out, want) {
			t.Errorf("the files lack %q\n%s", want, out)
		}
	}
	cfg, ap, diags := loadAndPlan(t, res, live)
	if cfg == nil || errorsOnly(diags).HasErrors() {
		t.Fatalf("%v\n%s", diags, out)
	}
	if len(ap.Changes) != 0 || len(ap.Adopt) != 1 {
		t.Fatalf("plan of the export: changes %v adopt %v\n%s", ap.Changes, ap.Adopt, out)
	}
}
