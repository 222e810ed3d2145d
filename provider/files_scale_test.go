package provider

import (
	"context"
	"fmt"
	"maps"
	"testing"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// filesAccount declares n PNG files spread over folders (n/folders each),
// their sources made in dir once per seed.
func filesAccount(t testing.TB, dir string, n, nFolders int, seedOf func(i int) int) *schema.Account {
	paths := make([]string, nFolders)
	for f := range nFolders {
		paths[f] = fmt.Sprintf("f%02d", f)
	}
	return account(folders(paths...), func(a *schema.Account) {
		for i := range n {
			folder := paths[i%nFolders]
			name := fmt.Sprintf("img%03d.png", i)
			s := imageSource(t, dir, fmt.Sprintf("src/%d.png", seedOf(i)), seedOf(i))
			a.DriveFiles = append(a.DriveFiles, &schema.DriveFile{Name: name, Folder: folder, Source: *s})
		}
	})
}

// TestFilesOneOfFiftyChanged: of fifty declared images, new bytes for one
// are one upload (and the old file's deletion); the other 49 cost nothing.
func TestFilesOneOfFiftyChanged(t *testing.T) {
	env := newEmuEnv(t)
	dir := t.TempDir()
	acct := filesAccount(t, dir, 50, 5, func(i int) int { return 1000 + i })
	planAndApply(t, env, acct)
	if n := len(env.emu.FilesOf(env.me.ID)); n != 50 {
		t.Fatalf("%d files after the first apply", n)
	}
	acct = filesAccount(t, dir, 50, 5, func(i int) int {
		if i == 17 {
			return 5000
		}
		return 1000 + i
	})
	env.resetCounts()
	ap := planAndApply(t, env, acct)
	if got := changeSummary(ap); len(got) != 2 {
		t.Fatalf("plan %v, want the replace of one file and its old file's deletion", got)
	}
	if env.count("drive/files/create") != 1 || env.count("drive/files/delete") != 1 || env.count("drive/files/update") != 0 {
		t.Errorf("uploads %d, deletes %d, updates %d; want 1, 1, 0",
			env.count("drive/files/create"), env.count("drive/files/delete"), env.count("drive/files/update"))
	}
	t.Logf("changing one image of fifty: %d requests in all (read, plan, apply)", env.total())
}

// BenchmarkPlanDriveFiles: plan of an account with 500 drive files in 20
// folders, all declared, applied and recorded (emulator in process).
func BenchmarkPlanDriveFiles(b *testing.B) {
	env := newEmuEnv(b)
	dir := b.TempDir()
	acct := filesAccount(b, dir, 500, 20, func(i int) int { return 1000 + i })
	live, err := ReadAccount(context.Background(), env.c, acct)
	if err != nil {
		b.Fatal(err)
	}
	ap, _ := planner.PlanAccount(acct, live)
	if _, err := Apply(context.Background(), env.c, ap, nil); err != nil {
		b.Fatal(err)
	}
	env.resetCounts()
	b.ReportAllocs()
	for b.Loop() {
		live, err := ReadAccount(context.Background(), env.c, acct)
		if err != nil {
			b.Fatal(err)
		}
		ap, diags := planner.PlanAccount(acct, live)
		if diags.HasErrors() || len(ap.Changes) != 0 {
			b.Fatalf("plan: %v %v", diags, changeSummary(ap))
		}
	}
	b.ReportMetric(float64(env.total())/float64(b.N), "requests/op")
}

// TestReadFilesRequests counts a plan's reads of files and images: one
// listing per folder holding declared files (the root without folderId),
// one drive/files/show per image, and `drive` only when something would be
// uploaded.
func TestReadFilesRequests(t *testing.T) {
	env := newEmuEnv(t)
	dir := t.TempDir()
	acct := account(folders("media"), func(a *schema.Account) {
		a.Profile = &schema.Profile{Attrs: map[string]schema.ProfileValue{}, Images: map[string]schema.ProfileImage{
			"avatar": {Source: imageSource(t, dir, "a.png", 1)}, "banner": {Source: imageSource(t, dir, "b.png", 2)}}}
		a.DriveFiles = []*schema.DriveFile{
			{Name: "logo.png", Folder: "media", Source: *imageSource(t, dir, "logo.png", 3)},
			{Name: "doc.txt", Source: *writeSource(t, dir, "doc.txt", []byte("doc\n"), "text/plain")},
		}
	})
	planAndApply(t, env, acct)
	env.resetCounts()
	if ap := planAndApply(t, env, acct); len(ap.Changes) != 0 {
		t.Fatalf("second plan %v", changeSummary(ap))
	}
	want := map[string]int{"i": 1, "i/registry/get-detail": 1, "drive/folders": 1, "drive/files": 2, "drive/files/show": 2}
	check := func(want map[string]int) {
		t.Helper()
		env.mu.Lock()
		defer env.mu.Unlock()
		if !maps.Equal(env.counts, want) {
			t.Errorf("requests %v, want %v", env.counts, want)
		}
	}
	check(want)
	// New avatar bytes: the plan also reads the drive's free space.
	acct.Profile.Images["avatar"] = schema.ProfileImage{Source: imageSource(t, dir, "a2.png", 4)}
	env.resetCounts()
	live, err := ReadAccount(context.Background(), env.c, acct)
	if err != nil {
		t.Fatal(err)
	}
	want["drive"] = 1
	check(want)
	if live.Drive == nil || live.Drive.Capacity == 0 {
		t.Errorf("drive %+v", live.Drive)
	}
}

// TestAvatarAndBannerShareBytes: the same bytes as avatar and banner are
// one upload, one file for both (Misskey allows it).
func TestAvatarAndBannerShareBytes(t *testing.T) {
	env := newEmuEnv(t)
	dir := t.TempDir()
	data := pngBytes(t, 9)
	acct := account(func(a *schema.Account) {
		a.Profile = &schema.Profile{Attrs: map[string]schema.ProfileValue{}, Images: map[string]schema.ProfileImage{
			"avatar": {Source: writeSource(t, dir, "avatar.png", data, "image/png")},
			"banner": {Source: writeSource(t, dir, "banner.png", data, "image/png")}}}
	})
	planAndApply(t, env, acct)
	u := env.emu.UserByID(env.me.ID)
	if env.count("drive/files/create") != 1 || u.AvatarID == nil || u.BannerID == nil || *u.AvatarID != *u.BannerID {
		t.Errorf("%d uploads, avatar %v banner %v", env.count("drive/files/create"), u.AvatarID, u.BannerID)
	}
	if n := env.count("drive/files/find-by-hash"); n != 1 {
		t.Errorf("%d drive/files/find-by-hash for one file's bytes, want 1", n)
	}
	env.resetCounts()
	if ap := planAndApply(t, env, acct); len(ap.Changes) != 0 || env.count("drive/files/show") != 1 {
		t.Errorf("second plan %v, %d drive/files/show", changeSummary(ap), env.count("drive/files/show"))
	}
}
