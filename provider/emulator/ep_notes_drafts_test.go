package emulator

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// A scheduled draft is posted when the emulator's clock reaches its time:
// a note with a new id created at that time, the draft gone; a draft whose
// file was deleted meanwhile stays (posting failed) and is not retried; a
// draft the update trap left without a time is never posted.
func TestDraftsPostedAtTheirTime(t *testing.T) {
	e, clock := newTestEmulator(t, Options{})
	alice := e.CreateUser("alice")
	e.SetPolicy(alice.ID, "scheduledNoteLimit", 5)
	tok := e.NativeToken(alice.ID)
	at := testStart.Add(time.Hour)
	create := func(body map[string]any) string {
		t.Helper()
		a := post(t, e, "notes/drafts/create", tok, body)
		var out struct {
			CreatedDraft struct{ ID string } `json:"createdDraft"`
		}
		if a.Status != http.StatusOK || json.Unmarshal(a.Body, &out) != nil {
			t.Fatalf("create: %d %s", a.Status, a.Body)
		}
		return out.CreatedDraft.ID
	}
	posted := create(map[string]any{"text": " hello ", "visibility": "home", "scheduledAt": at.UnixMilli(), "isActuallyScheduled": true})
	fileID := e.AddDriveFile(alice.ID, "", "gone.png")
	failing := create(map[string]any{"text": "with a file", "fileIds": []any{fileID}, "scheduledAt": at.UnixMilli(), "isActuallyScheduled": true})
	trapped := create(map[string]any{"text": "trapped", "scheduledAt": at.UnixMilli(), "isActuallyScheduled": true})
	if a := post(t, e, "notes/drafts/update", tok, map[string]any{"draftId": trapped, "text": "trapped!"}); a.Status != http.StatusOK {
		t.Fatalf("update: %d %s", a.Status, a.Body)
	}
	if a := post(t, e, "drive/files/delete", tok, map[string]any{"fileId": fileID}); a.Status != http.StatusNoContent {
		t.Fatalf("delete file: %d %s", a.Status, a.Body)
	}

	clock.Advance(time.Hour - time.Second)
	if a := post(t, e, "notes/drafts/count", tok, nil); string(a.Body) != "3" || len(e.NotesOf(alice.ID)) != 0 {
		t.Fatalf("before the time: count %s, %d notes", a.Body, len(e.NotesOf(alice.ID)))
	}
	clock.Advance(2 * time.Second)
	a := post(t, e, "notes/drafts/list", tok, nil)
	var left []struct{ ID string }
	if err := json.Unmarshal(a.Body, &left); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, d := range left {
		ids[d.ID] = true
	}
	if len(left) != 2 || ids[posted] || !ids[failing] || !ids[trapped] {
		t.Fatalf("drafts after the time %s", a.Body)
	}
	notes := e.NotesOf(alice.ID)
	if len(notes) != 1 || notes[0].ID == posted || *notes[0].Text != "hello" || notes[0].Visibility != "home" || !notes[0].CreatedAt.Equal(at) {
		t.Fatalf("notes %+v", notes)
	}
	clock.Advance(time.Hour)
	post(t, e, "notes/drafts/count", tok, nil)
	if n := len(e.NotesOf(alice.ID)); n != 1 {
		t.Errorf("%d notes: a failed or unscheduled draft was posted later", n)
	}
}
