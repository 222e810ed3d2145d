package export

import (
	"testing"

	"github.com/mkctl/mkctl/planner"
)

func ptr[T any](v T) *T { return &v }

func TestSmoke(t *testing.T) {
	live := &planner.Live{
		UserID: "u0", Username: "alice",
		Profile: map[string]any{"name": "Alice", "description": "line 1\n  line ${x} %{if}\nEOT\nlast", "isBot": true, "isExplorable": true, "publicReactions": true, "preventAiLearning": true, "autoAcceptFollowed": true, "chatScope": "mutual", "followingVisibility": "public", "followersVisibility": "public", "fields": []any{map[string]any{"name": "Web", "value": "https://x"}}, "alsoKnownAs": []any{"@old@other.example"}},
		PinnedNotes: []planner.LiveNote{
			{ID: "n1", Text: "Good morning, world!", Visibility: "public"},
			{ID: "n2", Text: "こんにちは", Visibility: "home", CW: ptr("cw"), LocalOnly: true, ReactionAcceptance: ptr("likeOnly")},
			{ID: "n3", Text: "poll", Visibility: "public", Unsupported: "it has a poll"},
			{ID: "n4", Text: "Good morning, world! again", Visibility: "public"},
		},
		Follows: []planner.LiveFollow{{UserID: "b", Acct: "@bob"}, {UserID: "c", Acct: "@carol@other.example", Notify: true, Pending: true}},
		DriveFolders: []planner.LiveFolder{
			{ID: "f1", Name: "media", Path: "media"},
			{ID: "f2", Name: "icons", ParentID: "f1", Path: "media/icons"},
			{ID: "f4", Name: "a/b", Path: "a/b"},
		},
		UserLists: []planner.LiveUserList{{ID: "l1", Name: "My list", UserIDs: []string{"b"}}},
		Antennas:  []planner.LiveAntenna{{ID: "a1", Name: "news", Fields: map[string]any{"src": "list", "userListId": "l1", "keywords": []any{[]any{"a", "b"}, []any{"c"}}, "excludeKeywords": []any{}, "users": []any{}, "withFile": true}}},
		Users:     map[string]string{"@bob": "b"},
	}
	acc := Account{Host: "misskey.example", Username: "alice", Live: live, UserAccts: map[string]string{"b": "@bob"}}
	res, err := Generate(acc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Log(dumpFiles(res))
	t.Log(res.Notes)
	_, ap, diags := loadAndPlan(t, res, live)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	for _, c := range ap.Changes {
		t.Errorf("change %s %s %+v", c.Action, c.Address, c.Attrs)
	}
}
