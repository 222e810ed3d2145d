package emulator

import (
	"errors"
	"net/http"
	"slices"
	"testing"
)

func TestFollowingCreateAndDelete(t *testing.T) {
	w := newWorld(t, Options{})
	lite := w.ok("following/create", map[string]any{"userId": w.bob.ID, "withReplies": true})
	if lite["id"] != w.bob.ID || lite["username"] != "bob" {
		t.Errorf("answer %v", lite)
	}
	if _, detailed := lite["followersCount"]; detailed {
		t.Error("following/create answered more than UserLite")
	}
	bob := w.ok("users/show", map[string]any{"userId": w.bob.ID})
	if bob["isFollowing"] != true || bob["withReplies"] != true || bob["notify"] != "none" || bob["followersCount"] != 1.0 ||
		bob["hasPendingFollowRequestFromYou"] != false || bob["followedMessage"] != nil {
		t.Errorf("relation %v", bob)
	}
	if _, ok := bob["followedMessage"]; !ok {
		t.Error("no followedMessage for a follower")
	}
	if me := w.ok("i", nil); me["followingCount"] != 1.0 {
		t.Errorf("followingCount %v", me["followingCount"])
	}
	// Bob sees alice as a follower.
	alice := mustOK(t, post(t, w.e, "users/show", w.bobTok, map[string]any{"userId": w.alice.ID}))
	if alice["isFollowed"] != true || alice["isFollowing"] != false {
		t.Errorf("bob's view %v", alice)
	}
	if _, ok := alice["followedMessage"]; ok {
		t.Error("followedMessage shown to a non-follower")
	}

	wantError(t, w.as("following/create", map[string]any{"userId": w.bob.ID}), 400, "ALREADY_FOLLOWING", "35387507-38c7-4cb9-9197-300b93783fa0")
	wantError(t, w.as("following/create", map[string]any{"userId": w.alice.ID}), 400, "FOLLOWEE_IS_YOURSELF", "26fbe7bb-a331-4857-af17-205b426669a9")
	wantError(t, w.as("following/create", map[string]any{"userId": "nobody0000000000"}), 400, "NO_SUCH_USER", "fcd2eef9-a9b2-4c4f-8624-038099e90aa5")

	if got := w.ok("following/delete", map[string]any{"userId": w.bob.ID}); got["id"] != w.bob.ID {
		t.Errorf("delete answer %v", got)
	}
	if bob := w.ok("users/show", map[string]any{"userId": w.bob.ID}); bob["isFollowing"] != false || bob["followersCount"] != 0.0 {
		t.Errorf("after delete %v", bob)
	}
	if me := w.ok("i", nil); me["followingCount"] != 0.0 {
		t.Errorf("followingCount %v after delete", me["followingCount"])
	}
	wantError(t, w.as("following/delete", map[string]any{"userId": w.bob.ID}), 400, "NOT_FOLLOWING", "5dbf82f5-c92b-40b1-87d1-6c8c0741fd09")
	wantError(t, w.as("following/delete", map[string]any{"userId": w.alice.ID}), 400, "FOLLOWEE_IS_YOURSELF", "d9e400b9-36b0-4808-b1d8-79e707f1296c")
	wantError(t, w.as("following/delete", map[string]any{"userId": "nobody0000000000"}), 400, "NO_SUCH_USER", "5b12c78d-2b28-4dca-99d2-f56139b42ff8")
}

// A locked local account: a request, not a follow; the same answer as a
// follow; calling again replaces the request; cancel withdraws it; the
// followee accepts it.
func TestFollowLockedLocal(t *testing.T) {
	w := newWorld(t, Options{})
	w.e.SetLocked(w.bob.ID, true)
	first := w.ok("following/create", map[string]any{"userId": w.bob.ID, "withReplies": true})
	if first["id"] != w.bob.ID {
		t.Errorf("answer %v", first)
	}
	sent := w.okList("following/requests/sent", nil)
	if len(sent) != 1 || sent[0].(map[string]any)["followee"].(map[string]any)["id"] != w.bob.ID ||
		sent[0].(map[string]any)["follower"].(map[string]any)["id"] != w.alice.ID {
		t.Fatalf("sent %v", sent)
	}
	firstID := sent[0].(map[string]any)["id"]
	if w.e.FollowingOf(w.alice.ID, w.bob.ID) != nil || !slices.Equal(w.e.PendingFolloweeIDs(w.alice.ID), []string{w.bob.ID}) {
		t.Error("a locked followee was followed at once")
	}
	bob := w.ok("users/show", map[string]any{"userId": w.bob.ID})
	if bob["isFollowing"] != false || bob["hasPendingFollowRequestFromYou"] != true || bob["followersCount"] != 0.0 {
		t.Errorf("relation while pending %v", bob)
	}

	// Again while pending: not an error, a new request.
	w.ok("following/create", map[string]any{"userId": w.bob.ID, "withReplies": true})
	sent = w.okList("following/requests/sent", nil)
	if len(sent) != 1 || sent[0].(map[string]any)["id"] == firstID {
		t.Errorf("after a second create: %v (first id %v)", sent, firstID)
	}
	// A pending request is not a follow.
	wantError(t, w.as("following/delete", map[string]any{"userId": w.bob.ID}), 400, "NOT_FOLLOWING", "5dbf82f5-c92b-40b1-87d1-6c8c0741fd09")

	// Cancel, then cancel again.
	if got := w.ok("following/requests/cancel", map[string]any{"userId": w.bob.ID}); got["id"] != w.bob.ID {
		t.Errorf("cancel answer %v", got)
	}
	if sent := w.okList("following/requests/sent", nil); len(sent) != 0 {
		t.Errorf("sent after cancel %v", sent)
	}
	wantError(t, w.as("following/requests/cancel", map[string]any{"userId": w.bob.ID}), 400, "FOLLOW_REQUEST_NOT_FOUND", "089b125b-d338-482a-9a09-e2622ac9f8d4")
	wantError(t, w.as("following/requests/cancel", map[string]any{"userId": "nobody0000000000"}), 400, "NO_SUCH_USER", "4e68c551-fc4c-4e46-bb41-7d4a37bf9dab")

	// Request again; bob sees it and accepts it.
	w.ok("following/create", map[string]any{"userId": w.bob.ID, "withReplies": true})
	me := mustOK(t, post(t, w.e, "i", w.bobTok, nil))
	if me["hasPendingReceivedFollowRequest"] != true {
		t.Error("bob has no pending request in i")
	}
	received := mustList(t, post(t, w.e, "following/requests/list", w.bobTok, nil))
	if len(received) != 1 || received[0].(map[string]any)["follower"].(map[string]any)["id"] != w.alice.ID {
		t.Fatalf("bob's requests %v", received)
	}
	if a := post(t, w.e, "following/requests/accept", w.bobTok, map[string]any{"userId": w.alice.ID}); a.Status != http.StatusNoContent {
		t.Fatalf("accept: %d %s", a.Status, a.Body)
	}
	wantError(t, post(t, w.e, "following/requests/accept", w.bobTok, map[string]any{"userId": w.alice.ID}), 400, "NO_FOLLOW_REQUEST", "bcde4f8b-0913-4614-8881-614e522fb041")
	wantError(t, post(t, w.e, "following/requests/accept", w.bobTok, map[string]any{"userId": "nobody0000000000"}), 400, "NO_SUCH_USER", "66ce1645-d66c-46bb-8b79-96739af885bd")
	f := w.e.FollowingOf(w.alice.ID, w.bob.ID)
	if f == nil || !f.WithReplies {
		t.Fatalf("after accept: %+v (want the request's withReplies)", f)
	}
	if bob := w.ok("users/show", map[string]any{"userId": w.bob.ID}); bob["isFollowing"] != true || bob["hasPendingFollowRequestFromYou"] != false {
		t.Errorf("after accept %v", bob)
	}
}

// A remote account: always a request, until its server accepts.
func TestFollowRemote(t *testing.T) {
	w := newWorld(t, Options{})
	carol := w.e.CreateRemoteUser("carol", "remote.example")
	w.ok("following/create", map[string]any{"userId": carol.ID})
	if got := w.e.PendingFolloweeIDs(w.alice.ID); !slices.Equal(got, []string{carol.ID}) {
		t.Fatalf("pending %v", got)
	}
	if err := w.e.AcceptFollowRequest(w.alice.ID, carol.ID); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(w.e.FolloweeIDs(w.alice.ID), []string{carol.ID}) || len(w.e.PendingFolloweeIDs(w.alice.ID)) != 0 {
		t.Errorf("after the remote Accept: following %v, pending %v", w.e.FolloweeIDs(w.alice.ID), w.e.PendingFolloweeIDs(w.alice.ID))
	}
	if err := w.e.AcceptFollowRequest(w.alice.ID, carol.ID); !errors.Is(err, ErrNoFollowRequest) {
		t.Errorf("second accept: %v", err)
	}
}

func TestFollowRequestRules(t *testing.T) {
	w := newWorld(t, Options{})
	// carefulBot: a request only for bots.
	w.e.UpdateUser(w.bob.ID, func(u *User) { u.CarefulBot = true })
	w.ok("following/create", map[string]any{"userId": w.bob.ID})
	if w.e.FollowingOf(w.alice.ID, w.bob.ID) == nil {
		t.Fatal("careful bot refused a human follower")
	}
	w.ok("following/delete", map[string]any{"userId": w.bob.ID})
	w.ok("i/update", map[string]any{"isBot": true})
	w.ok("following/create", map[string]any{"userId": w.bob.ID})
	if w.e.FollowingOf(w.alice.ID, w.bob.ID) != nil || len(w.e.PendingFolloweeIDs(w.alice.ID)) != 1 {
		t.Fatal("careful bot followed by a bot without a request")
	}
	w.ok("following/requests/cancel", map[string]any{"userId": w.bob.ID})

	// Locked, but bob follows alice and auto-accepts those he follows.
	w.e.UpdateUser(w.bob.ID, func(u *User) { u.CarefulBot = false })
	w.e.SetLocked(w.bob.ID, true)
	w.e.SeedFollows(w.bob.ID, []string{w.alice.ID})
	w.ok("following/create", map[string]any{"userId": w.bob.ID})
	if w.e.FollowingOf(w.alice.ID, w.bob.ID) == nil {
		t.Error("autoAcceptFollowed did not accept a followed user")
	}
}

// Unlocking an account accepts the pending requests, by i/update or
// SetLocked.
func TestUnlockAcceptsRequests(t *testing.T) {
	w := newWorld(t, Options{})
	carol := w.e.CreateUser("carol")
	w.e.SetLocked(w.bob.ID, true)
	w.e.SetLocked(carol.ID, true)
	w.ok("following/create", map[string]any{"userId": w.bob.ID})
	w.ok("following/create", map[string]any{"userId": carol.ID})
	mustOK(t, post(t, w.e, "i/update", w.bobTok, map[string]any{"isLocked": false}))
	w.e.SetLocked(carol.ID, false)
	if got := w.e.FolloweeIDs(w.alice.ID); !slices.Equal(got, []string{w.bob.ID, carol.ID}) {
		t.Errorf("following %v after unlocks", got)
	}
	if b := w.e.UserByID(w.bob.ID); b.FollowersCount != 1 || b.IsLocked {
		t.Errorf("bob %+v", b)
	}
}

func TestFollowingUpdateAndList(t *testing.T) {
	w := newWorld(t, Options{})
	carol := w.e.CreateUser("carol")
	w.ok("following/create", map[string]any{"userId": w.bob.ID})
	w.ok("following/create", map[string]any{"userId": carol.ID})

	got := w.ok("following/update", map[string]any{"userId": w.bob.ID, "notify": "normal", "withReplies": true})
	if got["id"] != w.alice.ID {
		t.Errorf("following/update answers with %v, want the follower", got["id"])
	}
	bob := w.ok("users/show", map[string]any{"userId": w.bob.ID})
	if bob["notify"] != "normal" || bob["withReplies"] != true {
		t.Errorf("after update %v %v", bob["notify"], bob["withReplies"])
	}
	if all := w.okList("following/list", nil); len(all) != 2 {
		t.Errorf("following/list %d items", len(all))
	}
	notified := w.okList("following/list", map[string]any{"notification": true})
	if len(notified) != 1 || notified[0].(map[string]any)["followeeId"] != w.bob.ID {
		t.Errorf("following/list notification %v", notified)
	}
	w.ok("following/update", map[string]any{"userId": w.bob.ID, "notify": "none"})
	if f := w.e.FollowingOf(w.alice.ID, w.bob.ID); f.Notify != nil || !f.WithReplies {
		t.Errorf("notify none: %+v", f)
	}
	wantError(t, w.as("following/update", map[string]any{"userId": w.alice.ID}), 400, "FOLLOWEE_IS_YOURSELF", "4c4cbaf9-962a-463b-8418-a5e365dbf2eb")
	wantError(t, w.as("following/update", map[string]any{"userId": "nobody0000000000"}), 400, "NO_SUCH_USER", "14318698-f67e-492a-99da-5353a5ac52be")
	w.ok("following/delete", map[string]any{"userId": carol.ID})
	wantError(t, w.as("following/update", map[string]any{"userId": carol.ID}), 400, "NOT_FOLLOWING", "b8dc75cf-1cb5-46c9-b14b-5f1ffbd782c9")
	a := w.as("following/update", map[string]any{"userId": w.bob.ID, "notify": "all"})
	wantError(t, a, 400, "INVALID_PARAM", "3d81ceae-475f-4600-b2a8-2bc116157532")
	w.e.ResetViolations()
}

func mustList(t *testing.T, a answer) []any {
	t.Helper()
	if a.Status != http.StatusOK {
		t.Fatalf("status %d: %s", a.Status, a.Body)
	}
	return a.list(t)
}
