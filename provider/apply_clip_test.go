package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/provider/emulator"
	"github.com/mkctl/mkctl/schema"
)

// clipAccount declares a pinned note and a clip holding it and the notes
// given by id.
func clipAccount(welcome string, ids ...string) *schema.Account {
	acct := &schema.Account{Label: "main", Host: "https://misskey.example", Username: "alice", Purge: map[string]bool{},
		PinnedNotes: []*schema.PinnedNote{{Label: "welcome", Text: welcome, Visibility: "public"}}}
	c := &schema.Clip{Name: "reading list", Description: "later", ManageNotes: true, Notes: []schema.ClipNote{{PinnedNote: "welcome"}}}
	for _, id := range ids {
		c.Notes = append(c.Notes, schema.ClipNote{ID: id})
	}
	acct.Clips = []*schema.Clip{c}
	return acct
}

func planFor(t *testing.T, env *emuEnv, acct *schema.Account) *planner.AccountPlan {
	t.Helper()
	live, err := ReadAccount(context.Background(), env.c, acct)
	if err != nil {
		t.Fatal(err)
	}
	ap, diags := planner.PlanAccount(acct, live)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return ap
}

func clipNoteIDs(t *testing.T, env *emuEnv, clipID string) map[string]bool {
	t.Helper()
	var notes []struct {
		ID string `json:"id"`
	}
	if err := env.c.Read(context.Background(), "clips/notes", map[string]any{"clipId": clipID, "limit": 100}, &notes); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, n := range notes {
		out[n.ID] = true
	}
	return out
}

// A clip with a pinned note the same apply posts, converging; the pinned
// note replaced (the new note added, the deleted one never sent to
// remove-note); a saved plan whose removal was done by hand meanwhile
// sends no remove-note (which would corrupt clippedCount); a note deleted
// between plan and apply is a clear error naming the clip and the id, and
// the next plan converges.
func TestApplyClips(t *testing.T) {
	ctx := context.Background()
	env := newEmuEnv(t)
	keep := env.emu.CreateNote(env.me.ID, "keep me")
	drop := env.emu.CreateNote(env.me.ID, "drop me")

	acct := clipAccount("Welcome!", keep, drop)
	ap := planFor(t, env, acct)
	if _, err := Apply(ctx, env.c, ap, nil); err != nil {
		t.Fatal(err)
	}
	clipID := env.record(t).Objects["clip.reading list"].ID
	pin := env.record(t).Objects["pinned_note.welcome"].ID
	if got := clipNoteIDs(t, env, clipID); len(got) != 3 || !got[pin] || !got[keep] || !got[drop] {
		t.Fatalf("clip notes %v, want the pinned note %s, %s and %s", got, pin, keep, drop)
	}
	if ap := planFor(t, env, acct); len(ap.Changes) != 0 {
		t.Fatalf("second plan: %v", planChanges(ap))
	}

	// The pinned note replaced: its successor joins the clip.
	acct = clipAccount("Welcome again!", keep, drop)
	env.resetCounts()
	if _, err := Apply(ctx, env.c, planFor(t, env, acct), nil); err != nil {
		t.Fatal(err)
	}
	newPin := env.record(t).Objects["pinned_note.welcome"].ID
	if got := clipNoteIDs(t, env, clipID); newPin == pin || !got[newPin] || got[pin] || len(got) != 3 {
		t.Errorf("after the replace: clip notes %v, new pinned note %s", got, newPin)
	}
	if n := env.count("clips/remove-note"); n != 0 {
		t.Errorf("%d clips/remove-note for the deleted note, want none", n)
	}

	// A saved plan removes drop; it is removed by hand before the apply.
	acct = clipAccount("Welcome again!", keep)
	ap = planFor(t, env, acct)
	if err := env.c.Write(ctx, "clips/remove-note", map[string]any{"clipId": clipID, "noteId": drop}, nil); err != nil {
		t.Fatal(err)
	}
	env.resetCounts()
	if _, err := Apply(ctx, env.c, ap, nil); err != nil {
		t.Fatal(err)
	}
	if n := env.count("clips/remove-note"); n != 0 {
		t.Errorf("%d clips/remove-note for a note no longer in the clip, want none", n)
	}
	var shown struct {
		ClippedCount int `json:"clippedCount"`
	}
	if err := env.c.Read(ctx, "notes/show", map[string]any{"noteId": drop}, &shown); err != nil || shown.ClippedCount != 0 {
		t.Errorf("clippedCount of the removed note %d (%v), want 0", shown.ClippedCount, err)
	}

	// A note deleted between plan and apply.
	gone := env.emu.CreateNote(env.me.ID, "gone soon")
	acct = clipAccount("Welcome again!", keep, gone)
	ap = planFor(t, env, acct)
	if err := env.c.Write(ctx, "notes/delete", map[string]any{"noteId": gone}, nil); err != nil {
		t.Fatal(err)
	}
	_, err := Apply(ctx, env.c, ap, nil)
	if err == nil || !strings.Contains(err.Error(), `clip "reading list": the note `+gone+` does not exist`) || !IsCode(err, "NO_SUCH_NOTE") {
		t.Fatalf("apply: %v", err)
	}
	live, err := ReadAccount(ctx, env.c, acct)
	if err != nil {
		t.Fatal(err)
	}
	if _, diags := planner.PlanAccount(acct, live); !diags.HasErrors() || !strings.Contains(diags.Error(), "No such note") {
		t.Errorf("plan after: %v", diags)
	}
	acct = clipAccount("Welcome again!", keep)
	if ap := planFor(t, env, acct); len(ap.Changes) != 0 {
		t.Errorf("plan without the deleted note: %v", planChanges(ap))
	}
}

// The reads a plan of clips makes: one clips/list page, one clips/notes
// page per declared clip that sets notes and exists (at once), notes/show
// only for the ids not in their clip yet; nothing for a configuration
// without clips.
func TestReadClipsRequests(t *testing.T) {
	ctx := context.Background()
	env := newEmuEnv(t)
	n1 := env.emu.CreateNote(env.me.ID, "one")
	n2 := env.emu.CreateNote(env.me.ID, "two")
	var c1, c2 struct {
		ID string `json:"id"`
	}
	for _, c := range []struct {
		name string
		out  any
	}{{"with notes", &c1}, {"no notes attribute", &c2}} {
		if err := env.c.Write(ctx, "clips/create", map[string]any{"name": c.name}, c.out); err != nil {
			t.Fatal(err)
		}
	}
	if err := env.c.Write(ctx, "clips/create", map[string]any{"name": "hand-made"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := env.c.Write(ctx, "clips/add-note", map[string]any{"clipId": c1.ID, "noteId": n1}, nil); err != nil {
		t.Fatal(err)
	}
	acct := &schema.Account{Label: "main", Host: "https://misskey.example", Username: "alice", Purge: map[string]bool{},
		Clips: []*schema.Clip{
			{Name: "with notes", ManageNotes: true, Notes: []schema.ClipNote{{ID: n1}, {ID: n2}}},
			{Name: "no notes attribute"},
			{Name: "new", ManageNotes: true, Notes: []schema.ClipNote{{ID: n2}, {ID: "0000000000"}}},
		}}
	env.resetCounts()
	live, err := ReadAccount(ctx, env.c, acct)
	if err != nil {
		t.Fatal(err)
	}
	for ep, want := range map[string]int{"clips/list": 1, "clips/notes": 1, "notes/show": 2} {
		if got := env.count(ep); got != want {
			t.Errorf("%s: %d requests, want %d", ep, got, want)
		}
	}
	if live.CheckedNotes[n2] != "" || live.CheckedNotes["0000000000"] != planner.NoteMissing {
		t.Errorf("checked notes %v", live.CheckedNotes)
	}

	env.resetCounts()
	if _, err := ReadAccount(ctx, env.c, &schema.Account{Label: "main", Host: "https://misskey.example", Username: "alice", Purge: map[string]bool{}}); err != nil {
		t.Fatal(err)
	}
	if n := env.count("clips/list") + env.count("clips/notes"); n != 0 {
		t.Errorf("a configuration without clips read clips: %d requests", n)
	}
}

// A failed apply leaves the account consistent and the next one
// converges: clips/create or clips/add-note executed but their answer
// lost (the apply fails), then plan and apply again: one clip, every note
// in it once.
func TestApplyClipsConvergeAfterLostAnswer(t *testing.T) {
	for _, ep := range []string{"clips/create", "clips/add-note"} {
		t.Run(ep, func(t *testing.T) {
			ctx := context.Background()
			env := newEmuEnv(t)
			keep := env.emu.CreateNote(env.me.ID, "keep me")
			acct := clipAccount("Welcome!", keep)
			env.emu.FailNext(ep, emulator.FaultDropResponse)
			if _, err := Apply(ctx, env.c, planFor(t, env, acct), nil); err == nil {
				t.Fatal("the apply succeeded without an answer")
			}
			for range 2 {
				ap := planFor(t, env, acct)
				if _, err := Apply(ctx, env.c, ap, nil); err != nil {
					t.Fatal(err)
				}
			}
			if ap := planFor(t, env, acct); len(ap.Changes) != 0 {
				t.Fatalf("third plan: %v", planChanges(ap))
			}
			var clips []struct {
				ID         string `json:"id"`
				NotesCount int    `json:"notesCount"`
			}
			if err := env.c.Read(ctx, "clips/list", map[string]any{}, &clips); err != nil {
				t.Fatal(err)
			}
			if len(clips) != 1 || clips[0].NotesCount != 2 {
				t.Errorf("clips %+v, want one holding 2 notes", clips)
			}
		})
	}
}

// A note whose author the account mutes is hidden by clips/notes (its
// notesCount counts it): added once, recorded, and not added again; one
// put in the clip by hand before the mute is learnt from ALREADY_CLIPPED
// by the first apply. Both converge to "No changes".
func TestApplyClipsMutedAuthor(t *testing.T) {
	ctx := context.Background()
	env := newEmuEnv(t)
	bob := env.emu.CreateUser("bob")
	carol := env.emu.CreateUser("carol")
	byBob := env.emu.CreateNote(bob.ID, "by bob")
	byCarol := env.emu.CreateNote(carol.ID, "by carol")
	for _, u := range []string{bob.ID, carol.ID} {
		if err := env.c.Write(ctx, "mute/create", map[string]any{"userId": u}, nil); err != nil {
			t.Fatal(err)
		}
	}
	var hand struct {
		ID string `json:"id"`
	}
	if err := env.c.Write(ctx, "clips/create", map[string]any{"name": "by hand"}, &hand); err != nil {
		t.Fatal(err)
	}
	if err := env.c.Write(ctx, "clips/add-note", map[string]any{"clipId": hand.ID, "noteId": byCarol}, nil); err != nil {
		t.Fatal(err)
	}
	acct := &schema.Account{Label: "main", Host: "https://misskey.example", Username: "alice", Purge: map[string]bool{},
		Clips: []*schema.Clip{
			{Name: "muted", ManageNotes: true, Notes: []schema.ClipNote{{ID: byBob}}},
			{Name: "by hand", ManageNotes: true, Notes: []schema.ClipNote{{ID: byCarol}}},
		}}
	if _, err := Apply(ctx, env.c, planFor(t, env, acct), nil); err != nil {
		t.Fatal(err)
	}
	env.resetCounts()
	ap := planFor(t, env, acct)
	if len(ap.Changes) != 0 {
		t.Fatalf("second plan: %v", planChanges(ap))
	}
	if !strings.Contains(strings.Join(ap.Notes, "\n"), "holds 1 note(s) this account cannot see or has muted") {
		t.Errorf("notes %v", ap.Notes)
	}
	rec := env.record(t)
	for key, id := range map[string]string{"clip.muted": byBob, "clip.by hand": byCarol} {
		if got, _ := rec.Objects[key].Applied["addedNotes"].([]any); len(got) != 1 || got[0] != id {
			t.Errorf("%s: recorded %v, want [%s]", key, rec.Objects[key].Applied, id)
		}
	}
}

// BenchmarkPlanClips: reading and planning 10 declared clips of 150 notes
// each (the account's default clipLimit, and more notes than one page of
// clips/notes), unchanged: 1 clips/list page and 2 clips/notes pages per
// clip, read at once; no notes/show (every note is in its clip).
func BenchmarkPlanClips(b *testing.B) {
	ctx := context.Background()
	env := newEmuEnv(b)
	acct := &schema.Account{Label: "main", Host: "https://misskey.example", Username: "alice", Purge: map[string]bool{}}
	for i := range 10 {
		var clip struct {
			ID string `json:"id"`
		}
		name := "clip " + itoa(i)
		if err := env.c.Write(ctx, "clips/create", map[string]any{"name": name}, &clip); err != nil {
			b.Fatal(err)
		}
		c := &schema.Clip{Name: name, ManageNotes: true}
		for j := range 150 {
			id := env.emu.CreateNote(env.me.ID, "note "+itoa(i)+"/"+itoa(j))
			if err := env.c.Write(ctx, "clips/add-note", map[string]any{"clipId": clip.ID, "noteId": id}, nil); err != nil {
				b.Fatal(err)
			}
			c.Notes = append(c.Notes, schema.ClipNote{ID: id})
		}
		acct.Clips = append(acct.Clips, c)
	}
	env.resetCounts()
	b.ResetTimer()
	for range b.N {
		live, err := ReadAccount(ctx, env.c, acct)
		if err != nil {
			b.Fatal(err)
		}
		if ap, diags := planner.PlanAccount(acct, live); diags.HasErrors() || len(ap.Changes) != 0 {
			b.Fatalf("%v %v", diags, planChanges(ap))
		}
	}
	b.ReportMetric(float64(env.total())/float64(b.N), "requests/op")
	b.ReportMetric(float64(env.count("clips/notes"))/float64(b.N), "clip-notes-pages/op")
	if n := env.count("notes/show"); n != 0 {
		b.Errorf("%d notes/show", n)
	}
}
