package emulator

import (
	"net/http"
	"testing"
)

func TestUsersShowForms(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	alice := e.CreateUser("alice")
	bob := e.CreateUser("Bob")
	carol := e.CreateRemoteUser("carol", "remote.example")
	tok := e.IssueToken(alice.ID, []string{"read:account"})

	show := func(body map[string]any) answer { return post(t, e, "users/show", tok, body) }
	for name, tt := range map[string]struct {
		body map[string]any
		id   string
	}{
		"userId":             {map[string]any{"userId": bob.ID}, bob.ID},
		"username any case":  {map[string]any{"username": "bob"}, bob.ID},
		"host null":          {map[string]any{"username": "BOB", "host": nil}, bob.ID},
		"local host":         {map[string]any{"username": "bob", "host": "127.0.0.1:3000"}, bob.ID},
		"remote":             {map[string]any{"username": "carol", "host": "REMOTE.example"}, carol.ID},
		"userId beats name":  {map[string]any{"userId": bob.ID, "username": "alice"}, bob.ID},
		"host without local": {map[string]any{"userId": carol.ID}, carol.ID},
	} {
		got := mustOK(t, show(tt.body))
		if got["id"] != tt.id {
			t.Errorf("%s: id %v, want %s", name, got["id"], tt.id)
		}
	}

	remote := mustOK(t, show(map[string]any{"userId": carol.ID}))
	if remote["host"] != "remote.example" || remote["uri"] != "https://remote.example/users/carol" || remote["publicReactions"] != false || remote["instance"] == nil {
		t.Errorf("remote user: %v", remote)
	}
	// Another user: relations, no MeDetailed fields.
	other := mustOK(t, show(map[string]any{"userId": bob.ID}))
	if other["isFollowing"] != false || other["notify"] != "none" {
		t.Errorf("relations: %v", other)
	}
	if _, ok := other["policies"]; ok {
		t.Error("another user's policies shown")
	}
	// Yourself: MeDetailed without secrets.
	self := mustOK(t, show(map[string]any{"userId": alice.ID}))
	if _, ok := self["policies"]; !ok {
		t.Error("users/show of yourself is not MeDetailed")
	}
	if _, ok := self["isFollowing"]; ok {
		t.Error("relation fields about yourself")
	}
	// Anonymous: no relations.
	anon := mustOK(t, post(t, e, "users/show", "", map[string]any{"userId": bob.ID}))
	if _, ok := anon["isFollowing"]; ok {
		t.Error("relation fields for an anonymous caller")
	}

	// userIds: requested order, missing ones dropped.
	list := show(map[string]any{"userIds": []any{carol.ID, "nosuchid", bob.ID}}).list(t)
	if len(list) != 2 || list[0].(map[string]any)["id"] != carol.ID || list[1].(map[string]any)["id"] != bob.ID {
		t.Errorf("userIds: %v", list)
	}
	if list := show(map[string]any{"userIds": []any{}}).list(t); len(list) != 0 {
		t.Errorf("no ids: %v", list)
	}
}

func TestUsersShowErrors(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	alice := e.CreateUser("alice")
	suspended := e.CreateUser("gone")
	e.UpdateUser(suspended.ID, func(u *User) { u.IsSuspended = true })
	tests := []struct {
		name   string
		body   map[string]any
		status int
		code   string
	}{
		{"no such username", map[string]any{"username": "nobody_here"}, 404, "NO_SUCH_USER"},
		{"no such id", map[string]any{"userId": "abc"}, 404, "NO_SUCH_USER"},
		{"suspended", map[string]any{"username": "gone"}, 404, "NO_SUCH_USER"},
		{"unknown remote", map[string]any{"username": "x", "host": "invalid.example"}, 500, "FAILED_TO_RESOLVE_REMOTE_USER"},
		// resolveUser on the local host fails as "failed to resolve" too.
		{"unknown on local host", map[string]any{"username": "x", "host": "127.0.0.1:3000"}, 500, "FAILED_TO_RESOLVE_REMOTE_USER"},
	}
	for _, tt := range tests {
		a := post(t, e, "users/show", e.NativeToken(alice.ID), tt.body)
		if code, _ := a.errorCode(t); a.Status != tt.status || code != tt.code {
			t.Errorf("%s: %d %s", tt.name, a.Status, a.Body)
		}
	}
	// The forms are checked by the schema.
	a := post(t, e, "users/show", "", map[string]any{})
	if a.Status != http.StatusBadRequest {
		t.Errorf("no form: %d", a.Status)
	}
	if v := e.Violations(); len(v) != 1 || v[0].Param != "#/allOf/0/anyOf/0/required" {
		t.Errorf("violations %v", v)
	}
	e.ResetViolations()
}

// A client that reaches the emulator under another host name (the sandbox
// transport, a test server) may use that host for local accounts.
func TestRequestHostIsLocal(t *testing.T) {
	e, _ := newTestEmulator(t, Options{URL: "https://misskey.example"})
	alice := e.CreateUser("alice")
	bob := e.CreateUser("bob")
	a := raw(t, e, http.MethodPost, "http://sandbox.local/api/users/show", http.Header{"Content-Type": {"application/json"}},
		`{"username":"bob","host":"sandbox.local"}`)
	if got := mustOK(t, a); got["id"] != bob.ID {
		t.Errorf("%v", got)
	}
	if got := mustOK(t, post(t, e, "users/show", "", map[string]any{"username": "bob", "host": "misskey.example"})); got["id"] != bob.ID {
		t.Errorf("configured host: %v", got)
	}
	if got := mustOK(t, post(t, e, "users/show", e.NativeToken(alice.ID), map[string]any{"userId": bob.ID})); got["avatarUrl"] != "https://misskey.example/identicon/bob@misskey.example" {
		t.Errorf("avatarUrl %v", got["avatarUrl"])
	}
}
