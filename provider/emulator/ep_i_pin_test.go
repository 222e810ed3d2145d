package emulator

import (
	"net/http"
	"slices"
	"testing"
	"time"
)

func stringsOf(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// Pins come back most recently pinned first — not in note order — in `i`,
// in users/show of yourself and of others, and in i/pin's answer.
func TestPinOrder(t *testing.T) {
	w := newWorld(t, Options{})
	var notes []string
	for range 4 {
		notes = append(notes, w.e.CreateNote(w.alice.ID, "note"))
		w.clock.Advance(time.Second)
	}
	// Pin in the order 2, 0, 3, 1.
	var last map[string]any
	for _, i := range []int{2, 0, 3, 1} {
		last = w.ok("i/pin", map[string]any{"noteId": notes[i]})
		w.clock.Advance(time.Second)
	}
	want := []string{notes[1], notes[3], notes[0], notes[2]}
	if got := stringsOf(last["pinnedNoteIds"]); !slices.Equal(got, want) {
		t.Errorf("i/pin answer %v, want %v", got, want)
	}
	for name, m := range map[string]map[string]any{
		"i":                 w.ok("i", nil),
		"users/show self":   w.ok("users/show", map[string]any{"userId": w.alice.ID}),
		"users/show by bob": mustOK(t, post(t, w.e, "users/show", w.bobTok, map[string]any{"userId": w.alice.ID})),
		"users/show anon":   mustOK(t, post(t, w.e, "users/show", "", map[string]any{"userId": w.alice.ID})),
	} {
		if got := stringsOf(m["pinnedNoteIds"]); !slices.Equal(got, want) {
			t.Errorf("%s: pinnedNoteIds %v, want %v", name, got, want)
		}
		pinned := m["pinnedNotes"].([]any)
		if len(pinned) != 4 || pinned[0].(map[string]any)["id"] != want[0] || pinned[3].(map[string]any)["id"] != want[3] {
			t.Errorf("%s: pinnedNotes %v", name, pinned)
		}
	}
	if got := w.e.PinnedNoteIDs(w.alice.ID); !slices.Equal(got, want) {
		t.Errorf("PinnedNoteIDs %v", got)
	}
	// Unpin and pin again: it moves to the front.
	w.ok("i/unpin", map[string]any{"noteId": notes[2]})
	w.ok("i/pin", map[string]any{"noteId": notes[2]})
	if got := w.e.PinnedNoteIDs(w.alice.ID); !slices.Equal(got, []string{notes[2], notes[1], notes[3], notes[0]}) {
		t.Errorf("after re-pin %v", got)
	}
}

func TestPinErrors(t *testing.T) {
	w := newWorld(t, Options{})
	bobsNote := w.e.CreateNote(w.bob.ID, "bob's")
	wantError(t, w.as("i/pin", map[string]any{"noteId": bobsNote}), http.StatusBadRequest, "NO_SUCH_NOTE", "56734f8b-3928-431e-bf80-6ff87df40cb3")
	wantError(t, w.as("i/pin", map[string]any{"noteId": "nothing00000000"}), http.StatusBadRequest, "NO_SUCH_NOTE", "56734f8b-3928-431e-bf80-6ff87df40cb3")

	w.e.SetPolicy(w.alice.ID, "pinLimit", 2)
	a, b, c := w.e.CreateNote(w.alice.ID, "a"), w.e.CreateNote(w.alice.ID, "b"), w.e.CreateNote(w.alice.ID, "c")
	w.ok("i/pin", map[string]any{"noteId": a})
	wantError(t, w.as("i/pin", map[string]any{"noteId": a}), http.StatusBadRequest, "ALREADY_PINNED", "8b18c2b7-68fe-4edb-9892-c0cbaeb6c913")
	w.ok("i/pin", map[string]any{"noteId": b})
	wantError(t, w.as("i/pin", map[string]any{"noteId": c}), http.StatusBadRequest, "PIN_LIMIT_EXCEEDED", "72dab508-c64d-498f-8740-a8eec1ba385a")
	// At the limit, pinning an already pinned note is PIN_LIMIT_EXCEEDED:
	// the service counts before it looks for duplicates.
	wantError(t, w.as("i/pin", map[string]any{"noteId": a}), http.StatusBadRequest, "PIN_LIMIT_EXCEEDED", "72dab508-c64d-498f-8740-a8eec1ba385a")

	// Unpin: a note that is not pinned is fine, another user's is not.
	w.ok("i/unpin", map[string]any{"noteId": c})
	wantError(t, w.as("i/unpin", map[string]any{"noteId": bobsNote}), http.StatusBadRequest, "NO_SUCH_NOTE", "454170ce-9d63-4a43-9da1-ea10afe81e21")
	me := w.ok("i/unpin", map[string]any{"noteId": a})
	if got := stringsOf(me["pinnedNoteIds"]); !slices.Equal(got, []string{b}) {
		t.Errorf("after unpin %v", got)
	}
	if _, secret := me["email"]; secret {
		t.Error("i/unpin answered with secrets")
	}
	// PinNote reports the same errors.
	if err := w.e.PinNote(w.alice.ID, b); err == nil {
		t.Error("PinNote of a pinned note succeeded")
	}
}

// A permission check: i/pin needs write:account.
func TestPinNeedsWriteAccount(t *testing.T) {
	w := newWorld(t, Options{})
	id := w.e.CreateNote(w.alice.ID, "a")
	tok := w.e.IssueToken(w.alice.ID, []string{"read:account", "write:notes"})
	wantError(t, post(t, w.e, "i/pin", tok, map[string]any{"noteId": id}), http.StatusForbidden, "PERMISSION_DENIED", "1370e5b7-d4eb-4566-bb1d-7748ee6a1838")
}
