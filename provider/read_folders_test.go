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
	dup := env.emu.SeedFolders(env.me.ID, "", []string{"a"})[0] // a second "a"
	live, err := ReadAccount(context.Background(), env.c, account(folders("a", "a/b"), purge("drive_folders")))
	if err != nil {
		t.Fatal(err)
	}
	got := summarise(live)
	if len(got) != 9 {
		t.Fatalf("folders = %v, want all 9", got)
	}
	files := map[string]int{}
	for _, f := range live.DriveFolders {
		files[f.ID] = f.FilesCount
	}
	// Declared and not duplicated: -1. The duplicate "a"s are both
	// candidates (neither is owned), as is everything undeclared.
	counts := map[string]int{}
	for _, s := range got {
		if s.Files >= 0 {
			counts[s.Path]++
		}
	}
	wantShown := map[string]int{"a": 2, "a/b/c": 1, "a/z": 1, "m": 1, "m/n": 1, "x": 1, "x/y": 1}
	if !reflect.DeepEqual(counts, wantShown) || files[dup] != 0 {
		t.Errorf("candidates = %v, want %v", counts, wantShown)
	}
	// Lists: root, a (declared, listed under purge), the other a (has
	// none: foldersCount 0, not listed), a/b (declared), a/b/c no, a/z no,
	// m (has n), m/n no, x (has y), x/y no → 5.
	if env.count("drive/folders") != 5 || env.count("drive/folders/show") != 8 {
		t.Errorf("requests = %v", env.counts)
	}
}
