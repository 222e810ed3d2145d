package emulator

import (
	"net/http"
	"reflect"
	"slices"
	"testing"
	"time"
)

func TestUserLists(t *testing.T) {
	w := newWorld(t, Options{})
	carol := w.e.CreateRemoteUser("carol", "remote.example")
	created := w.ok("users/lists/create", map[string]any{"name": "friends"})
	if created["name"] != "friends" || created["isPublic"] != false || len(created["userIds"].([]any)) != 0 {
		t.Errorf("created %v", created)
	}
	id := created["id"]
	// Push: local, remote, yourself.
	for _, u := range []string{w.bob.ID, carol.ID, w.alice.ID} {
		w.noContent("users/lists/push", map[string]any{"listId": id, "userId": u})
	}
	wantError(t, w.as("users/lists/push", map[string]any{"listId": id, "userId": w.bob.ID}), 400, "ALREADY_ADDED", "1de7c884-1595-49e9-857e-61f12f4d4fc5")
	wantError(t, w.as("users/lists/push", map[string]any{"listId": id, "userId": "nobody0000000000"}), 400, "NO_SUCH_USER", "a89abd3d-f0bc-4cce-beb1-2f446f4f1e6a")
	wantError(t, w.as("users/lists/push", map[string]any{"listId": "nothing00000000", "userId": w.bob.ID}), 400, "NO_SUCH_LIST", "2214501d-ac96-4049-b717-91e42272a711")

	shown := w.ok("users/lists/show", map[string]any{"listId": id})
	if got := stringsOf(shown["userIds"]); !slices.Equal(got, []string{w.bob.ID, carol.ID, w.alice.ID}) {
		t.Errorf("members %v", got)
	}
	if _, ok := shown["likedCount"]; ok {
		t.Error("likedCount without forPublic")
	}
	// Pull: a member, then a non-member (fine), then errors.
	w.noContent("users/lists/pull", map[string]any{"listId": id, "userId": carol.ID})
	w.noContent("users/lists/pull", map[string]any{"listId": id, "userId": carol.ID})
	wantError(t, w.as("users/lists/pull", map[string]any{"listId": id, "userId": "nobody0000000000"}), 400, "NO_SUCH_USER", "588e7f72-c744-4a61-b180-d354e912bda2")
	wantError(t, post(t, w.e, "users/lists/pull", w.bobTok, map[string]any{"listId": id, "userId": w.bob.ID}), 400, "NO_SUCH_LIST", "7f44670e-ab16-43b8-b4c1-ccd2ee89cc02")
	if l := w.e.UserListsOf(w.alice.ID); len(l) != 1 || !slices.Equal(l[0].UserIDs, []string{w.bob.ID, w.alice.ID}) {
		t.Errorf("UserListsOf %+v", l)
	}

	// Update: name and visibility; then others see it with forPublic.
	updated := w.ok("users/lists/update", map[string]any{"listId": id, "name": "pals", "isPublic": true})
	if updated["name"] != "pals" || updated["isPublic"] != true {
		t.Errorf("updated %v", updated)
	}
	wantError(t, post(t, w.e, "users/lists/update", w.bobTok, map[string]any{"listId": id, "name": "mine"}), 400, "NO_SUCH_LIST", "796666fe-3dff-4d39-becb-8a5932c1d5b7")
	wantError(t, post(t, w.e, "users/lists/show", w.bobTok, map[string]any{"listId": id}), 400, "NO_SUCH_LIST", "7bc05c21-1d7a-41ae-88f1-66820f4dc686")
	public := mustOK(t, post(t, w.e, "users/lists/show", w.bobTok, map[string]any{"listId": id, "forPublic": true}))
	if public["likedCount"] != 0.0 || public["isLiked"] != false || public["name"] != "pals" {
		t.Errorf("forPublic %v", public)
	}
}

func TestUserListsList(t *testing.T) {
	w := newWorld(t, Options{})
	private := w.ok("users/lists/create", map[string]any{"name": "private"})["id"]
	public := w.ok("users/lists/create", map[string]any{"name": "public"})["id"]
	w.ok("users/lists/update", map[string]any{"listId": public, "isPublic": true})
	mustOK(t, post(t, w.e, "users/lists/create", w.bobTok, map[string]any{"name": "bob's"}))

	if got := ids(w.okList("users/lists/list", nil)); !slices.Equal(got, []string{private.(string), public.(string)}) {
		t.Errorf("own lists %v", got)
	}
	// With userId, only public lists — also for yourself.
	for _, tok := range []string{w.bobTok, w.aliceTok, ""} {
		if got := ids(mustList(t, post(t, w.e, "users/lists/list", tok, map[string]any{"userId": w.alice.ID}))); !slices.Equal(got, []string{public.(string)}) {
			t.Errorf("alice's public lists %v", got)
		}
	}
	carol := w.e.CreateRemoteUser("carol", "remote.example")
	wantError(t, w.as("users/lists/list", map[string]any{"userId": carol.ID}), 400, "REMOTE_USER_NOT_ALLOWED", "53858f1b-3315-4a01-81b7-db9b48d4b79a")
	wantError(t, w.as("users/lists/list", map[string]any{"userId": "nobody0000000000"}), 400, "NO_SUCH_USER", "a8af4a82-0980-4cc4-a6af-8b0ffd54465e")
}

func TestUserListsLimits(t *testing.T) {
	w := newWorld(t, Options{})
	w.e.SetPolicy(w.alice.ID, "userListLimit", 2)
	w.e.SetPolicy(w.alice.ID, "userEachUserListsLimit", 2)
	id := w.ok("users/lists/create", map[string]any{"name": "a"})["id"]
	w.ok("users/lists/create", map[string]any{"name": "b"})
	wantError(t, w.as("users/lists/create", map[string]any{"name": "c"}), 400, "TOO_MANY_USERLISTS", "0cf21a28-7715-4f39-a20d-777bfdb8d138")

	others := w.e.SeedUsers("m", 3)
	w.noContent("users/lists/push", map[string]any{"listId": id, "userId": others[0]})
	w.noContent("users/lists/push", map[string]any{"listId": id, "userId": others[1]})
	wantError(t, w.as("users/lists/push", map[string]any{"listId": id, "userId": others[2]}), 400, "TOO_MANY_USERS", "2dd9752e-a338-413d-8eec-41814430989b")
	// ALREADY_ADDED wins over the limit.
	wantError(t, w.as("users/lists/push", map[string]any{"listId": id, "userId": others[0]}), 400, "ALREADY_ADDED", "1de7c884-1595-49e9-857e-61f12f4d4fc5")
}

// users/lists/push allows 30 an hour.
func TestUserListsPushRateLimit(t *testing.T) {
	w := newWorld(t, Options{RateLimits: true})
	id := w.ok("users/lists/create", map[string]any{"name": "a"})["id"]
	w.e.SetPolicy(w.alice.ID, "userEachUserListsLimit", 100)
	members := w.e.SeedUsers("m", 31)
	for _, m := range members[:30] {
		w.noContent("users/lists/push", map[string]any{"listId": id, "userId": m})
	}
	wantError(t, w.as("users/lists/push", map[string]any{"listId": id, "userId": members[30]}), http.StatusTooManyRequests, "RATE_LIMIT_EXCEEDED", "d5826d14-3982-4d2e-8011-b9e9f02499ef")
	w.clock.Advance(time.Hour + time.Second)
	w.noContent("users/lists/push", map[string]any{"listId": id, "userId": members[30]})
}

// Deleting a list deletes the antennas that use it.
func TestUserListsDeleteCascades(t *testing.T) {
	w := newWorld(t, Options{})
	list := w.ok("users/lists/create", map[string]any{"name": "friends"})["id"]
	other := w.ok("users/lists/create", map[string]any{"name": "others"})["id"]
	body := antennaBody("on list")
	body["src"], body["userListId"] = "list", list
	w.ok("antennas/create", body)
	body = antennaBody("on other list")
	body["src"], body["userListId"] = "list", other
	keep := w.ok("antennas/create", body)["id"]
	plain := w.ok("antennas/create", antennaBody("plain"))["id"]

	wantError(t, post(t, w.e, "users/lists/delete", w.bobTok, map[string]any{"listId": list}), 400, "NO_SUCH_LIST", "78436795-db79-42f5-b1e2-55ea2cf19166")
	w.noContent("users/lists/delete", map[string]any{"listId": list})
	if got := ids(w.okList("antennas/list", nil)); !reflect.DeepEqual(got, []string{keep.(string), plain.(string)}) {
		t.Errorf("antennas after the list's delete: %v", got)
	}
	if got := ids(w.okList("users/lists/list", nil)); !slices.Equal(got, []string{other.(string)}) {
		t.Errorf("lists %v", got)
	}
	wantError(t, w.as("users/lists/delete", map[string]any{"listId": list}), 400, "NO_SUCH_LIST", "78436795-db79-42f5-b1e2-55ea2cf19166")
}
