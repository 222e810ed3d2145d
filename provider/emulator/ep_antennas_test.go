package emulator

import (
	"net/http"
	"reflect"
	"testing"
	"time"
)

func antennaBody(name string) map[string]any {
	return map[string]any{
		"name": name, "src": "all", "keywords": []any{[]any{"storm"}}, "excludeKeywords": []any{},
		"users": []any{}, "caseSensitive": false, "withReplies": false, "withFile": false,
	}
}

func TestAntennasCreate(t *testing.T) {
	w := newWorld(t, Options{})
	body := antennaBody("storms")
	body["keywords"] = []any{[]any{"storm"}, []any{"typhoon", "warning"}}
	body["users"] = []any{"@Bob", "carol@remote.example"}
	body["excludeBots"] = true
	got := w.ok("antennas/create", body)
	want := map[string]any{
		"name": "storms", "src": "all", "userListId": nil,
		"keywords": []any{[]any{"storm"}, []any{"typhoon", "warning"}}, "excludeKeywords": []any{},
		"users": []any{"@Bob", "carol@remote.example"}, "caseSensitive": false, "localOnly": false, "excludeBots": true,
		"withReplies": false, "withFile": false, "excludeNotesInSensitiveChannel": false,
		"isActive": true, "hasUnreadNote": false, "notify": false,
	}
	if !reflect.DeepEqual(dropKeys(got, "id", "createdAt"), want) {
		t.Errorf("created %v\nwant %v", got, want)
	}
	if shown := w.ok("antennas/show", map[string]any{"antennaId": got["id"]}); !reflect.DeepEqual(shown, got) {
		t.Errorf("show %v", shown)
	}
	wantError(t, post(t, w.e, "antennas/show", w.bobTok, map[string]any{"antennaId": got["id"]}), 400, "NO_SUCH_ANTENNA", "c06569fb-b025-4f23-b22d-1fcd20d2816b")

	// Only the exclude keywords may carry the word.
	onlyExclude := antennaBody("x")
	onlyExclude["keywords"], onlyExclude["excludeKeywords"] = []any{}, []any{[]any{"", "spam"}}
	w.ok("antennas/create", onlyExclude)

	for _, kw := range map[string][2]any{
		"empty arrays":  {[]any{}, []any{}},
		"empty inner":   {[]any{[]any{}}, []any{[]any{}}},
		"empty strings": {[]any{[]any{"", ""}}, []any{}},
	} {
		b := antennaBody("e")
		b["keywords"], b["excludeKeywords"] = kw[0], kw[1]
		wantError(t, w.as("antennas/create", b), 400, "EMPTY_KEYWORD", "53ee222e-1ddd-4f9a-92e5-9fb82ddb463a")
	}
	// Every listed parameter is required.
	missing := antennaBody("m")
	delete(missing, "withFile")
	wantError(t, w.as("antennas/create", missing), 400, "INVALID_PARAM", "3d81ceae-475f-4600-b2a8-2bc116157532")
	w.e.ResetViolations()
}

func TestAntennasCreateLimitsAndLists(t *testing.T) {
	w := newWorld(t, Options{})
	list := w.ok("users/lists/create", map[string]any{"name": "friends"})["id"]
	bobsList := mustOK(t, post(t, w.e, "users/lists/create", w.bobTok, map[string]any{"name": "bob's"}))["id"]

	withList := antennaBody("list")
	withList["src"], withList["userListId"] = "list", list
	if got := w.ok("antennas/create", withList); got["userListId"] != list {
		t.Errorf("list antenna %v", got)
	}
	withList["userListId"] = bobsList
	wantError(t, w.as("antennas/create", withList), 400, "NO_SUCH_USER_LIST", "95063e93-a283-4b8b-9aa5-bcdb8df69a7f")
	// With another src, userListId is neither checked nor stored.
	notList := antennaBody("not a list")
	notList["userListId"] = bobsList
	if got := w.ok("antennas/create", notList); got["userListId"] != nil {
		t.Errorf("userListId stored for src all: %v", got["userListId"])
	}

	// antennaLimit: checked before the list.
	w.e.SetPolicy(w.alice.ID, "antennaLimit", 3)
	w.ok("antennas/create", antennaBody("third"))
	wantError(t, w.as("antennas/create", antennaBody("fourth")), 400, "TOO_MANY_ANTENNAS", "faf47050-e8b5-438c-913c-db2b1576fde4")
	wantError(t, w.as("antennas/create", withList), 400, "TOO_MANY_ANTENNAS", "faf47050-e8b5-438c-913c-db2b1576fde4")
	if n := len(w.e.AntennasOf(w.alice.ID)); n != 3 {
		t.Errorf("%d antennas", n)
	}
}

func TestAntennasUpdate(t *testing.T) {
	w := newWorld(t, Options{})
	first := w.ok("antennas/create", antennaBody("first"))["id"]
	second := w.ok("antennas/create", antennaBody("second"))["id"]
	list := w.ok("users/lists/create", map[string]any{"name": "friends"})["id"]

	got := w.ok("antennas/update", map[string]any{"antennaId": first, "name": "renamed", "localOnly": true})
	if got["name"] != "renamed" || got["localOnly"] != true || got["keywords"].([]any)[0].([]any)[0] != "storm" || got["src"] != "all" {
		t.Errorf("partial update %v", got)
	}
	// The updated row is listed last (heap order), as in sample 37.
	if order := ids(w.okList("antennas/list", nil)); order[0] != second || order[1] != first {
		t.Errorf("list order %v", order)
	}
	// EMPTY_KEYWORD only when both arrays are sent.
	w.ok("antennas/update", map[string]any{"antennaId": first, "keywords": []any{}})
	wantError(t, w.as("antennas/update", map[string]any{"antennaId": first, "keywords": []any{}, "excludeKeywords": []any{[]any{""}}}), 400, "EMPTY_KEYWORD", "721aaff6-4e1b-4d88-8de6-877fae9f68c4")
	// Lists: looked up for src list; another src stores null.
	got = w.ok("antennas/update", map[string]any{"antennaId": first, "src": "list", "userListId": list})
	if got["src"] != "list" || got["userListId"] != list {
		t.Errorf("to list %v", got)
	}
	wantError(t, w.as("antennas/update", map[string]any{"antennaId": first, "userListId": "nothing00000000"}), 400, "NO_SUCH_USER_LIST", "1c6b35c9-943e-48c2-81e4-2844989407f7")
	got = w.ok("antennas/update", map[string]any{"antennaId": first, "src": "users", "users": []any{"@bob"}, "userListId": nil})
	if got["userListId"] != nil || got["users"].([]any)[0] != "@bob" {
		t.Errorf("from list %v", got)
	}
	wantError(t, post(t, w.e, "antennas/update", w.bobTok, map[string]any{"antennaId": first, "name": "x"}), 400, "NO_SUCH_ANTENNA", "10c673ac-8852-48eb-aa1f-f5b67f069290")

	// Unused for more than 7 days: inactive, until an update.
	w.clock.Advance(8 * 24 * time.Hour)
	if got := w.ok("antennas/show", map[string]any{"antennaId": second}); got["isActive"] != false {
		t.Errorf("isActive %v after 8 days", got["isActive"])
	}
	if got := w.ok("antennas/update", map[string]any{"antennaId": second}); got["isActive"] != true {
		t.Errorf("isActive %v after an update", got["isActive"])
	}
}

func TestAntennasDelete(t *testing.T) {
	w := newWorld(t, Options{})
	id := w.ok("antennas/create", antennaBody("a"))["id"]
	wantError(t, post(t, w.e, "antennas/delete", w.bobTok, map[string]any{"antennaId": id}), 400, "NO_SUCH_ANTENNA", "b34dcf9d-348f-44bb-99d0-6c9314cfe2df")
	w.noContent("antennas/delete", map[string]any{"antennaId": id})
	wantError(t, w.as("antennas/delete", map[string]any{"antennaId": id}), 400, "NO_SUCH_ANTENNA", "b34dcf9d-348f-44bb-99d0-6c9314cfe2df")
	if got := w.okList("antennas/list", nil); len(got) != 0 {
		t.Errorf("left %v", got)
	}
	// antennas/* need read:account / write:account.
	tok := w.e.IssueToken(w.alice.ID, []string{"read:account"})
	wantError(t, post(t, w.e, "antennas/create", tok, antennaBody("x")), http.StatusForbidden, "PERMISSION_DENIED", "1370e5b7-d4eb-4566-bb1d-7748ee6a1838")
}
