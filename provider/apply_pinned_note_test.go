package provider

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/provider/emulator"
)

func noteCreate(label, text string) *planner.Change {
	return &planner.Change{
		Type: planner.TypePinnedNote, Action: planner.ActionCreate, Key: "pinned_note." + label,
		After:   map[string]any{"text": text, "visibility": "public", "localOnly": false},
		Applied: map[string]any{"text": text},
	}
}

func noteTexts(t *testing.T, env *emuEnv, ids []string) []string {
	t.Helper()
	byID := map[string]string{}
	for _, n := range env.emu.NotesOf(env.me.ID) {
		if n.Text != nil {
			byID[n.ID] = *n.Text
		}
	}
	var out []string
	for _, id := range ids {
		out = append(out, byID[id])
	}
	return out
}

func TestApplyPinnedNotesCreateInOrder(t *testing.T) {
	env := newEmuEnv(t)
	// Bottom-up, as the planner emits them: the last one ends on top.
	ap := env.plan(noteCreate("bottom", "third"), noteCreate("middle", "second"), noteCreate("top", "first"))
	res, err := Apply(context.Background(), env.c, ap, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res != (Result{Added: 3}) {
		t.Errorf("result = %+v", res)
	}
	pinned := env.emu.PinnedNoteIDs(env.me.ID)
	if got := noteTexts(t, env, pinned); !reflect.DeepEqual(got, []string{"first", "second", "third"}) {
		t.Errorf("pinned top first = %v", got)
	}
	rec := env.record(t)
	if len(rec.Intents) != 0 {
		t.Errorf("intents left: %v", rec.Intents)
	}
	if rec.Objects["pinned_note.top"].ID != pinned[0] || rec.Objects["pinned_note.bottom"].ID != pinned[2] {
		t.Errorf("record = %+v, pinned %v", rec.Objects, pinned)
	}
	if !reflect.DeepEqual(rec.Objects["pinned_note.top"].Applied, map[string]any{"text": "first"}) {
		t.Errorf("applied = %v", rec.Objects["pinned_note.top"].Applied)
	}
	if rec.Account != "account.main" || rec.Version != planner.OwnershipVersion {
		t.Errorf("record header = %q v%d", rec.Account, rec.Version)
	}
	// Per note: intent, note recorded; the pin changes nothing to record.
	if n := env.count("i/registry/set"); n != 6 {
		t.Errorf("%d registry writes, want 6 (intent + note, per note)", n)
	}
}

func TestApplyPinnedNoteReplaceRepinDelete(t *testing.T) {
	env := newEmuEnv(t)
	a := env.emu.CreateNote(env.me.ID, "old a")
	b := env.emu.CreateNote(env.me.ID, "b")
	c := env.emu.CreateNote(env.me.ID, "c, not ours")
	for _, id := range []string{c, b, a} {
		if err := env.emu.PinNote(env.me.ID, id); err != nil {
			t.Fatal(err)
		}
	}
	env.writeRecord(t, &planner.Ownership{Version: 1, Account: "account.main", Objects: map[string]planner.Owned{
		"pinned_note.a": {ID: a}, "pinned_note.b": {ID: b},
	}})
	ap := env.plan(
		&planner.Change{Type: planner.TypePinnedNote, Action: planner.ActionUpdate, Key: "pinned_note.b", ID: b},
		&planner.Change{Type: planner.TypePinnedNote, Action: planner.ActionReplace, Key: "pinned_note.a", ID: a,
			After: map[string]any{"text": "new a", "cw": "spoiler"}, Applied: map[string]any{"text": "new a", "cw": "spoiler"}},
		&planner.Change{Type: planner.TypePinnedNote, Action: planner.ActionDelete, Key: "pinned_note.c", ID: c,
			After: map[string]any{"keepNote": true}},
	)
	res, err := Apply(context.Background(), env.c, ap, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res != (Result{Added: 1, Changed: 1, Destroyed: 2}) {
		t.Errorf("result = %+v", res)
	}
	pinned := env.emu.PinnedNoteIDs(env.me.ID)
	if got := noteTexts(t, env, pinned); !reflect.DeepEqual(got, []string{"new a", "b"}) {
		t.Errorf("pinned = %v", got)
	}
	var texts []string
	for _, n := range env.emu.NotesOf(env.me.ID) {
		texts = append(texts, *n.Text)
		if *n.Text == "new a" && (n.CW == nil || *n.CW != "spoiler") {
			t.Errorf("cw = %v", n.CW)
		}
	}
	// The replaced note is deleted; the unmanaged note is only unpinned.
	if !reflect.DeepEqual(texts, []string{"b", "c, not ours", "new a"}) {
		t.Errorf("notes = %v", texts)
	}
	rec := env.record(t)
	if rec.Objects["pinned_note.a"].ID != pinned[0] || rec.Objects["pinned_note.b"].ID != b || len(rec.Objects) != 2 {
		t.Errorf("record = %+v", rec.Objects)
	}
}

func TestApplyPinnedNoteReplaceAtPinLimit(t *testing.T) {
	env := newEmuEnv(t)
	env.emu.SetPolicy(env.me.ID, "pinLimit", 2)
	a := env.emu.CreateNote(env.me.ID, "a")
	b := env.emu.CreateNote(env.me.ID, "b")
	for _, id := range []string{b, a} {
		if err := env.emu.PinNote(env.me.ID, id); err != nil {
			t.Fatal(err)
		}
	}
	ap := env.plan(&planner.Change{Type: planner.TypePinnedNote, Action: planner.ActionReplace, Key: "pinned_note.a", ID: a,
		After: map[string]any{"text": "a2"}})
	if _, err := Apply(context.Background(), env.c, ap, nil); err != nil {
		t.Fatal(err)
	}
	if got := noteTexts(t, env, env.emu.PinnedNoteIDs(env.me.ID)); !reflect.DeepEqual(got, []string{"a2", "b"}) {
		t.Errorf("pinned = %v", got)
	}
}

// A notes/create whose reply is lost must not post the note twice: the
// intent recorded before it lets the next apply find the note.
func TestApplyPinnedNoteLostReplyNoDuplicate(t *testing.T) {
	env := newEmuEnv(t)
	env.emu.CreateNote(env.me.ID, "hello") // same text, before the intent: not ours
	env.clock.Advance(30 * 60 * 1e9)
	ap := env.plan(noteCreate("welcome", "hello"))
	env.emu.FailNext("notes/create", emulator.FaultDropResponse)

	_, err := Apply(context.Background(), env.c, ap, nil)
	if err == nil || !strings.Contains(err.Error(), "notes/create") || !strings.Contains(err.Error(), "pinned_note.welcome") {
		t.Fatalf("err = %v, want the lost notes/create reply", err)
	}
	rec := env.record(t)
	in, ok := rec.Intents["pinned_note.welcome"]
	if !ok || in.Match["text"] != "hello" || in.At != env.clock.Now().UnixMilli() {
		t.Fatalf("intent = %+v (ok %v)", in, ok)
	}
	if _, owned := rec.Objects["pinned_note.welcome"]; owned {
		t.Fatal("the note is recorded though its reply was lost")
	}
	notes := env.emu.NotesOf(env.me.ID)
	if len(notes) != 2 {
		t.Fatalf("%d notes, want 2 (the request ran)", len(notes))
	}
	posted := notes[1].ID

	env.clock.Advance(1e9)
	env.resetCounts()
	if _, err := Apply(context.Background(), env.c, env.plan(noteCreate("welcome", "hello")), nil); err != nil {
		t.Fatal(err)
	}
	if n := env.count("notes/create"); n != 0 {
		t.Errorf("%d notes/create on the re-run, want 0", n)
	}
	if n := len(env.emu.NotesOf(env.me.ID)); n != 2 {
		t.Errorf("%d notes, want 2 (no duplicate)", n)
	}
	if pinned := env.emu.PinnedNoteIDs(env.me.ID); !reflect.DeepEqual(pinned, []string{posted}) {
		t.Errorf("pinned %v, want the posted note %s", pinned, posted)
	}
	rec = env.record(t)
	if rec.Objects["pinned_note.welcome"].ID != posted || len(rec.Intents) != 0 {
		t.Errorf("record = %+v intents %v", rec.Objects, rec.Intents)
	}
}

// An intent whose note was never posted (the request failed before the
// server) leads to one search and then a normal create.
func TestApplyPinnedNoteIntentWithoutNote(t *testing.T) {
	env := newEmuEnv(t)
	env.emu.FailNext("notes/create", emulator.FaultBeforeExecute)
	if _, err := Apply(context.Background(), env.c, env.plan(noteCreate("w", "hi")), nil); err == nil {
		t.Fatal("no error")
	}
	if len(env.record(t).Intents) != 1 {
		t.Fatal("intent not kept after an unknown outcome")
	}
	env.resetCounts()
	if _, err := Apply(context.Background(), env.c, env.plan(noteCreate("w", "hi")), nil); err != nil {
		t.Fatal(err)
	}
	if env.count("users/notes") != 1 || env.count("notes/create") != 1 {
		t.Errorf("users/notes %d, notes/create %d; want 1 and 1", env.count("users/notes"), env.count("notes/create"))
	}
	if n := len(env.emu.NotesOf(env.me.ID)); n != 1 {
		t.Errorf("%d notes, want 1", n)
	}
}

// A refusal from Misskey means nothing was posted: the intent goes.
func TestApplyPinnedNoteRefusedClearsIntent(t *testing.T) {
	env := newEmuEnv(t)
	ch := noteCreate("w", "hi")
	ch.After["cw"] = strings.Repeat("x", 101) // over maxLength 100
	_, err := Apply(context.Background(), env.c, env.plan(ch), nil)
	if !IsCode(err, "INVALID_PARAM") {
		t.Fatalf("err = %v", err)
	}
	env.emu.ResetViolations() // provoked on purpose
	if rec := env.record(t); len(rec.Intents) != 0 {
		t.Errorf("intents = %v", rec.Intents)
	}
}
