package provider

import (
	"context"
	"reflect"
	"testing"

	"github.com/mkctl/mkctl/planner"
)

// folderTree seeds:
//
//	a/ b/ c/      a/z/      m/ n/      x/ y/   (x holds a file)
type folderTree struct{ a, ab, abc, az, m, mn, x, xy string }

func seedFolderTree(env *emuEnv) folderTree {
	var f folderTree
	root := env.emu.SeedFolders(env.me.ID, "", []string{"a", "m", "x"})
	f.a, f.m, f.x = root[0], root[1], root[2]
	ab := env.emu.SeedFolders(env.me.ID, f.a, []string{"b", "z"})
	f.ab, f.az = ab[0], ab[1]
	f.abc = env.emu.SeedFolders(env.me.ID, f.ab, []string{"c"})[0]
	f.mn = env.emu.SeedFolders(env.me.ID, f.m, []string{"n"})[0]
	f.xy = env.emu.SeedFolders(env.me.ID, f.x, []string{"y"})[0]
	env.emu.AddDriveFile(env.me.ID, f.x, "cat.png")
	return f
}

type folderSummary struct {
	Path, Parent string
	Files        int
}

func summarise(live *planner.Live) []folderSummary {
	byID := map[string]string{}
	for _, f := range live.DriveFolders {
		byID[f.ID] = f.Path
	}
	var out []folderSummary
	for _, f := range live.DriveFolders {
		out = append(out, folderSummary{f.Path, byID[f.ParentID], f.FilesCount})
	}
	return out
}

// Without purge only the way to declared and owned folders is walked.
func TestReadDriveFoldersPartialWalk(t *testing.T) {
	env := newEmuEnv(t)
	f := seedFolderTree(env)
	env.writeRecord(t, &planner.Ownership{Version: 1, Account: "account.main", Objects: map[string]planner.Owned{
		folderKey("x"):   {ID: f.x},  // owned, no longer declared: a delete candidate
		folderKey("old"): {ID: f.mn}, // owned, renamed to m/n in the web UI
		folderKey("a/b"): {ID: f.ab},
	}})
	env.resetCounts()
	live, err := ReadAccount(context.Background(), env.c, account(folders("a", "a/b")))
	if err != nil {
		t.Fatal(err)
	}
	want := []folderSummary{
		{"a", "", -1}, {"m", "", -1}, {"x", "", 1},
		{"a/b", "a", -1}, {"a/z", "a", -1}, {"m/n", "m", 0}, {"x/y", "x", -1},
	}
	if got := summarise(live); !reflect.DeepEqual(got, want) {
		t.Errorf("folders =\n%v\nwant\n%v", got, want)
	}
	// Lists: the root, a (on the way to a/b), x (a candidate with a
	// subfolder). Shows: x (candidate), m/n (owned, not where recorded).
	if env.count("drive/folders") != 3 || env.count("drive/folders/show") != 2 {
		t.Errorf("requests = %v", env.counts)
	}
}

// Under purge the whole tree is read; candidates without subfolders are
// not listed.
func TestReadDriveFoldersPurgeWalk(t *testing.T) {
	env := newEmuEnv(t)
	seedFolderTree(env)
	live, err := ReadAccount(context.Background(), env.c, account(folders("a", "a/b"), purge("drive_folders")))
	if err != nil {
		t.Fatal(err)
	}
	want := []folderSummary{
		{"a", "", -1}, {"m", "", 0}, {"x", "", 1},
		{"a/b", "a", -1}, {"a/z", "a", 0}, {"m/n", "m", 0}, {"x/y", "x", 0},
		{"a/b/c", "a/b", 0},
	}
	if got := summarise(live); !reflect.DeepEqual(got, want) {
		t.Errorf("folders =\n%v\nwant\n%v", got, want)
	}
	// Lists: root, a and a/b (declared, listed under purge), m (has n),
	// x (has y); the other candidates have no subfolders. Shows: every
	// undeclared folder, for its files count.
	if env.count("drive/folders") != 5 || env.count("drive/folders/show") != 6 {
		t.Errorf("requests = %v", env.counts)
	}
}

// A declared path held by several folders (two applies at once made it
// twice) is shown and walked, with everything below it: the planner keeps
// one and may delete the others, which it may do only when it knows they
// hold no files (planner/dedupe.go, issue 8 item 1b). A folder whose name
// holds "/" (Misskey allows it) is not the nested path its name looks
// like: it gets a path no declaration can have, and is left alone.
func TestReadDriveFoldersDuplicatesAndSlashNames(t *testing.T) {
	env := newEmuEnv(t)
	seedFolderTree(env)
	env.emu.SeedFolders(env.me.ID, "", []string{"a"}) // a second "a"
	slash := env.emu.SeedFolders(env.me.ID, "", []string{"a/b", "/"})
	env.emu.SeedFolders(env.me.ID, slash[0], []string{"q"})
	live, err := ReadAccount(context.Background(), env.c, account(folders("a", "a/b"), purge("drive_folders")))
	if err != nil {
		t.Fatal(err)
	}
	// The escaped paths count their doubled "/" as depth: they sort
	// after the other root folders, still before any child of theirs.
	want := []folderSummary{
		{"a", "", 0}, {"a", "", 0}, {"m", "", 0}, {"x", "", 1},
		{"a/b", "a", 0}, {"a/z", "a", 0}, {"m/n", "m", 0}, {"x/y", "x", 0}, {"//", "", -1}, {"a//b", "", -1},
		{"a/b/c", "a/b", 0},
	}
	if got := summarise(live); !reflect.DeepEqual(got, want) {
		t.Errorf("folders =\n%v\nwant\n%v", got, want)
	}
	for _, lf := range live.DriveFolders {
		if lf.Path == "a/b" && lf.ID == slash[0] {
			t.Errorf("folder %s (%q) has the declared path a/b", lf.ID, lf.Name)
		}
		if lf.ID == slash[0] && lf.Name != "a/b" {
			t.Errorf("name = %q, want the server's", lf.Name)
		}
	}
	// Lists: root, m, x, the first "a" and its a/b (the second "a" has no
	// subfolder). Shows: m, m/n, x, x/y, both "a"s, a/b, a/z, a/b/c —
	// none for the folders named with "/".
	for _, req := range env.emu.Requests() {
		if req.Endpoint == "drive/folders/show" || req.Endpoint == "drive/folders" {
			if id, _ := req.Body["folderId"].(string); id == slash[0] || id == slash[1] {
				t.Errorf("%s of %s", req.Endpoint, id)
			}
		}
	}
	if env.count("drive/folders") != 5 || env.count("drive/folders/show") != 9 {
		t.Errorf("requests = %v", env.counts)
	}
}
