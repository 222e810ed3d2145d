package emulator

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

// followingWorld: alice follows 25 accounts, one a minute, in order.
func followingWorld(t *testing.T) (*world, []string) {
	w := newWorld(t, Options{})
	followees := w.e.SeedUsers("u", 25)
	for _, id := range followees {
		w.e.SeedFollows(w.alice.ID, []string{id})
		w.clock.Advance(time.Minute)
	}
	return w, followees
}

func followeeIDs(items []any) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, it.(map[string]any)["followeeId"].(string))
	}
	return out
}

func reversedStrings(s []string) []string {
	r := slices.Clone(s)
	slices.Reverse(r)
	return r
}

func TestUsersFollowingPagination(t *testing.T) {
	w, followees := followingWorld(t)
	newest := reversedStrings(followees)
	page := func(body map[string]any) []any {
		body["userId"] = w.alice.ID
		return w.okList("users/following", body)
	}

	// No cursor: newest first, 10 by default.
	first := page(map[string]any{})
	if got := followeeIDs(first); !slices.Equal(got, newest[:10]) {
		t.Fatalf("first page %v, want %v", got, newest[:10])
	}
	// untilId: the next ones, still newest first; the cursor is the
	// relation id, not the user id.
	untilID := first[9].(map[string]any)["id"].(string)
	if untilID == followees[15] {
		t.Fatal("the cursor is a user id")
	}
	second := page(map[string]any{"untilId": untilID, "limit": 10})
	if got := followeeIDs(second); !slices.Equal(got, newest[10:20]) {
		t.Errorf("untilId page %v, want %v", got, newest[10:20])
	}
	// Walking with untilId until a short page collects everything once.
	var all []string
	cursor := ""
	for {
		body := map[string]any{"limit": 7}
		if cursor != "" {
			body["untilId"] = cursor
		}
		items := page(body)
		all = append(all, followeeIDs(items)...)
		if len(items) < 7 {
			break
		}
		cursor = items[len(items)-1].(map[string]any)["id"].(string)
	}
	if !slices.Equal(all, newest) {
		t.Errorf("walk %v", all)
	}

	// sinceId only: OLDEST first, after the cursor.
	rel := ids(page(map[string]any{"limit": 100})) // newest first
	oldestRel := rel[len(rel)-1]
	since := page(map[string]any{"sinceId": oldestRel, "limit": 5})
	if got := followeeIDs(since); !slices.Equal(got, followees[1:6]) {
		t.Errorf("sinceId page %v, want ascending %v", got, followees[1:6])
	}
	// Both cursors: strictly between, newest first.
	between := page(map[string]any{"sinceId": rel[20], "untilId": rel[15], "limit": 100})
	if got := followeeIDs(between); !slices.Equal(got, newest[16:20]) {
		t.Errorf("between %v, want %v", got, newest[16:20])
	}
	// Date cursors work like id cursors.
	mid := testStart.Add(10*time.Minute + 30*time.Second).UnixMilli()
	if got := followeeIDs(page(map[string]any{"sinceDate": mid, "limit": 3})); !slices.Equal(got, followees[11:14]) {
		t.Errorf("sinceDate %v, want %v", got, followees[11:14])
	}
	if got := followeeIDs(page(map[string]any{"untilDate": mid, "limit": 3})); !slices.Equal(got, newest[14:17]) {
		t.Errorf("untilDate %v, want %v", got, newest[14:17])
	}

	// The limit is 1–100.
	for _, limit := range []any{0, 101} {
		a := w.as("users/following", map[string]any{"userId": w.alice.ID, "limit": limit})
		wantError(t, a, http.StatusBadRequest, "INVALID_PARAM", "3d81ceae-475f-4600-b2a8-2bc116157532")
	}
	w.e.ResetViolations()
}

func TestUsersFollowingShapeAndForms(t *testing.T) {
	w := newWorld(t, Options{})
	carol := w.e.CreateRemoteUser("carol", "remote.example")
	w.e.SeedFollows(carol.ID, []string{w.bob.ID})
	w.ok("following/create", map[string]any{"userId": w.bob.ID})

	items := w.okList("users/following", map[string]any{"username": "ALICE", "host": nil})
	if len(items) != 1 {
		t.Fatalf("%v", items)
	}
	f := items[0].(map[string]any)
	if keys := keys(f); !slices.Equal(keys, []string{"createdAt", "followee", "followeeId", "followerId", "id"}) {
		t.Errorf("keys %v", keys)
	}
	if f["followerId"] != w.alice.ID || f["followee"].(map[string]any)["isFollowing"] != true || f["followee"].(map[string]any)["followersCount"] != 2.0 {
		t.Errorf("following %v", f)
	}
	// A remote user by username and host; anonymous callers get no
	// relation fields.
	remote := mustList(t, post(t, w.e, "users/following", "", map[string]any{"username": "carol", "host": "remote.example"}))
	if len(remote) != 1 || remote[0].(map[string]any)["followeeId"] != w.bob.ID {
		t.Fatalf("carol's follows %v", remote)
	}
	if _, ok := remote[0].(map[string]any)["followee"].(map[string]any)["isFollowing"]; ok {
		t.Error("relation fields for an anonymous caller")
	}
	// The deprecated birthday filter.
	mustOK(t, post(t, w.e, "i/update", w.bobTok, map[string]any{"birthday": "1990-04-01"}))
	dave := w.e.CreateUser("dave")
	w.e.SeedFollows(w.alice.ID, []string{dave.ID})
	if got := followeeIDs(w.okList("users/following", map[string]any{"userId": w.alice.ID, "birthday": "2026-04-01"})); !slices.Equal(got, []string{w.bob.ID}) {
		t.Errorf("birthday filter %v", got)
	}
	wantError(t, w.as("users/following", map[string]any{"userId": "nobody0000000000"}), 400, "NO_SUCH_USER", "63e4aba4-4156-4e53-be25-c9559e42d71b")
	wantError(t, w.as("users/following", map[string]any{"username": "carol", "host": nil}), 400, "NO_SUCH_USER", "63e4aba4-4156-4e53-be25-c9559e42d71b")
}

func TestUsersFollowingVisibility(t *testing.T) {
	w := newWorld(t, Options{})
	mustOK(t, post(t, w.e, "i/update", w.bobTok, map[string]any{"followingVisibility": "followers"}))
	forbidden := func(a answer) {
		t.Helper()
		wantError(t, a, 400, "FORBIDDEN", "f6cdb0df-c19f-ec5c-7dbb-0ba84a1f92ba")
	}
	forbidden(w.as("users/following", map[string]any{"userId": w.bob.ID}))
	forbidden(post(t, w.e, "users/following", "", map[string]any{"userId": w.bob.ID}))
	// Hidden counts read 0 for strangers.
	w.e.SeedFollows(w.bob.ID, []string{w.alice.ID})
	if bob := w.ok("users/show", map[string]any{"userId": w.bob.ID}); bob["followingCount"] != 0.0 {
		t.Errorf("hidden followingCount shown: %v", bob["followingCount"])
	}
	w.ok("following/create", map[string]any{"userId": w.bob.ID})
	w.okList("users/following", map[string]any{"userId": w.bob.ID})
	if bob := w.ok("users/show", map[string]any{"userId": w.bob.ID}); bob["followingCount"] != 1.0 {
		t.Errorf("followingCount for a follower: %v", bob["followingCount"])
	}
	mustOK(t, post(t, w.e, "i/update", w.bobTok, map[string]any{"followingVisibility": "private"}))
	forbidden(w.as("users/following", map[string]any{"userId": w.bob.ID}))
	// The user always sees their own.
	mustList(t, post(t, w.e, "users/following", w.bobTok, map[string]any{"userId": w.bob.ID}))
}

func TestFollowRequestsPagination(t *testing.T) {
	w := newWorld(t, Options{})
	users := w.e.SeedUsers("r", 5)
	for _, id := range users {
		w.e.SetLocked(id, true)
		w.ok("following/create", map[string]any{"userId": id})
		w.clock.Advance(time.Second)
	}
	followee := func(items []any) []string {
		var out []string
		for _, it := range items {
			out = append(out, it.(map[string]any)["followee"].(map[string]any)["id"].(string))
		}
		return out
	}
	all := w.okList("following/requests/sent", map[string]any{"limit": 100})
	if got := followee(all); !slices.Equal(got, reversedStrings(users)) {
		t.Fatalf("sent %v", got)
	}
	since := w.okList("following/requests/sent", map[string]any{"sinceId": all[4].(map[string]any)["id"], "limit": 2})
	if got := followee(since); !slices.Equal(got, users[1:3]) {
		t.Errorf("sinceId %v, want %v", got, users[1:3])
	}
	until := w.okList("following/requests/sent", map[string]any{"untilId": all[1].(map[string]any)["id"], "limit": 2})
	if got := followee(until); !slices.Equal(got, []string{users[2], users[1]}) {
		t.Errorf("untilId %v", got)
	}
}

// A page of 100 follows of an account that follows thousands.
func BenchmarkUsersFollowingPage(b *testing.B) {
	e := New(Options{Clock: NewFakeClock(testStart)})
	alice := e.CreateUser("alice")
	e.SeedFollows(alice.ID, e.SeedUsers("u", 5000))
	body := `{"i":"` + e.NativeToken(alice.ID) + `","userId":"` + alice.ID + `","limit":100}`
	b.ResetTimer()
	for range b.N {
		req := httptest.NewRequest(http.MethodPost, "/api/users/following", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code, rec.Body.String())
		}
	}
}
