package emulator

import (
	"net/http"
	"testing"
)

func check(t *testing.T, e *Emulator, session string) map[string]any {
	t.Helper()
	a := raw(t, e, http.MethodPost, "/api/miauth/"+session+"/check", nil, "")
	return mustOK(t, a)
}

func TestMiAuthFlow(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	alice := e.CreateUser("alice")
	session := "7c9e6679-7425-40de-944b-e07fc1f90ae7"

	if got := check(t, e, session); len(got) != 1 || got["ok"] != false {
		t.Fatalf("before approval: %v", got)
	}

	// The web UI approves with the user's native token.
	a := post(t, e, "miauth/gen-token", e.NativeToken(alice.ID), map[string]any{
		"session": session, "name": "mkctl", "iconUrl": nil, "permission": []any{"read:account", "write:account"},
	})
	gen := mustOK(t, a)
	tok, _ := gen["token"].(string)
	if len(tok) != 32 {
		t.Fatalf("gen-token %v", gen)
	}

	got := check(t, e, session)
	if got["ok"] != true || got["token"] != tok {
		t.Fatalf("after approval: %v", got)
	}
	user, _ := got["user"].(map[string]any)
	if user["username"] != "alice" {
		t.Errorf("user %v", user)
	}
	if _, me := user["policies"]; me {
		t.Error("check returned MeDetailed; it is UserDetailedNotMe")
	}
	if again := check(t, e, session); again["ok"] != false || len(again) != 1 {
		t.Errorf("second check: %v", again)
	}

	// The token has exactly the approved permissions.
	if a := post(t, e, "i/update", tok, map[string]any{"location": "x"}); a.Status != http.StatusOK {
		t.Errorf("write:account: %d", a.Status)
	}
	if a := post(t, e, "miauth/gen-token", tok, map[string]any{"session": nil, "permission": []any{}}); a.Status != http.StatusBadRequest {
		t.Errorf("gen-token with an app token: %d, want ACCESS_DENIED", a.Status)
	}

	// The log names the route, never the session.
	for _, r := range e.Requests() {
		if r.Endpoint == "miauth/"+session+"/check" {
			t.Error("the session is in the request log")
		}
	}
}

func TestApproveMiAuth(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	alice := e.CreateUser("alice")
	e.ApproveMiAuth(alice.ID, "s1", "mkctl", []string{"read:account"})
	got := check(t, e, "s1")
	tok, _ := got["token"].(string)
	if got["ok"] != true || tok == "" {
		t.Fatalf("%v", got)
	}
	if a := post(t, e, "i", tok, nil); a.Status != http.StatusOK {
		t.Errorf("i: %d", a.Status)
	}
	if a := post(t, e, "i/update", tok, map[string]any{"name": "x"}); a.Status != http.StatusForbidden {
		t.Errorf("i/update without write:account: %d", a.Status)
	}
	if got := check(t, e, "other"); got["ok"] != false {
		t.Errorf("unknown session: %v", got)
	}
}

func TestMiAuthCheckIsPostOnly(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	a := raw(t, e, http.MethodGet, "/api/miauth/s/check", nil, "")
	if code, _ := a.errorCode(t); a.Status != http.StatusNotFound || code != "UNKNOWN_API_ENDPOINT" {
		t.Errorf("GET: %d %s", a.Status, a.Body)
	}
	if v := e.Violations(); len(v) != 1 {
		t.Errorf("violations %v", v)
	}
	e.ResetViolations()
}
