package export

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/mkctl/mkctl/planner"
)

// clips gives the account up to four clips for the round-trip property:
// names that validate refuses or that two clips share (neither exported),
// descriptions of awkward text, notes that are pinned notes (exported or
// not) and other users' notes, and notes the account cannot see (counted
// by Misskey, not listed).
func (w *world) clips(r *rand.Rand, live *planner.Live) {
	names := []string{"reading", "later", "a b", "📌 saved", "", strings.Repeat("x", 101)}
	var picked []string
	for range r.Intn(5) {
		picked = append(picked, names[r.Intn(len(names))])
	}
	seen := map[string]int{}
	for _, n := range picked {
		seen[n]++
	}
	for i, name := range picked {
		c := planner.LiveClip{ID: fmt.Sprintf("clip%03d", i), Name: name, Public: randBool(r, 30)}
		if r.Intn(3) > 0 {
			c.Description = randText(r, 2048, true)
		}
		in := map[string]bool{}
		for _, n := range live.PinnedNotes {
			if r.Intn(2) == 0 && !in[n.ID] {
				in[n.ID] = true
				c.NoteIDs = append(c.NoteIDs, n.ID)
			}
		}
		for j := range r.Intn(4) {
			id := fmt.Sprintf("other%d%d", i, j)
			c.NoteIDs = append(c.NoteIDs, id)
		}
		c.NotesCount = len(c.NoteIDs)
		if r.Intn(4) == 0 {
			c.NotesCount += 1 + r.Intn(3) // notes the account cannot see
		}
		live.Clips = append(live.Clips, c)
		if seen[name] == 1 && nameProblem(name) == "" {
			w.wantClips++
		}
	}
}

// A clip's pinned note is written as pinned_note.LABEL when the note is
// exported, as its id otherwise; description and public as they are.
func TestExportClips(t *testing.T) {
	live := &planner.Live{UserID: "u0", Username: "bot",
		PinnedNotes: []planner.LiveNote{{ID: "n1", Text: "Welcome!", Visibility: "public"}, {ID: "n2", Text: "poll", Visibility: "public", Unsupported: "it has a poll"}},
		Clips: []planner.LiveClip{
			{ID: "c1", Name: "reading list", Description: "to read later", Public: true, NoteIDs: []string{"n1", "n2", "x9"}, NotesCount: 4},
			{ID: "c2", Name: "twin"}, {ID: "c3", Name: "twin"},
		}}
	res, err := Generate(Account{Host: "misskey.example", Username: "bot", Live: live}, Options{Kinds: map[string]bool{"pinned_notes": true, "clips": true}})
	if err != nil {
		t.Fatal(err)
	}
	out := dumpFiles(res)
	for _, want := range []string{
		`clip "reading list" {`, `description = "to read later"`, `public      = true`,
		`notes       = [pinned_note.welcome, "n2", "x9"]`,
		`also holds 1 note(s) this account cannot see`,
		`Clips "twin" (ids c2, c3) are not exported`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if c, _ := res.Count("clips"); c.Declared != 1 || c.Skipped != 2 {
		t.Errorf("counts %+v", c)
	}
	// The export plans to nothing.
	if _, ap, diags := loadAndPlan(t, res, live); errorsOnly(diags).HasErrors() || ap == nil || len(ap.Changes) != 0 {
		t.Errorf("plan of the export: %v %v\n%s", diags, ap, out)
	}
}
