package emulator

import (
	"net/http"
	"strings"
	"testing"
)

func TestMiAuthConsentPage(t *testing.T) {
	e, _ := newTestEmulator(t, Options{Name: "Test Instance"})
	a := raw(t, e, http.MethodGet,
		"/miauth/7c9e6679-7425-40de-944b-e07fc1f90ae7?name=mkctl&callback=http://127.0.0.1:4242/callback&permission=read:account,write:notes,read:notes,read:account", nil, "")
	if a.Status != http.StatusOK || !strings.HasPrefix(a.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("%d %s", a.Status, a.Header.Get("Content-Type"))
	}
	body := string(a.Body)
	for _, want := range []string{
		"mkctl wants to access your account",
		"<li>read:account</li>", "<li>write:notes</li>",
		"Ignored, unknown to Misskey: read:notes", // there is no read:notes kind
		"goes back to http://127.0.0.1:4242/callback",
		"Test Instance",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q:\n%s", want, body)
		}
	}
	if strings.Count(body, "<li>read:account</li>") != 1 {
		t.Error("a repeated permission is listed twice")
	}
	// The session is only where the buttons post to.
	if n := strings.Count(body, "7c9e6679"); n != 2 || strings.Count(body, `action="/miauth/7c9e6679-7425-40de-944b-e07fc1f90ae7/`) != 2 {
		t.Errorf("the session appears %d times:\n%s", n, body)
	}
	// Viewing the page approves nothing.
	if got := check(t, e, "7c9e6679-7425-40de-944b-e07fc1f90ae7"); got["ok"] != false {
		t.Errorf("check after viewing: %v", got)
	}
}

func TestMiAuthConsentPageEscapesAndRefuses(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	a := raw(t, e, http.MethodGet, "/miauth/s?name=%3Cscript%3Ex%3C/script%3E&callback=javascript:alert(1)", nil, "")
	body := string(a.Body)
	if strings.Contains(body, "<script>") || !strings.Contains(body, "&lt;script&gt;") {
		t.Errorf("name not escaped:\n%s", body)
	}
	// The refused callback is carried on to Accept only as form data (the
	// real page makes the token, then refuses to go there).
	if !strings.Contains(body, "return address is refused") || strings.Count(body, "alert(1)") != 1 ||
		!strings.Contains(body, `<input type="hidden" name="callback" value="javascript:alert(1)">`) || strings.Contains(body, "goes back to") {
		t.Errorf("javascript: callback not refused:\n%s", body)
	}
	if a := raw(t, e, http.MethodPost, "/miauth/s", nil, ""); a.Status != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", a.Status)
	}
	for _, p := range []string{"/miauth/", "/miauth/s/x", "/miauth/s/accept/x", "/elsewhere"} {
		if a := raw(t, e, http.MethodGet, p, nil, ""); a.Status != http.StatusNotFound {
			t.Errorf("GET %s: %d", p, a.Status)
		}
	}
}

func TestAccessTokensOf(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	alice := e.CreateUser("alice")
	bob := e.CreateUser("bob")
	e.ApproveMiAuth(alice.ID, "s1", "mkctl", []string{"read:account"})
	e.IssueToken(bob.ID, []string{"write:notes"})
	got := e.AccessTokensOf(alice.ID)
	if len(got) != 1 || got[0].Name == nil || *got[0].Name != "mkctl" || len(got[0].Token) != 32 ||
		got[0].Session == nil || *got[0].Session != "s1" || strings.Join(got[0].Permission, ",") != "read:account" {
		t.Fatalf("%+v", got)
	}
	got[0].Permission[0] = "changed"
	if e.AccessTokensOf(alice.ID)[0].Permission[0] != "read:account" {
		t.Error("AccessTokensOf shares the stored permission slice")
	}
}
