package emulator

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestDriveFoldersCreate(t *testing.T) {
	w := newWorld(t, Options{})
	untitled := w.ok("drive/folders/create", nil)
	if untitled["name"] != "Untitled" || untitled["parentId"] != nil {
		t.Errorf("default %v", untitled)
	}
	if keys := keys(untitled); !slices.Equal(keys, []string{"createdAt", "id", "name", "parentId"}) {
		t.Errorf("keys %v", keys)
	}
	a := w.ok("drive/folders/create", map[string]any{"name": "assets"})
	dup := w.ok("drive/folders/create", map[string]any{"name": "assets"})
	if dup["id"] == a["id"] {
		t.Error("a duplicate name reused the folder")
	}
	child := w.ok("drive/folders/create", map[string]any{"name": "icons", "parentId": a["id"]})
	if child["parentId"] != a["id"] {
		t.Errorf("child %v", child)
	}
	// The name limit: 128 works, 129 passes validation and fails in the
	// database (sample 32), 201 is a validation error.
	w.ok("drive/folders/create", map[string]any{"name": strings.Repeat("é", 128)})
	got := w.as("drive/folders/create", map[string]any{"name": strings.Repeat("n", 129)})
	wantError(t, got, http.StatusInternalServerError, "INTERNAL_ERROR", "5d37dbcb-891e-41ca-a3d6-e690c97775ac")
	info := got.json(t)["error"].(map[string]any)["info"].(map[string]any)["e"].(map[string]any)
	if info["message"] != "value too long for type character varying(128)" || info["code"] != "QueryFailedError" || len(info["id"].(string)) != 36 {
		t.Errorf("info %v", info)
	}
	wantError(t, w.as("drive/folders/create", map[string]any{"name": strings.Repeat("n", 201)}), 400, "INVALID_PARAM", "3d81ceae-475f-4600-b2a8-2bc116157532")
	w.e.ResetViolations()
	// Another user's folder is no parent.
	bobs := w.e.SeedFolders(w.bob.ID, "", []string{"bob"})[0]
	wantError(t, w.as("drive/folders/create", map[string]any{"name": "x", "parentId": bobs}), 400, "NO_SUCH_FOLDER", "53326628-a00d-40a6-a3cd-8975105c0f95")
	if n := len(w.e.DriveFoldersOf(w.alice.ID)); n != 5 {
		t.Errorf("alice has %d folders, want 5", n)
	}
}

// 10 creates an hour; the 11th is a 429 like sample 50, with Retry-After.
func TestDriveFoldersCreateRateLimit(t *testing.T) {
	w := newWorld(t, Options{RateLimits: true})
	for i := range 10 {
		w.ok("drive/folders/create", map[string]any{"name": "f" + strconv.Itoa(i)})
		w.clock.Advance(time.Second)
	}
	got := w.as("drive/folders/create", map[string]any{"name": "one-too-many"})
	wantError(t, got, http.StatusTooManyRequests, "RATE_LIMIT_EXCEEDED", "d5826d14-3982-4d2e-8011-b9e9f02499ef")
	info := got.json(t)["error"].(map[string]any)["info"].(map[string]any)
	// The refused call is logged too and the log keeps the newest 10, so
	// the window reopens when the second call (at 1 s) leaves it.
	if info["total"] != 10.0 || info["remaining"] != 0.0 || info["resetMs"] != float64(testStart.Add(time.Hour+time.Second).UnixMilli()) {
		t.Errorf("info %v", info)
	}
	if ra := got.Header.Get("Retry-After"); ra != "3591" {
		t.Errorf("Retry-After %q, want 3591", ra)
	}
	if n := len(w.e.DriveFoldersOf(w.alice.ID)); n != 10 {
		t.Errorf("%d folders", n)
	}
	// Listing is not limited; bob has his own bucket.
	w.okList("drive/folders", nil)
	mustOK(t, post(t, w.e, "drive/folders/create", w.bobTok, map[string]any{"name": "bob"}))
	// After Retry-After seconds a create goes through.
	w.clock.Advance(3590 * time.Second)
	wantError(t, w.as("drive/folders/create", map[string]any{"name": "early"}), http.StatusTooManyRequests, "RATE_LIMIT_EXCEEDED", "d5826d14-3982-4d2e-8011-b9e9f02499ef")
	// That early retry counted as well: wait out its Retry-After.
	w.clock.Advance(2 * time.Second)
	w.ok("drive/folders/create", map[string]any{"name": "later"})
	// SeedFolders is not limited.
	if got := w.e.SeedFolders(w.alice.ID, "", []string{"a", "b", "c"}); len(got) != 3 {
		t.Errorf("SeedFolders %v", got)
	}
}

func TestDriveFoldersList(t *testing.T) {
	w := newWorld(t, Options{})
	var root []string
	for i := range 12 {
		root = append(root, w.e.SeedFolders(w.alice.ID, "", []string{"r" + strconv.Itoa(i)})...)
		w.clock.Advance(time.Second)
	}
	kids := w.e.SeedFolders(w.alice.ID, root[0], []string{"k1", "k2"})
	w.e.SeedFolders(w.bob.ID, "", []string{"bob's"})

	first := w.okList("drive/folders", nil)
	if got := ids(first); !slices.Equal(got, reversedStrings(root)[:10]) {
		t.Errorf("root page %v", got)
	}
	next := w.okList("drive/folders", map[string]any{"untilId": root[2], "folderId": nil})
	if got := ids(next); !slices.Equal(got, []string{root[1], root[0]}) {
		t.Errorf("untilId %v", got)
	}
	asc := w.okList("drive/folders", map[string]any{"sinceId": root[9]})
	if got := ids(asc); !slices.Equal(got, root[10:]) {
		t.Errorf("sinceId %v", got)
	}
	children := w.okList("drive/folders", map[string]any{"folderId": root[0]})
	if got := ids(children); !slices.Equal(got, reversedStrings(kids)) || children[0].(map[string]any)["parentId"] != root[0] {
		t.Errorf("children %v", children)
	}
	if none := w.okList("drive/folders", map[string]any{"folderId": "nothing00000000"}); len(none) != 0 {
		t.Errorf("unknown folder's children %v", none)
	}
}

func TestDriveFoldersUpdate(t *testing.T) {
	w := newWorld(t, Options{})
	top := w.e.SeedFolders(w.alice.ID, "", []string{"a", "b"})
	a, b := top[0], top[1]
	child := w.e.SeedFolders(w.alice.ID, a, []string{"child"})[0]
	grandchild := w.e.SeedFolders(w.alice.ID, child, []string{"grandchild"})[0]

	if got := w.ok("drive/folders/update", map[string]any{"folderId": a, "name": "renamed"}); got["name"] != "renamed" || got["parentId"] != nil {
		t.Errorf("rename %v", got)
	}
	// An empty name is ignored.
	if got := w.ok("drive/folders/update", map[string]any{"folderId": a, "name": ""}); got["name"] != "renamed" {
		t.Errorf("empty name %v", got)
	}
	if got := w.ok("drive/folders/update", map[string]any{"folderId": b, "parentId": grandchild}); got["parentId"] != grandchild {
		t.Errorf("move %v", got)
	}
	if got := w.ok("drive/folders/update", map[string]any{"folderId": b, "parentId": nil}); got["parentId"] != nil {
		t.Errorf("move to root %v", got)
	}
	for _, parent := range []string{a, child, grandchild} {
		wantError(t, w.as("drive/folders/update", map[string]any{"folderId": a, "parentId": parent}), 400, "RECURSIVE_NESTING", "dbeb024837894013aed44279f9199740")
	}
	bobs := w.e.SeedFolders(w.bob.ID, "", []string{"bob"})[0]
	wantError(t, w.as("drive/folders/update", map[string]any{"folderId": a, "parentId": bobs}), 400, "NO_SUCH_PARENT_FOLDER", "ce104e3a-faaf-49d5-b459-10ff0cbbcaa1")
	wantError(t, w.as("drive/folders/update", map[string]any{"folderId": bobs, "name": "mine"}), 400, "NO_SUCH_FOLDER", "f7974dac-2c0d-4a27-926e-23583b28e98e")
	wantError(t, w.as("drive/folders/update", map[string]any{"folderId": a, "name": strings.Repeat("x", 150)}), 500, "INTERNAL_ERROR", "5d37dbcb-891e-41ca-a3d6-e690c97775ac")
	if f := w.e.DriveFoldersOf(w.alice.ID)[0]; f.Name != "renamed" || f.ParentID != nil {
		t.Errorf("a refused update changed the folder: %+v", f)
	}
}

func TestDriveFoldersDelete(t *testing.T) {
	w := newWorld(t, Options{})
	top := w.e.SeedFolders(w.alice.ID, "", []string{"withFolder", "withFile"})
	child := w.e.SeedFolders(w.alice.ID, top[0], []string{"child"})[0]
	w.e.AddDriveFile(w.alice.ID, top[1], "f.bin")

	for _, id := range top {
		wantError(t, w.as("drive/folders/delete", map[string]any{"folderId": id}), 400, "HAS_CHILD_FILES_OR_FOLDERS", "b0fc8a17-963c-405d-bfbc-859a487295e1")
	}
	// Bottom-up works.
	w.noContent("drive/folders/delete", map[string]any{"folderId": child})
	w.noContent("drive/folders/delete", map[string]any{"folderId": top[0]})
	wantError(t, w.as("drive/folders/delete", map[string]any{"folderId": top[0]}), 400, "NO_SUCH_FOLDER", "1069098f-c281-440f-b085-f9932edbe091")
	if left := w.e.DriveFoldersOf(w.alice.ID); len(left) != 1 || left[0].ID != top[1] {
		t.Errorf("left %+v", left)
	}
}

func TestDriveFoldersFindAndShow(t *testing.T) {
	w := newWorld(t, Options{})
	top := w.e.SeedFolders(w.alice.ID, "", []string{"assets", "assets", "other"})
	child := w.e.SeedFolders(w.alice.ID, top[0], []string{"assets", "sub"})
	w.e.AddDriveFile(w.alice.ID, top[0], "f1")
	w.e.AddDriveFile(w.alice.ID, top[0], "f2")

	if got := ids(w.okList("drive/folders/find", map[string]any{"name": "assets"})); !slices.Equal(got, top[:2]) {
		t.Errorf("find at root %v", got)
	}
	if got := ids(w.okList("drive/folders/find", map[string]any{"name": "assets", "parentId": top[0]})); !slices.Equal(got, child[:1]) {
		t.Errorf("find in folder %v", got)
	}
	if got := w.okList("drive/folders/find", map[string]any{"name": "Assets"}); len(got) != 0 {
		t.Errorf("find is exact, got %v", got)
	}

	shown := w.ok("drive/folders/show", map[string]any{"folderId": top[0]})
	if shown["foldersCount"] != 2.0 || shown["filesCount"] != 2.0 {
		t.Errorf("counts %v", shown)
	}
	if _, ok := shown["parent"]; ok {
		t.Error("a root folder has a parent key")
	}
	sub := w.ok("drive/folders/show", map[string]any{"folderId": child[1]})
	parent := sub["parent"].(map[string]any)
	if parent["id"] != top[0] || parent["filesCount"] != 2.0 {
		t.Errorf("parent %v", parent)
	}
	wantError(t, post(t, w.e, "drive/folders/show", w.bobTok, map[string]any{"folderId": top[0]}), 400, "NO_SUCH_FOLDER", "d74ab9eb-bb09-4bba-bf24-fb58f761e1e9")
}
