package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/mkctl/mkctl/planner"
)

func folderKey(path string) string { return `drive_folder["` + path + `"]` }

func TestApplyDriveFoldersWithParentRefs(t *testing.T) {
	env := newEmuEnv(t)
	existing := env.emu.SeedFolders(env.me.ID, "", []string{"media"})[0]
	ap := env.plan(
		&planner.Change{Type: planner.TypeDriveFolder, Action: planner.ActionCreate, Key: folderKey("assets"), After: map[string]any{"name": "assets"}},
		&planner.Change{Type: planner.TypeDriveFolder, Action: planner.ActionCreate, Key: folderKey("assets/icons"),
			After: map[string]any{"name": "icons"}, Refs: map[string]string{"parent": folderKey("assets")}},
		&planner.Change{Type: planner.TypeDriveFolder, Action: planner.ActionCreate, Key: folderKey("assets/icons/small"),
			After: map[string]any{"name": "small"}, Refs: map[string]string{"parent": folderKey("assets/icons")}},
		&planner.Change{Type: planner.TypeDriveFolder, Action: planner.ActionCreate, Key: folderKey("media/video"),
			After: map[string]any{"name": "video", "parentId": existing}},
	)
	if _, err := Apply(context.Background(), env.c, ap, nil); err != nil {
		t.Fatal(err)
	}
	byID := map[string]string{}   // id → name
	parent := map[string]string{} // name → parent name
	for _, f := range env.emu.DriveFoldersOf(env.me.ID) {
		byID[f.ID] = f.Name
	}
	for _, f := range env.emu.DriveFoldersOf(env.me.ID) {
		if f.ParentID != nil {
			parent[f.Name] = byID[*f.ParentID]
		} else {
			parent[f.Name] = ""
		}
	}
	want := map[string]string{"media": "", "assets": "", "icons": "assets", "small": "icons", "video": "media"}
	for name, p := range want {
		if got, ok := parent[name]; !ok || got != p {
			t.Errorf("parent of %s = %q (exists %v), want %q", name, got, ok, p)
		}
	}
	rec := env.record(t)
	if byID[rec.Objects[folderKey("assets/icons")].ID] != "icons" || len(rec.Objects) != 4 {
		t.Errorf("record = %+v", rec.Objects)
	}

	// A parent created by an earlier apply is found in the record.
	ap = env.plan(&planner.Change{Type: planner.TypeDriveFolder, Action: planner.ActionCreate, Key: folderKey("assets/fonts"),
		After: map[string]any{"name": "fonts"}, Refs: map[string]string{"parent": folderKey("assets")}})
	if _, err := Apply(context.Background(), env.c, ap, nil); err != nil {
		t.Fatal(err)
	}
	for _, f := range env.emu.DriveFoldersOf(env.me.ID) {
		if f.Name == "fonts" && (f.ParentID == nil || byID[*f.ParentID] != "assets") {
			t.Errorf("fonts parent = %v", f.ParentID)
		}
	}
}

func TestApplyDriveFolderUnknownRef(t *testing.T) {
	env := newEmuEnv(t)
	ap := env.plan(&planner.Change{Type: planner.TypeDriveFolder, Action: planner.ActionCreate, Key: folderKey("a/b"),
		After: map[string]any{"name": "b"}, Refs: map[string]string{"parent": folderKey("a")}})
	_, err := Apply(context.Background(), env.c, ap, nil)
	if err == nil || !strings.Contains(err.Error(), `drive_folder["a"]`) {
		t.Fatalf("err = %v", err)
	}
	if env.count("drive/folders/create") != 0 {
		t.Error("created a folder at the root instead")
	}
}

func TestApplyDriveFolderDelete(t *testing.T) {
	env := newEmuEnv(t)
	ids := env.emu.SeedFolders(env.me.ID, "", []string{"empty", "full"})
	env.emu.AddDriveFile(env.me.ID, ids[1], "cat.png")
	env.writeRecord(t, &planner.Ownership{Version: 1, Account: "account.main", Objects: map[string]planner.Owned{
		folderKey("empty"): {ID: ids[0]}, folderKey("full"): {ID: ids[1]},
	}})
	ap := env.plan(
		&planner.Change{Type: planner.TypeDriveFolder, Action: planner.ActionDelete, Key: folderKey("empty"), ID: ids[0]},
		&planner.Change{Type: planner.TypeDriveFolder, Action: planner.ActionDelete, Key: folderKey("full"), ID: ids[1]},
	)
	res, err := Apply(context.Background(), env.c, ap, nil)
	if !IsCode(err, "HAS_CHILD_FILES_OR_FOLDERS") || !strings.HasPrefix(err.Error(), `account.main.drive_folder["full"]: drive/folders/delete: `) {
		t.Fatalf("err = %v", err)
	}
	var ae *APIError
	if !asAPIError(err, &ae) || !strings.Contains(ae.Hint(), "only empty folders") {
		t.Errorf("hint = %q", ae.Hint())
	}
	if res != (Result{Destroyed: 1}) {
		t.Errorf("result = %+v", res)
	}
	rec := env.record(t)
	if _, ok := rec.Objects[folderKey("empty")]; ok {
		t.Error("deleted folder still recorded")
	}
	if rec.Objects[folderKey("full")].ID != ids[1] {
		t.Error("the folder that could not be deleted left the record")
	}
}
