package emulator

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestNotesCreate(t *testing.T) {
	w := newWorld(t, Options{})
	got := w.ok("notes/create", map[string]any{
		"text": "  hello  ", "cw": "spoiler", "visibility": "home", "localOnly": true, "reactionAcceptance": "likeOnly",
	})["createdNote"].(map[string]any)
	if got["text"] != "hello" || got["cw"] != "spoiler" || got["visibility"] != "home" || got["localOnly"] != true ||
		got["reactionAcceptance"] != "likeOnly" || got["userId"] != w.alice.ID || got["clippedCount"] != 0.0 {
		t.Errorf("created note %v", got)
	}
	if _, ok := got["visibleUserIds"]; ok {
		t.Error("visibleUserIds on a home note")
	}
	if user := got["user"].(map[string]any); user["username"] != "alice" {
		t.Errorf("user %v", user)
	}
	// Defaults: public, not local-only, reactionAcceptance null.
	plain := w.ok("notes/create", map[string]any{"text": "plain"})["createdNote"].(map[string]any)
	if plain["visibility"] != "public" || plain["localOnly"] != false || plain["reactionAcceptance"] != nil || plain["cw"] != nil {
		t.Errorf("defaults %v", plain)
	}
	// specified: unknown ids are dropped.
	dm := w.ok("notes/create", map[string]any{"text": "psst", "visibility": "specified", "visibleUserIds": []any{w.bob.ID, "nobody0000000000"}})["createdNote"].(map[string]any)
	if v := dm["visibleUserIds"].([]any); len(v) != 1 || v[0] != w.bob.ID {
		t.Errorf("visibleUserIds %v", v)
	}
	// notes/show returns the same note; notesCount counts all three.
	shown := w.ok("notes/show", map[string]any{"noteId": got["id"]})
	if shown["text"] != "hello" || shown["id"] != got["id"] {
		t.Errorf("notes/show %v", shown)
	}
	if n := w.ok("i", nil)["notesCount"]; n != 3.0 {
		t.Errorf("notesCount %v", n)
	}
	if notes := w.e.NotesOf(w.alice.ID); len(notes) != 3 || *notes[0].Text != "hello" || notes[2].Visibility != "specified" {
		t.Errorf("NotesOf %+v", notes)
	}
	// A silenced user (canPublicNote false) posts home instead of public.
	w.e.SetPolicy(w.alice.ID, "canPublicNote", false)
	if v := w.ok("notes/create", map[string]any{"text": "x"})["createdNote"].(map[string]any)["visibility"]; v != "home" {
		t.Errorf("silenced visibility %v", v)
	}
}

func TestNotesCreateValidation(t *testing.T) {
	w := newWorld(t, Options{})
	for name, body := range map[string]map[string]any{
		"no text":        {},
		"blank text":     {"text": "   "},
		"text too long":  {"text": strings.Repeat("a", 3001)},
		"cw too long":    {"text": "a", "cw": strings.Repeat("a", 101)},
		"empty cw":       {"text": "a", "cw": ""},
		"bad visibility": {"text": "a", "visibility": "friends"},
		"17 files": {"fileIds": func() []any {
			var f []any
			for i := range 17 {
				f = append(f, "f"+strings.Repeat("x", i+1))
			}
			return f
		}()},
		"one poll choice": {"poll": map[string]any{"choices": []any{"only"}}},
	} {
		if a := w.as("notes/create", body); a.Status != http.StatusBadRequest {
			t.Errorf("%s: %d %s", name, a.Status, a.Body)
		} else if code, _ := a.errorCode(t); code != "INVALID_PARAM" {
			t.Errorf("%s: %s", name, code)
		}
	}
	w.e.ResetViolations()
	if len(w.e.NotesOf(w.alice.ID)) != 0 {
		t.Error("a refused note was stored")
	}
	// 3000 characters are fine.
	w.ok("notes/create", map[string]any{"text": strings.Repeat("a", 3000)})
}

func TestNotesCreateErrors(t *testing.T) {
	w := newWorld(t, Options{})
	bobsFile := w.e.AddDriveFile(w.bob.ID, "", "b.bin")
	bobsFollowersOnly := mustOK(t, post(t, w.e, "notes/create", w.bobTok, map[string]any{"text": "for followers", "visibility": "followers"}))["createdNote"].(map[string]any)["id"]
	target := w.e.CreateNote(w.alice.ID, "target")
	pureRenote := w.ok("notes/create", map[string]any{"renoteId": target})["createdNote"].(map[string]any)["id"]
	past := float64(testStart.Add(-time.Hour).UnixMilli())

	for name, tt := range map[string]struct {
		body     map[string]any
		code, id string
	}{
		"foreign file":       {map[string]any{"fileIds": []any{bobsFile}}, "NO_SUCH_FILE", "b6992544-63e7-67f0-fa7f-32444b1b5306"},
		"missing renote":     {map[string]any{"renoteId": "nothing00000000"}, "NO_SUCH_RENOTE_TARGET", "b5c90186-4ab0-49c8-9bba-a1f76c282ba4"},
		"renote a renote":    {map[string]any{"renoteId": pureRenote}, "CANNOT_RENOTE_TO_A_PURE_RENOTE", "fd4cc33e-2a37-48dd-99cc-9b806eb2031a"},
		"renote followers":   {map[string]any{"renoteId": bobsFollowersOnly}, "CANNOT_RENOTE_DUE_TO_VISIBILITY", "be9529e9-fe72-4de0-ae43-0b363c4938af"},
		"missing reply":      {map[string]any{"text": "a", "replyId": "nothing00000000"}, "NO_SUCH_REPLY_TARGET", "749ee0f6-d3da-459a-bf02-282e2da4292c"},
		"reply to a renote":  {map[string]any{"text": "a", "replyId": pureRenote}, "CANNOT_REPLY_TO_A_PURE_RENOTE", "3ac74a84-8fd5-4bb0-870f-01804f82ce15"},
		"reply to invisible": {map[string]any{"text": "a", "replyId": bobsFollowersOnly}, "CANNOT_REPLY_TO_AN_INVISIBLE_NOTE", "b98980fa-3780-406c-a935-b6d0eeee10d1"},
		"expired poll":       {map[string]any{"poll": map[string]any{"choices": []any{"a", "b"}, "expiresAt": past}}, "CANNOT_CREATE_ALREADY_EXPIRED_POLL", "04da457d-b083-4055-9082-955525eda5a5"},
		"channel":            {map[string]any{"text": "a", "channelId": "chan00000000000"}, "NO_SUCH_CHANNEL", "b1653923-5453-4edc-b786-7c4f39bb0bbb"},
	} {
		a := w.as("notes/create", tt.body)
		if a.Status != http.StatusBadRequest {
			t.Errorf("%s: %d %s", name, a.Status, a.Body)
			continue
		}
		if code, id := a.errorCode(t); code != tt.code || id != tt.id {
			t.Errorf("%s: %s %s, want %s", name, code, id, tt.code)
		}
	}
	if n := len(w.e.NotesOf(w.alice.ID)); n != 2 {
		t.Errorf("alice has %d notes after refusals, want 2", n)
	}
}

func TestNotesCreateRelations(t *testing.T) {
	w := newWorld(t, Options{})
	file := w.e.AddDriveFile(w.alice.ID, "", "a.bin")
	target := w.e.CreateNote(w.alice.ID, "target")
	reply := w.ok("notes/create", map[string]any{"text": "re", "replyId": target, "fileIds": []any{file}})["createdNote"].(map[string]any)
	if reply["replyId"] != target || reply["reply"].(map[string]any)["text"] != "target" {
		t.Errorf("reply %v", reply)
	}
	if f := reply["files"].([]any); len(f) != 1 || f[0].(map[string]any)["id"] != file || reply["fileIds"].([]any)[0] != file {
		t.Errorf("files %v", reply["files"])
	}
	renote := w.ok("notes/create", map[string]any{"renoteId": target})["createdNote"].(map[string]any)
	if renote["text"] != nil || renote["renote"].(map[string]any)["id"] != target {
		t.Errorf("renote %v", renote)
	}
	poll := w.ok("notes/create", map[string]any{"text": "vote", "poll": map[string]any{"choices": []any{"a", "b"}, "expiredAfter": 60000}})["createdNote"].(map[string]any)
	p := poll["poll"].(map[string]any)
	if p["expiresAt"] != jsDate(testStart.Add(time.Minute)) || len(p["choices"].([]any)) != 2 {
		t.Errorf("poll %v", p)
	}
	// Renoting one's own note does not count (NoteCreateService), a
	// renote by someone else does.
	shown := w.ok("notes/show", map[string]any{"noteId": target})
	if shown["repliesCount"] != 1.0 || shown["renoteCount"] != 0.0 {
		t.Errorf("counters %v %v", shown["repliesCount"], shown["renoteCount"])
	}
	mustOK(t, post(t, w.e, "notes/create", w.bobTok, map[string]any{"renoteId": target}))
	if shown := w.ok("notes/show", map[string]any{"noteId": target}); shown["renoteCount"] != 1.0 {
		t.Errorf("renoteCount after bob's renote %v", shown["renoteCount"])
	}
}

func TestNotesShowHidesInvisible(t *testing.T) {
	w := newWorld(t, Options{})
	secret := w.ok("notes/create", map[string]any{"text": "secret", "cw": "cw", "visibility": "followers"})["createdNote"].(map[string]any)["id"]
	hidden := mustOK(t, post(t, w.e, "notes/show", w.bobTok, map[string]any{"noteId": secret}))
	if hidden["isHidden"] != true || hidden["text"] != nil || hidden["cw"] != nil {
		t.Errorf("not hidden from a non-follower: %v", hidden)
	}
	anon := mustOK(t, post(t, w.e, "notes/show", "", map[string]any{"noteId": secret}))
	if anon["isHidden"] != true {
		t.Errorf("not hidden from anonymous: %v", anon)
	}
	w.e.SeedFollows(w.bob.ID, []string{w.alice.ID})
	shown := mustOK(t, post(t, w.e, "notes/show", w.bobTok, map[string]any{"noteId": secret}))
	if _, h := shown["isHidden"]; h || shown["text"] != "secret" {
		t.Errorf("hidden from a follower: %v", shown)
	}
	wantError(t, w.as("notes/show", map[string]any{"noteId": "nothing00000000"}), 400, "NO_SUCH_NOTE", "24fcbfc6-2e37-42b6-8388-c29b3861a08d")
}

func TestNotesDelete(t *testing.T) {
	w := newWorld(t, Options{})
	id := w.e.CreateNote(w.alice.ID, "bye")
	mustOK(t, post(t, w.e, "notes/create", w.bobTok, map[string]any{"text": "x", "replyId": id})) // bob's reply to it
	bobsNote := w.e.CreateNote(w.bob.ID, "bob")
	if err := w.e.PinNote(w.alice.ID, id); err != nil {
		t.Fatal(err)
	}

	wantError(t, w.as("notes/delete", map[string]any{"noteId": bobsNote}), 400, "ACCESS_DENIED", "fe8d7103-0ea8-4ec3-814d-f8b401dc69e9")
	w.noContent("notes/delete", map[string]any{"noteId": id})
	wantError(t, w.as("notes/delete", map[string]any{"noteId": id}), 400, "NO_SUCH_NOTE", "490be23f-8c1f-4796-819f-94cb4f9d1630")
	wantError(t, w.as("notes/show", map[string]any{"noteId": id}), 400, "NO_SUCH_NOTE", "24fcbfc6-2e37-42b6-8388-c29b3861a08d")

	// A real server does not decrement notesCount on delete.
	me := w.ok("i", nil)
	if me["notesCount"] != 1.0 || len(me["pinnedNoteIds"].([]any)) != 0 || len(w.e.PinnedNoteIDs(w.alice.ID)) != 0 {
		t.Errorf("after delete: notesCount %v, pins %v", me["notesCount"], me["pinnedNoteIds"])
	}
	// The reply went with it (ON DELETE CASCADE); bob's other note stays.
	if notes := w.e.NotesOf(w.bob.ID); len(notes) != 1 || notes[0].ID != bobsNote {
		t.Errorf("bob's notes %+v", notes)
	}
}

// notes/delete allows 300 an hour and one a second.
func TestNotesDeleteMinInterval(t *testing.T) {
	w := newWorld(t, Options{RateLimits: true})
	a, b := w.e.CreateNote(w.alice.ID, "a"), w.e.CreateNote(w.alice.ID, "b")
	w.noContent("notes/delete", map[string]any{"noteId": a})
	got := w.as("notes/delete", map[string]any{"noteId": b})
	wantError(t, got, http.StatusTooManyRequests, "RATE_LIMIT_EXCEEDED", "d5826d14-3982-4d2e-8011-b9e9f02499ef")
	if got.Header.Get("Retry-After") != "1" {
		t.Errorf("Retry-After %q", got.Header.Get("Retry-After"))
	}
	w.clock.Advance(time.Second)
	w.noContent("notes/delete", map[string]any{"noteId": b})
	if !slices.Equal(w.e.PinnedNoteIDs(w.alice.ID), nil) || len(w.e.NotesOf(w.alice.ID)) != 0 {
		t.Error("notes left")
	}
}
