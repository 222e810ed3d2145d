package emulator

import (
	"net/http"
	"strings"
	"testing"
)

func TestAuthTokenInBodyOrHeader(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	alice := e.CreateUser("alice")
	app := e.IssueToken(alice.ID, []string{"read:account"})
	native := e.NativeToken(alice.ID)
	if len(native) != 16 || len(app) != 32 {
		t.Fatalf("token lengths %d and %d, want 16 (native) and 32 (access token)", len(native), len(app))
	}
	if e.IssueToken(alice.ID, nil) != native {
		t.Error("IssueToken without permissions is not the native token")
	}

	for name, a := range map[string]answer{
		"body i":        post(t, e, "i", app, nil),
		"bearer header": postBearer(t, e, "i", app, nil),
		"native body":   post(t, e, "i", native, nil),
	} {
		if got := mustOK(t, a)["username"]; got != "alice" {
			t.Errorf("%s: username %v", name, got)
		}
	}

	// The header wins over the body; "bearer" in lower case is no header.
	bob := e.CreateUser("bob")
	bobToken := e.IssueToken(bob.ID, []string{"read:account"})
	a := raw(t, e, http.MethodPost, "/api/i", http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + bobToken}}, `{"i":"`+app+`"}`)
	if got := mustOK(t, a)["username"]; got != "bob" {
		t.Errorf("header and body: %v, want the header's user bob", got)
	}
	a = raw(t, e, http.MethodPost, "/api/i", http.Header{"Content-Type": {"application/json"}, "Authorization": {"bearer " + bobToken}}, `{"i":"`+app+`"}`)
	if got := mustOK(t, a)["username"]; got != "alice" {
		t.Errorf("lower-case bearer: %v, want the body's user alice", got)
	}

	// Secrets only for a native token.
	if _, ok := mustOK(t, post(t, e, "i", native, nil))["email"]; !ok {
		t.Error("native token: no email in i")
	}
	if _, ok := mustOK(t, post(t, e, "i", app, nil))["email"]; ok {
		t.Error("access token: email in i")
	}
}

func TestAuthFailures(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	alice := e.CreateUser("alice")
	app := e.IssueToken(alice.ID, []string{"read:account"})
	tests := []struct {
		name   string
		answer answer
		status int
		code   string
		header string
	}{
		{"missing", post(t, e, "i", "", nil), 401, "CREDENTIAL_REQUIRED", `Bearer realm="Misskey"`},
		{"bad access token", post(t, e, "i", strings.Repeat("a", 32), nil), 401, "AUTHENTICATION_FAILED",
			`Bearer realm="Misskey", error="invalid_token", error_description="Authentication failed. Please ensure your token is correct."`},
		{"bad native token", post(t, e, "i", strings.Repeat("a", 16), nil), 401, "AUTHENTICATION_FAILED", ""},
		{"bad bearer", postBearer(t, e, "i", "nope", nil), 401, "AUTHENTICATION_FAILED", ""},
		// Authentication runs before the secure check and the rate limit:
		// a bad token on a secure endpoint is still a 401.
		{"bad token on secure", post(t, e, "miauth/gen-token", "nope", map[string]any{"session": nil, "permission": []any{}}), 401, "AUTHENTICATION_FAILED", ""},
		// The secure check runs before the credential check.
		{"secure without token", post(t, e, "miauth/gen-token", "", map[string]any{"session": nil, "permission": []any{}}), 400, "ACCESS_DENIED",
			`Bearer realm="Misskey", error="invalid_request", error_description="Access denied."`},
		{"secure with access token", post(t, e, "miauth/gen-token", app, map[string]any{"session": nil, "permission": []any{}}), 400, "ACCESS_DENIED", ""},
		{"kind missing", post(t, e, "i/update", app, map[string]any{"name": "x"}), 403, "PERMISSION_DENIED",
			`Bearer realm="Misskey", error="insufficient_scope", error_description="Your app does not have the necessary permissions to use this endpoint."`},
		// The permission check comes before validation.
		{"kind missing, invalid body", post(t, e, "i/update", app, map[string]any{"name": ""}), 403, "PERMISSION_DENIED", ""},
	}
	for _, tt := range tests {
		if tt.answer.Status != tt.status {
			t.Errorf("%s: status %d, want %d (%s)", tt.name, tt.answer.Status, tt.status, tt.answer.Body)
			continue
		}
		if code, _ := tt.answer.errorCode(t); code != tt.code {
			t.Errorf("%s: %s, want %s", tt.name, code, tt.code)
		}
		if h := tt.answer.Header.Get("WWW-Authenticate"); tt.header != "" && h != tt.header {
			t.Errorf("%s: WWW-Authenticate %q, want %q", tt.name, h, tt.header)
		}
	}
}

func TestAuthTokenNotAString(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	a := raw(t, e, http.MethodPost, "/api/i", http.Header{"Content-Type": {"application/json"}}, `{"i":42}`)
	if a.Status != http.StatusBadRequest || len(a.Body) != 0 {
		t.Errorf("status %d body %q, want a bare 400", a.Status, a.Body)
	}
	if v := e.Violations(); len(v) != 1 || v[0].Kind != ViolationBadRequest {
		t.Errorf("violations %v", v)
	}
	e.ResetViolations()
	// null is no token at all.
	a = raw(t, e, http.MethodPost, "/api/meta", http.Header{"Content-Type": {"application/json"}}, `{"i":null}`)
	if a.Status != http.StatusOK {
		t.Errorf("i: null on meta: %d %s", a.Status, a.Body)
	}
}

func TestAuthSuspendedUser(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	alice := e.CreateUser("alice")
	tok := e.NativeToken(alice.ID)
	e.UpdateUser(alice.ID, func(u *User) { u.IsSuspended = true })
	a := post(t, e, "i", tok, nil)
	if code, _ := a.errorCode(t); a.Status != http.StatusForbidden || code != "YOUR_ACCOUNT_SUSPENDED" {
		t.Errorf("%d %s", a.Status, a.Body)
	}
}

// An endpoint without a kind but with requireCredential refuses every
// third-party token; one without credential takes any token.
func TestAuthKindlessEndpoints(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	alice := e.CreateUser("alice")
	e.CreateUser("bob")
	none := e.IssueToken(alice.ID, []string{"write:notes"})
	if a := post(t, e, "users/show", none, map[string]any{"username": "bob"}); a.Status != http.StatusOK {
		t.Errorf("users/show with an unrelated permission: %d %s", a.Status, a.Body)
	}
	if a := post(t, e, "meta", none, nil); a.Status != http.StatusOK {
		t.Errorf("meta with a token: %d %s", a.Status, a.Body)
	}
}
