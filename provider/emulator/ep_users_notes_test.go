package emulator

import (
	"testing"
	"time"
)

func TestUsersNotesNewestFirstAndSinceDate(t *testing.T) {
	e, clock := newTestEmulator(t, Options{})
	u := e.CreateUser("alice")
	first := e.CreateNote(u.ID, "first")
	clock.Advance(time.Minute)
	cut := clock.Now().UnixMilli()
	clock.Advance(time.Minute)
	second := e.CreateNote(u.ID, "second")
	clock.Advance(time.Second)
	third := e.CreateNote(u.ID, "third")

	all := post(t, e, "users/notes", e.IssueToken(u.ID, []string{"read:account"}), map[string]any{"userId": u.ID, "limit": 10}).list(t)
	if len(all) != 3 || all[0].(map[string]any)["id"] != third || all[2].(map[string]any)["id"] != first {
		t.Fatalf("notes %v", all)
	}
	since := post(t, e, "users/notes", "", map[string]any{"userId": u.ID, "sinceDate": cut, "limit": 10}).list(t)
	if len(since) != 2 || since[0].(map[string]any)["id"] != second {
		t.Fatalf("sinceDate: %v", since)
	}
	// The endpoint never looks the user up: an unknown one has no notes.
	if a := post(t, e, "users/notes", "", map[string]any{"userId": "nosuch"}); a.Status != 200 || len(a.list(t)) != 0 {
		t.Fatalf("missing user: %d %s", a.Status, a.Body)
	}
}
