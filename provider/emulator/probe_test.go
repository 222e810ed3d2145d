package emulator

import (
	"net/http"
	"strings"
	"testing"
)

// A permission probe (an invalid body marked with X-Mkctl-Probe) gets the
// server's answers — PERMISSION_DENIED without the permission, INVALID_PARAM
// with it — and its INVALID_PARAM is not a violation; the same request
// without the header is one, and so is a probe's unknown parameter.
func TestPermissionProbeIsNotAViolation(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	alice := e.CreateUser("alice")
	without := e.IssueToken(alice.ID, []string{"read:account"})
	with := e.IssueToken(alice.ID, []string{"read:account", "write:following"})
	send := func(token string, probe bool, body string) answer {
		h := http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + token}}
		if probe {
			h.Set(ProbeHeader, ProbeValue)
		}
		return raw(t, e, http.MethodPost, "/api/following/requests/accept", h, body)
	}

	if a := send(without, true, `{}`); a.Status != http.StatusForbidden {
		t.Errorf("probe without the permission: %d %s", a.Status, a.Body)
	} else if code, _ := a.errorCode(t); code != "PERMISSION_DENIED" {
		t.Errorf("probe without the permission: %s", code)
	}
	a := send(with, true, `{}`)
	if code, _ := a.errorCode(t); a.Status != http.StatusBadRequest || code != "INVALID_PARAM" {
		t.Errorf("probe with the permission: %d %s", a.Status, a.Body)
	}
	if v := e.Violations(); len(v) != 0 {
		t.Fatalf("a probe was recorded as a violation: %v", v)
	}

	// Not marked: the same invalid body is a client mistake.
	send(with, false, `{}`)
	// Marked, but with a parameter the endpoint does not know: still one.
	send(with, true, `{"userID":"x"}`)
	v := e.Violations()
	if len(v) != 2 || v[0].Kind != ViolationInvalidParam || v[1].Kind != ViolationUnknownParam {
		t.Errorf("violations %v", v)
	}
	e.ResetViolations()
	if n := e.RequestCount("following/requests/accept"); n != 4 {
		t.Errorf("%d requests logged, want 4: probes are requests like any other", n)
	}
}

func TestNotesUnrenote(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	alice := e.CreateUser("alice")
	bob := e.CreateUser("bob")
	tok := e.IssueToken(alice.ID, allPermissions)
	original := e.CreateNote(bob.ID, "hello")
	for range 2 {
		mustOK(t, post(t, e, "notes/create", tok, map[string]any{"renoteId": original}))
	}
	quote := mustOK(t, post(t, e, "notes/create", tok, map[string]any{"renoteId": original, "text": "look"}))
	own := e.CreateNote(alice.ID, "mine")
	bobs := mustOK(t, post(t, e, "notes/create", e.IssueToken(bob.ID, allPermissions), map[string]any{"renoteId": original}))

	if a := post(t, e, "notes/unrenote", tok, map[string]any{"noteId": original}); a.Status != http.StatusNoContent {
		t.Fatalf("%d %s", a.Status, a.Body)
	}
	var left []string
	for _, n := range e.NotesOf(alice.ID) {
		left = append(left, n.ID)
	}
	if len(left) != 1 || left[0] != own {
		t.Errorf("alice's notes after unrenote: %v (quote %v)", left, quote["createdNote"])
	}
	if len(e.NotesOf(bob.ID)) != 2 {
		t.Errorf("bob's renote %v went too", bobs["createdNote"])
	}
	a := post(t, e, "notes/unrenote", tok, map[string]any{"noteId": "0000000000"})
	if code, id := a.errorCode(t); code != "NO_SUCH_NOTE" || id != "efd4a259-2442-496b-8dd7-b255aa1a160f" {
		t.Errorf("%s %s", code, id)
	}
	// kind write:notes.
	a = post(t, e, "notes/unrenote", e.IssueToken(alice.ID, []string{"read:account"}), map[string]any{"noteId": original})
	if code, _ := a.errorCode(t); code != "PERMISSION_DENIED" || !strings.Contains(string(a.Body), "1370e5b7") {
		t.Errorf("%d %s", a.Status, a.Body)
	}
}
