package emulator

import (
	"net/http"
	"reflect"
	"testing"
	"time"
)

func TestIUpdateSemantics(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	alice := e.CreateUser("alice")
	tok := e.NativeToken(alice.ID)
	update := func(body map[string]any) map[string]any {
		t.Helper()
		return mustOK(t, post(t, e, "i/update", tok, body))
	}

	me := update(map[string]any{
		"name":        "  Alice  ",
		"description": "line one\nline two",
		"lang":        "ja-JP",
		"isBot":       true,
		"chatScope":   "none",
		"fields": []any{
			map[string]any{"name": " Src ", "value": " https://example.org "},
			map[string]any{"name": "   ", "value": "dropped: blank name"},
			map[string]any{"name": "dropped: blank value", "value": "\u3000"},
		},
	})
	if me["name"] != "Alice" || me["description"] != "line one\nline two" || me["lang"] != "ja-JP" || me["isBot"] != true || me["chatScope"] != "none" {
		t.Errorf("after update: %v", me)
	}
	if want := []any{map[string]any{"name": "Src", "value": "https://example.org"}}; !reflect.DeepEqual(me["fields"], want) {
		t.Errorf("fields %v, want %v", me["fields"], want)
	}
	// Keys left out are left alone; i shows the same state.
	me = update(map[string]any{"location": "Tokyo"})
	if me["name"] != "Alice" || me["location"] != "Tokyo" {
		t.Errorf("partial update: %v", me)
	}
	if got := mustOK(t, post(t, e, "i", tok, nil)); got["location"] != "Tokyo" || got["isBot"] != true {
		t.Errorf("i: %v", got)
	}

	// Whitespace-only name and null clear it; null lang, [] fields clear.
	if me = update(map[string]any{"name": " \t "}); me["name"] != nil {
		t.Errorf("whitespace name: %v", me["name"])
	}
	me = update(map[string]any{"name": "A", "lang": nil, "fields": []any{}, "description": nil})
	if me["lang"] != nil || me["description"] != nil || len(me["fields"].([]any)) != 0 {
		t.Errorf("clearing: %v %v %v", me["lang"], me["description"], me["fields"])
	}
	if me = update(map[string]any{"name": nil}); me["name"] != nil {
		t.Errorf("null name: %v", me["name"])
	}

	// requireSigninToViewContents is in the answer only when true.
	if _, ok := me["requireSigninToViewContents"]; ok {
		t.Error("requireSigninToViewContents present while false")
	}
	if me = update(map[string]any{"requireSigninToViewContents": true}); me["requireSigninToViewContents"] != true {
		t.Errorf("requireSigninToViewContents: %v", me["requireSigninToViewContents"])
	}
	// makeNotesHiddenBefore likewise, only when set.
	if me = update(map[string]any{"makeNotesHiddenBefore": -86400}); me["makeNotesHiddenBefore"] != -86400.0 {
		t.Errorf("makeNotesHiddenBefore: %v", me["makeNotesHiddenBefore"])
	}
	if me = update(map[string]any{"makeNotesHiddenBefore": nil}); me["makeNotesHiddenBefore"] != nil {
		t.Errorf("makeNotesHiddenBefore after null: %v", me["makeNotesHiddenBefore"])
	}
	if _, ok := me["makeNotesHiddenBefore"]; ok {
		t.Error("makeNotesHiddenBefore present while null")
	}
}

func TestIUpdateAlsoKnownAs(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	alice := e.CreateUser("alice")
	bob := e.CreateUser("bob")
	carol := e.CreateRemoteUser("carol", "remote.example")
	tok := e.NativeToken(alice.ID)

	me := mustOK(t, post(t, e, "i/update", tok, map[string]any{
		"alsoKnownAs": []any{"@bob", "@carol@Remote.Example", "bob@127.0.0.1:3000"},
	}))
	// Stored as URIs (bob twice collapses), answered as user ids.
	if want := []any{bob.ID, carol.ID}; !reflect.DeepEqual(me["alsoKnownAs"], want) {
		t.Errorf("alsoKnownAs %v, want %v", me["alsoKnownAs"], want)
	}
	if got := e.UserByID(alice.ID).AlsoKnownAs; !reflect.DeepEqual(got, []string{"http://127.0.0.1:3000/users/" + bob.ID, "https://remote.example/users/carol"}) {
		t.Errorf("stored %v", got)
	}

	for name, tt := range map[string]struct {
		accts []any
		code  string
		id    string
	}{
		"unknown local":  {[]any{"@nobody"}, "NO_SUCH_USER", "fcd2eef9-a9b2-4c4f-8624-038099e90aa5"},
		"unknown remote": {[]any{"@dave@elsewhere.example"}, "NO_SUCH_USER", "fcd2eef9-a9b2-4c4f-8624-038099e90aa5"},
		"empty":          {[]any{""}, "NO_SUCH_USER", "fcd2eef9-a9b2-4c4f-8624-038099e90aa5"},
		"yourself":       {[]any{"@bob", "@alice"}, "FORBIDDEN_TO_SET_YOURSELF", "25c90186-4ab0-49c8-9bba-a1fa6c202ba4"},
	} {
		a := post(t, e, "i/update", tok, map[string]any{"alsoKnownAs": tt.accts, "location": "changed"})
		code, id := a.errorCode(t)
		if a.Status != http.StatusBadRequest || code != tt.code || id != tt.id {
			t.Errorf("%s: %d %s %s", name, a.Status, code, id)
		}
	}
	// Failed updates changed nothing.
	if loc := mustOK(t, post(t, e, "i", tok, nil))["location"]; loc != nil {
		t.Errorf("location %v after failed updates", loc)
	}

	// [] clears to null.
	if me := mustOK(t, post(t, e, "i/update", tok, map[string]any{"alsoKnownAs": []any{}})); me["alsoKnownAs"] != nil {
		t.Errorf("after []: %v", me["alsoKnownAs"])
	}
}

func TestIUpdateRoleAndReferenceErrors(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	alice := e.CreateUser("alice")
	tok := e.NativeToken(alice.ID)
	tests := []struct {
		name string
		body map[string]any
		code string
	}{
		{"avatar", map[string]any{"avatarId": "abc123"}, "NO_SUCH_AVATAR"},
		{"banner", map[string]any{"bannerId": "abc123"}, "NO_SUCH_BANNER"},
		{"page", map[string]any{"pinnedPageId": "abc123"}, "NO_SUCH_PAGE"},
		{"two decorations", map[string]any{"avatarDecorations": []any{map[string]any{"id": "a"}, map[string]any{"id": "b"}}}, "RESTRICTED_BY_ROLE"},
		{"muted word not a regexp", map[string]any{"mutedWords": []any{"plain"}}, "INVALID_REGEXP"},
		{"muted regexp RE2 refuses", map[string]any{"mutedWords": []any{`/(?<=a)b/`}}, "INVALID_REGEXP"},
		{"too many muted words", map[string]any{"mutedWords": []any{[]any{string(make([]byte, 201))}}}, "TOO_MANY_MUTED_WORDS"},
	}
	for _, tt := range tests {
		a := post(t, e, "i/update", tok, tt.body)
		if code, _ := a.errorCode(t); a.Status != http.StatusBadRequest || code != tt.code {
			t.Errorf("%s: %d %s, want %s", tt.name, a.Status, a.Body, tt.code)
		}
	}
	// Valid mute words and clearing images work.
	me := mustOK(t, post(t, e, "i/update", tok, map[string]any{
		"mutedWords": []any{[]any{"spoiler", "ending"}, "/foo.*bar/i"}, "avatarId": nil, "avatarDecorations": []any{},
	}))
	if want := []any{[]any{"spoiler", "ending"}, "/foo.*bar/i"}; !reflect.DeepEqual(me["mutedWords"], want) {
		t.Errorf("mutedWords %v", me["mutedWords"])
	}
	// Policies gate.
	e.SetPolicy(alice.ID, "alwaysMarkNsfw", true)
	a := post(t, e, "i/update", tok, map[string]any{"alwaysMarkNsfw": false})
	if code, _ := a.errorCode(t); code != "RESTRICTED_BY_ROLE" {
		t.Errorf("alwaysMarkNsfw under a forcing policy: %s", a.Body)
	}
	e.SetPolicy(alice.ID, "canUpdateBioMedia", false)
	a = post(t, e, "i/update", tok, map[string]any{"avatarId": "abc123"})
	if code, _ := a.errorCode(t); code != "RESTRICTED_BY_ROLE" {
		t.Errorf("avatar without canUpdateBioMedia: %s", a.Body)
	}
}

func TestILoggedInDays(t *testing.T) {
	e, clock := newTestEmulator(t, Options{})
	alice := e.CreateUser("alice")
	tok := e.NativeToken(alice.ID)
	post(t, e, "i", tok, nil)
	post(t, e, "i", tok, nil)
	clock.Advance(24 * time.Hour)
	if days := mustOK(t, post(t, e, "i", tok, nil))["loggedInDays"]; days != 2.0 {
		t.Errorf("loggedInDays %v, want 2", days)
	}
}
