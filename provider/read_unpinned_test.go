package provider

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

func pinnedNotesDeclared(labels ...string) func(*schema.Account) {
	return func(a *schema.Account) {
		for _, l := range labels {
			a.PinnedNotes = append(a.PinnedNotes, &schema.PinnedNote{Label: l, Text: l})
		}
	}
}

// Recorded pinned notes that are not pinned are looked up one by one; the
// pinned ones cost nothing, deleted ones and other users' are left out.
func TestReadUnpinnedOwnedNotes(t *testing.T) {
	env := newEmuEnv(t)
	pinned := env.emu.CreateNote(env.me.ID, "pinned")
	if err := env.emu.PinNote(env.me.ID, pinned); err != nil {
		t.Fatal(err)
	}
	unpinned := env.emu.CreateNote(env.me.ID, "unpinned by hand")
	retiring := env.emu.CreateNote(env.me.ID, "replaced, not yet deleted")
	bob := env.emu.CreateUser("bob")
	foreign := env.emu.CreateNote(bob.ID, "bob's")
	followee := env.emu.CreateUser("carol")
	env.writeRecord(t, &planner.Ownership{Version: 1, Account: "account.main", Objects: map[string]planner.Owned{
		"pinned_note.p":                {ID: pinned},
		"pinned_note.u":                {ID: unpinned},
		"pinned_note.a~" + retiring:    {ID: retiring, Applied: map[string]any{"adopted": true}},
		"pinned_note.gone":             {ID: "9gonegonegone"},
		"pinned_note.f":                {ID: foreign},
		`follow["@carol"]`:             {ID: followee.ID},
		`pinned_note["not.this.form"]`: {ID: unpinned},
	}})
	env.resetCounts()
	live, err := ReadAccount(context.Background(), env.c, account(pinnedNotesDeclared("one")))
	if err != nil {
		t.Fatal(err)
	}
	var ids, texts []string
	for _, n := range live.UnpinnedOwnedNotes {
		ids = append(ids, n.ID)
		texts = append(texts, n.Text)
		if n.Visibility != "public" {
			t.Errorf("note %s visibility %q", n.ID, n.Visibility)
		}
	}
	// In record-key order: pinned_note.a~… before pinned_note.u.
	if !reflect.DeepEqual(ids, []string{retiring, unpinned}) || !reflect.DeepEqual(texts, []string{"replaced, not yet deleted", "unpinned by hand"}) {
		t.Errorf("unpinned owned notes = %v %q", ids, texts)
	}
	if len(live.PinnedNotes) != 1 || live.PinnedNotes[0].ID != pinned {
		t.Errorf("pinned = %+v", live.PinnedNotes)
	}
	var shown []string
	for _, req := range env.emu.Requests() {
		if req.Endpoint == "notes/show" {
			shown = append(shown, req.Body["noteId"].(string))
		}
	}
	slices.Sort(shown)
	want := []string{"9gonegonegone", foreign, retiring, unpinned}
	slices.Sort(want)
	if !reflect.DeepEqual(shown, want) {
		t.Errorf("notes/show for %v, want %v", shown, want)
	}
}

// When every recorded note is pinned, or the record holds none, nothing
// more is asked.
func TestReadUnpinnedOwnedNotesNoExtraRequests(t *testing.T) {
	env := newEmuEnv(t)
	pinned := env.emu.CreateNote(env.me.ID, "pinned")
	if err := env.emu.PinNote(env.me.ID, pinned); err != nil {
		t.Fatal(err)
	}
	env.writeRecord(t, &planner.Ownership{Version: 1, Account: "account.main", Objects: map[string]planner.Owned{"pinned_note.p": {ID: pinned}}})
	env.resetCounts()
	live, err := ReadAccount(context.Background(), env.c, account(pinnedNotesDeclared("p")))
	if err != nil {
		t.Fatal(err)
	}
	if live.UnpinnedOwnedNotes != nil || env.total() != 2 {
		t.Errorf("unpinned = %v, requests = %v", live.UnpinnedOwnedNotes, env.counts)
	}
	env.writeRecord(t, &planner.Ownership{Version: 1, Account: "account.main", Objects: map[string]planner.Owned{`follow["@x"]`: {ID: "x1"}}})
	env.resetCounts()
	if _, err := ReadAccount(context.Background(), env.c, account(pinnedNotesDeclared("p"))); err != nil {
		t.Fatal(err)
	}
	if env.count("notes/show") != 0 {
		t.Errorf("requests = %v", env.counts)
	}
}
