package planner

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/schema"
)

func TestClips(t *testing.T) {
	acct := base()
	acct.PinnedNotes = []*schema.PinnedNote{note("fresh", "F"), note("kept", "K")}
	acct.Clips = []*schema.Clip{
		{Name: "reading list", Description: "later", ManageNotes: true, Notes: []schema.ClipNote{{PinnedNote: "kept"}, {PinnedNote: "fresh"}, {ID: "n-new"}, {ID: "n-in"}}},
		{Name: "same", Public: true, ManageNotes: true, Notes: []schema.ClipNote{{ID: "n-x"}}},
		{Name: "untouched notes"},
		{Name: "brand new", ManageNotes: true, Notes: []schema.ClipNote{{PinnedNote: "fresh"}, {ID: "n-new"}}},
	}
	live := &Live{
		PinnedNotes: []LiveNote{liveNote("p-kept", "K")},
		Clips: []LiveClip{
			{ID: "c-read", Name: "reading list", Description: "old", NotesCount: 3, NoteIDs: []string{"n-in", "n-gone", "p-kept"}},
			{ID: "c-same", Name: "same", Public: true, NotesCount: 2, NoteIDs: []string{"n-x"}},
			{ID: "c-un", Name: "untouched notes", NotesCount: 5},
			{ID: "c-old", Name: "old", NotesCount: 1},
			{ID: "c-hand", Name: "hand-made"},
		},
		CheckedNotes: map[string]string{"n-new": ""},
		Ownership:    owning(map[string]string{"clip.old": "c-old", "pinned_note.kept": "p-kept"}),
	}
	ap := mustPlan(t, acct, live)
	want := `delete clip.old c-old
create pinned_note.fresh
update clip.reading list c-read
create clip.brand new
`
	if got := summary(ap); got != want {
		t.Fatalf("got\n%swant\n%s", got, want)
	}
	up := ap.Changes[2]
	if u, _ := up.After["update"].(map[string]any); u["description"] != "later" || u["isPublic"] != false {
		t.Errorf("update %v: description and public are always sent together", up.After)
	}
	if !reflect.DeepEqual(up.After["add"], []any{"n-new", ""}) || up.Refs["notes.1"] != "pinned_note.fresh" {
		t.Errorf("add %v refs %v: the new pinned note's id is known only at apply", up.After["add"], up.Refs)
	}
	if !reflect.DeepEqual(up.After["remove"], []any{"n-gone"}) {
		t.Errorf("remove %v", up.After["remove"])
	}
	var notes AttrChange
	for _, a := range up.Attrs {
		if a.Name == "notes" {
			notes = a
		}
	}
	if !reflect.DeepEqual(notes.Before, []any{"n-gone", "n-in", "pinned_note.kept"}) || !reflect.DeepEqual(notes.After, []any{"n-in", "n-new", "pinned_note.fresh", "pinned_note.kept"}) {
		t.Errorf("notes shown %v → %v", notes.Before, notes.After)
	}
	cr := ap.Changes[3]
	if cr.After["name"] != "brand new" || cr.After["description"] != nil || cr.After["isPublic"] != false || !reflect.DeepEqual(cr.After["add"], []any{"n-new", ""}) {
		t.Errorf("create %v", cr.After)
	}
	all := strings.Join(ap.Notes, "\n")
	if !strings.Contains(all, "1 clip(s) not managed") || !strings.Contains(all, `clip.same: the clip holds 1 note(s) this account cannot see`) {
		t.Errorf("notes %s", all)
	}
	adopted := map[string]bool{}
	for _, o := range ap.Adopt {
		adopted[o.Key] = true
	}
	if !adopted["clip.reading list"] || !adopted["clip.same"] || adopted["clip.hand-made"] {
		t.Errorf("adopt %v", ap.Adopt)
	}

	// Purged: the hand-made clip goes too.
	acct.Purge["clips"] = true
	if got := summary(mustPlan(t, acct, live)); !strings.Contains(got, "delete clip.hand-made c-hand") {
		t.Errorf("purge plan %s", got)
	}
}

func TestClipErrors(t *testing.T) {
	cases := []struct {
		name string
		clip *schema.Clip
		live *Live
		want string
	}{
		{"missing note", &schema.Clip{Name: "c", ManageNotes: true, Notes: []schema.ClipNote{{ID: "nope"}}}, &Live{CheckedNotes: map[string]string{"nope": NoteMissing}}, "NO_SUCH_NOTE"},
		{"hidden note", &schema.Clip{Name: "c", ManageNotes: true, Notes: []schema.ClipNote{{ID: "dm"}}}, &Live{CheckedNotes: map[string]string{"dm": NoteHidden}}, "may not see"},
		{"two live clips", &schema.Clip{Name: "c"}, &Live{Clips: []LiveClip{{ID: "c1", Name: "c"}, {ID: "c2", Name: "c"}}}, "Ambiguous clip"},
		{"note limit", &schema.Clip{Name: "c", ManageNotes: true, Notes: []schema.ClipNote{{ID: "a"}, {ID: "b"}}}, &Live{Policies: map[string]any{"noteEachClipsLimit": 1.0}}, "noteEachClipsLimit"},
		{"clip limit", &schema.Clip{Name: "c"}, &Live{Policies: map[string]any{"clipLimit": 1.0}, Clips: []LiveClip{{ID: "h", Name: "hand"}}}, "clipLimit"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			acct := base()
			acct.Clips = []*schema.Clip{c.clip}
			_, diags := PlanAccount(acct, c.live)
			if !diags.HasErrors() || !strings.Contains(diags.Error(), c.want) {
				t.Fatalf("diags %v, want %q", diags, c.want)
			}
		})
	}
}

// The 20/hour clips/add-note limit: 25 notes into a new clip wait an hour.
func TestClipAddNoteWait(t *testing.T) {
	acct := base()
	c := &schema.Clip{Name: "big", ManageNotes: true}
	for i := range 25 {
		c.Notes = append(c.Notes, schema.ClipNote{ID: "n" + string(rune('a'+i))})
	}
	acct.Clips = []*schema.Clip{c}
	ap := mustPlan(t, acct, &Live{})
	if all := strings.Join(ap.Notes, "\n"); !strings.Contains(all, "25 clip notes at 20/hour (clips/add-note): the apply will wait about 1h") {
		t.Errorf("notes %s", all)
	}
	// Nothing to add, no wait and no change.
	ap = mustPlan(t, acct, &Live{Clips: []LiveClip{{ID: "c", Name: "big", NotesCount: 25, NoteIDs: func() []string {
		var ids []string
		for _, n := range c.Notes {
			ids = append(ids, n.ID)
		}
		return ids
	}()}}})
	if len(ap.Changes) != 0 || len(ap.Notes) != 0 {
		t.Errorf("changes %s notes %v", summary(ap), ap.Notes)
	}
}

// --target of a clip takes the pinned note the same apply posts for it;
// the quoted and the printed forms of a name with a space both work.
func TestClipTarget(t *testing.T) {
	for _, target := range []string{`account.bot.clip["reading list"]`, `account.bot.clip.reading list`} {
		acct := base()
		acct.PinnedNotes = []*schema.PinnedNote{note("fresh", "F")}
		acct.Follows = []*schema.Follow{{Acct: "@alice"}}
		acct.Clips = []*schema.Clip{{Name: "reading list", ManageNotes: true, Notes: []schema.ClipNote{{PinnedNote: "fresh"}}}}
		ap := mustPlan(t, acct, &Live{Users: map[string]string{"@alice": "u-alice"}})
		sel, err := ParseSelection([]string{target}, nil)
		if err != nil {
			t.Fatal(err)
		}
		sel.Filter(acct, ap)
		if got := summary(ap); got != "create pinned_note.fresh\ncreate clip.reading list\n" {
			t.Errorf("%s: got\n%s", target, got)
		}
	}
}

// A scheduled note joins its clip once Misskey has posted it: before, the
// clip is planned without it and a note says so; after, its posted id is
// added (and a second plan has nothing to do).
func TestClipScheduledNote(t *testing.T) {
	acct := base()
	acct.ScheduledNotes = []*schema.ScheduledNote{{PinnedNote: schema.PinnedNote{Label: "later", Text: "soon", Visibility: "public"}, At: time.Now().Add(time.Hour), AtText: "in an hour"}}
	acct.Clips = []*schema.Clip{{Name: "c", ManageNotes: true, Notes: []schema.ClipNote{{ScheduledNote: "later"}, {ID: "n1"}}}}
	live := &Live{Clips: []LiveClip{{ID: "c1", Name: "c", NotesCount: 1, NoteIDs: []string{"n1"}}}, Drafts: &LiveDrafts{ReadAt: time.Now()}}
	ap := mustPlan(t, acct, live)
	if got := summary(ap); got != "create scheduled_note.later\n" {
		t.Errorf("before it is posted: %s", got)
	}
	if all := strings.Join(ap.Notes, "\n"); !strings.Contains(all, "account.bot.clip.c: scheduled_note.later is not posted yet; it will be added to the clip") {
		t.Errorf("notes %s", all)
	}

	// Posted: the record says so, with the note's id.
	rec := owning(nil)
	rec.Objects["scheduled_note.later"] = Owned{ID: "p1", Applied: map[string]any{"posted": true, "noteId": "p1", "scheduledAt": float64(time.Now().Add(-time.Hour).UnixMilli())}}
	live.Ownership = rec
	ap = mustPlan(t, acct, live)
	if got := summary(ap); got != "update clip.c c1\n" || !reflect.DeepEqual(ap.Changes[0].After["add"], []any{"p1"}) {
		t.Fatalf("after it is posted: %s %v", got, ap.Changes)
	}
	live.Clips[0].NoteIDs = []string{"n1", "p1"}
	live.Clips[0].NotesCount = 2
	if ap = mustPlan(t, acct, live); len(ap.Changes) != 0 {
		t.Errorf("once added: %s", summary(ap))
	}
}

// A recorded clip deleted by hand is forgotten, not re-created unless
// declared; removing the last clip block still deletes what mkctl made.
func TestClipForgetAndLastBlock(t *testing.T) {
	acct := base()
	live := &Live{Clips: []LiveClip{{ID: "c2", Name: "made"}}, Ownership: owning(map[string]string{"clip.gone": "c1", "clip.made": "c2"})}
	ap := mustPlan(t, acct, live)
	if got := summary(ap); got != "delete clip.made c2\n" {
		t.Errorf("plan %s", got)
	}
	if len(ap.Forget) != 1 || ap.Forget[0] != "clip.gone" {
		t.Errorf("forget %v", ap.Forget)
	}
	if v := GuardViolations(&schema.Account{DeletionGuard: &schema.DeletionGuard{Enabled: true, MaxObjects: 0, MaxPercent: 10}, Purge: map[string]bool{}}, live, ap); len(v) != 1 || v[0].Type != TypeClip {
		t.Errorf("guard %v", v)
	}
}
