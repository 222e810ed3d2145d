package emulator

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Every new table survives Save/Load: the answers that read them are the
// same before and after, and the loaded emulator keeps working on them.
func TestSaveLoadTables(t *testing.T) {
	w := newWorld(t, Options{})
	carol := w.e.CreateRemoteUser("carol", "remote.example")
	note := w.e.CreateNote(w.alice.ID, "pinned")
	if err := w.e.PinNote(w.alice.ID, note); err != nil {
		t.Fatal(err)
	}
	w.ok("notes/create", map[string]any{"text": "poll", "poll": map[string]any{"choices": []any{"a", "b"}, "expiredAfter": 1000}})
	w.ok("following/create", map[string]any{"userId": w.bob.ID})
	w.ok("following/update", map[string]any{"userId": w.bob.ID, "notify": "normal"})
	w.ok("following/create", map[string]any{"userId": carol.ID}) // pending
	folder := w.ok("drive/folders/create", map[string]any{"name": "assets"})["id"].(string)
	w.e.AddDriveFile(w.alice.ID, folder, "f.bin")
	list := w.ok("users/lists/create", map[string]any{"name": "friends"})["id"]
	w.noContent("users/lists/push", map[string]any{"listId": list, "userId": w.bob.ID})
	body := antennaBody("list")
	body["src"], body["userListId"] = "list", list
	w.ok("antennas/create", body)

	reads := func(e *Emulator) map[string]any {
		call := func(endpoint string, b map[string]any) any {
			a := post(t, e, endpoint, w.aliceTok, b)
			if a.Status != 200 {
				t.Fatalf("%s: %d %s", endpoint, a.Status, a.Body)
			}
			if strings.HasPrefix(string(a.Body), "[") {
				return a.list(t)
			}
			return a.json(t)
		}
		return map[string]any{
			"i":         call("i", nil),
			"following": call("users/following", map[string]any{"userId": w.alice.ID}),
			"sent":      call("following/requests/sent", nil),
			"folder":    call("drive/folders/show", map[string]any{"folderId": folder}),
			"antennas":  call("antennas/list", nil),
			"lists":     call("users/lists/list", nil),
			"notes":     call("notes/show", map[string]any{"noteId": note}),
		}
	}
	before := reads(w.e)
	var buf bytes.Buffer
	if err := w.e.Save(&buf); err != nil {
		t.Fatal(err)
	}
	loaded := New(Options{Clock: w.clock})
	if err := loaded.LoadFrom(bytes.NewReader(buf.Bytes())); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { loaded.AssertNoViolations(t) })
	if after := reads(loaded); !reflect.DeepEqual(before, after) {
		t.Errorf("differs after Save/Load:\nbefore %v\nafter  %v", before, after)
	}
	// The follow index is rebuilt: relations and further changes work.
	if err := loaded.AcceptFollowRequest(w.alice.ID, carol.ID); err != nil {
		t.Fatal(err)
	}
	if got := loaded.FolloweeIDs(w.alice.ID); len(got) != 2 {
		t.Errorf("followees after load %v", got)
	}
	wantError(t, post(t, loaded, "following/create", w.aliceTok, map[string]any{"userId": w.bob.ID}), 400, "ALREADY_FOLLOWING", "35387507-38c7-4cb9-9197-300b93783fa0")
	// Ids made after the load sort after the loaded ones.
	w.clock.Advance(time.Millisecond)
	if id := loaded.CreateNote(w.alice.ID, "new"); id <= note {
		t.Errorf("new note id %s not after %s", id, note)
	}
}

func TestLoadRefusesDanglingReferences(t *testing.T) {
	user := `{"id":"u1","username":"alice","createdAt":"2026-01-01T00:00:00Z"}`
	for name, tables := range map[string]string{
		"note of nobody":        `"notes":[{"id":"n1","userId":"nobody"}]`,
		"pin of a missing note": `"notes":[],"pins":[{"id":"p1","userId":"u1","noteId":"n9"}]`,
		"follow of nobody":      `"followings":[{"id":"f1","followerId":"u1","followeeId":"nobody"}]`,
		"request of nobody":     `"followRequests":[{"id":"r1","followerId":"nobody","followeeId":"u1"}]`,
		"folder in a missing":   `"driveFolders":[{"id":"d1","userId":"u1","name":"x","parentId":"d9"}]`,
		"file in a missing":     `"driveFiles":[{"id":"x1","userId":"u1","name":"x","folderId":"d9"}]`,
		"antenna on a missing":  `"antennas":[{"id":"a1","userId":"u1","userListId":"l9"}]`,
		"list with a stranger":  `"userLists":[{"id":"l1","userId":"u1","userIds":["nobody"]}]`,
		"null row":              `"notes":[null]`,
		"block of nobody":       `"blockings":[{"id":"b1","blockerId":"u1","blockeeId":"nobody"}]`,
		"null mute":             `"mutings":[null]`,
		"mute of nobody":        `"mutings":[{"id":"m1","muterId":"nobody","muteeId":"u1"}]`,
		"renote mute of nobody": `"renoteMutings":[{"id":"m1","muterId":"u1","muteeId":"nobody"}]`,
		"draft of nobody":       `"drafts":[{"id":"x1","userId":"nobody"}]`,
		"null draft":            `"drafts":[null]`,
	} {
		data := `{"version":1,"users":[` + user + `],` + tables + `}`
		if _, err := Load(strings.NewReader(data)); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
	ok := `{"version":1,"users":[` + user + `],"notes":[{"id":"n1","userId":"u1","visibility":"public"}],"pins":[{"id":"p1","userId":"u1","noteId":"n1"}]}`
	e, err := Load(strings.NewReader(ok))
	if err != nil {
		t.Fatal(err)
	}
	if got := e.PinnedNoteIDs("u1"); len(got) != 1 || got[0] != "n1" {
		t.Errorf("pins %v", got)
	}
}

func TestSeedHelpers(t *testing.T) {
	w := newWorld(t, Options{})
	users := w.e.SeedUsers("fan", 300)
	if len(users) != 300 || w.e.FindUserByUsername("fan299") == nil {
		t.Fatalf("SeedUsers: %d", len(users))
	}
	w.e.SeedFollows(w.alice.ID, append(users, w.alice.ID, users[0])) // self and duplicates are skipped
	if got := w.e.FolloweeIDs(w.alice.ID); len(got) != 300 || got[0] != users[0] || got[299] != users[299] {
		t.Errorf("FolloweeIDs %d", len(got))
	}
	if me := w.ok("i", nil); me["followingCount"] != 300.0 {
		t.Errorf("followingCount %v", me["followingCount"])
	}
	if fan := w.e.UserByID(users[7]); fan.FollowersCount != 1 {
		t.Errorf("followersCount %d", fan.FollowersCount)
	}
	for name, f := range map[string]func(){
		"taken name":     func() { w.e.SeedUsers("fan", 1) },
		"unknown user":   func() { w.e.SeedFollows(w.alice.ID, []string{"nobody"}) },
		"foreign folder": func() { w.e.AddDriveFile(w.alice.ID, w.e.SeedFolders(w.bob.ID, "", []string{"b"})[0], "x") },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
	// A remote follower's request, seen and accepted by alice.
	carol := w.e.CreateRemoteUser("carol", "remote.example")
	w.e.SetLocked(w.alice.ID, true)
	w.e.SeedFollowRequest(carol.ID, w.alice.ID)
	if got := w.okList("following/requests/list", nil); len(got) != 1 {
		t.Fatalf("requests %v", got)
	}
	w.noContent("following/requests/accept", map[string]any{"userId": carol.ID})
	if w.e.FollowingOf(carol.ID, w.alice.ID) == nil {
		t.Error("not accepted")
	}
}
