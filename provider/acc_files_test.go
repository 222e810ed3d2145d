package provider

import (
	"bytes"
	"context"
	"crypto/rand"
	"image"
	"image/png"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/internal/acctest"
	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// Acceptance tests of issue 11 against the real Misskey: avatar, banner,
// drive files and pinned notes with files, planned and applied through the
// Go API, every request counted by a proxy.

// accFilesStep plans acct, checks the plan's changes, applies it, and
// returns the requests the apply made by endpoint.
func accFilesStep(t *testing.T, ctx context.Context, c *Client, px *acctest.Proxy, acct *schema.Account, want []string) *planner.AccountPlan {
	t.Helper()
	_, ap := planReal(t, ctx, c, acct)
	got := changesOf(ap)
	if !slices.Equal(got, want) {
		t.Fatalf("plan:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	px.Reset()
	if _, err := Apply(ctx, c, ap, nil); err != nil {
		t.Fatalf("apply: %v", err)
	}
	return ap
}

// accNoChanges plans acct again and insists on "No changes", with only
// reads sent.
func accNoChanges(t *testing.T, ctx context.Context, c *Client, px *acctest.Proxy, acct *schema.Account) {
	t.Helper()
	px.Reset()
	_, ap := planReal(t, ctx, c, acct)
	if got := changesOf(ap); len(got) > 0 || len(ap.Adopt) > 0 || len(ap.Forget) > 0 {
		t.Fatalf("second plan not empty: %v adopt %v forget %v", got, ap.Adopt, ap.Forget)
	}
	for _, ep := range []string{"drive/files/create", "drive/files/update", "drive/files/delete", "i/update", "notes/create", "i/registry/set"} {
		if n := px.Count(ep); n > 0 {
			t.Errorf("a plan sent %d %s", n, ep)
		}
	}
}

type accMe struct {
	AvatarID    *string `json:"avatarId"`
	BannerID    *string `json:"bannerId"`
	PinnedNotes []struct {
		ID      string   `json:"id"`
		FileIDs []string `json:"fileIds"`
	} `json:"pinnedNotes"`
}

func accFileMD5(t *testing.T, srv *acctest.Server, u *acctest.User, id *string) string {
	t.Helper()
	if id == nil {
		return ""
	}
	var f apiFile
	u.Call(t, "drive/files/show", map[string]any{"fileId": *id}, &f)
	return f.MD5
}

// accFileGone waits for a deleted file to disappear: drive/files/delete
// answers before the row is gone (API-NOTES §10).
func accFileGone(t *testing.T, ctx context.Context, srv *acctest.Server, u *acctest.User, id string) {
	t.Helper()
	for range 50 {
		resp, err := srv.Call(ctx, u.NativeToken, "drive/files/show", map[string]any{"fileId": id})
		if err == nil && resp.Status == 400 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Errorf("drive file %s still exists", id)
}

// TestAccFiles walks one account through issue 11 on the real server:
// avatar and banner set from files, a drive file with a comment, a pinned
// note attaching it; an unchanged image costs no write; changed avatar
// bytes are one upload, one i/update and the old file deleted; a metadata
// change is one drive/files/update; new bytes of the attached file replace
// the note; an undeclared owned file is deleted; a non-image avatar is
// refused before any write. Every plan after an apply says "No changes".
func TestAccFiles(t *testing.T) {
	srv := acctest.Connect(t)
	ctx := accCtx(t)
	u := srv.NewUser(t, "files")
	px := srv.NewProxy(t)
	c := accClient(t, &acctest.Server{URL: px.URL}, u.MiAuth(t, mkctlPermissions...))
	dir := t.TempDir()

	avatar := imageSource(t, dir, "images/avatar.png", 1)
	banner := imageSource(t, dir, "images/banner.png", 2)
	logo := imageSource(t, dir, "media/logo.png", 3)
	comment := "The logo"
	acct := account(folders("media"), func(a *schema.Account) {
		a.Username, a.Host = u.Username, px.URL
		a.Profile = &schema.Profile{Attrs: map[string]schema.ProfileValue{}, Images: map[string]schema.ProfileImage{
			"avatar": {Source: avatar}, "banner": {Source: banner}}}
		a.DriveFiles = []*schema.DriveFile{{Name: "logo.png", Folder: "media", Source: *logo, Comment: &comment}}
		a.PinnedNotes = []*schema.PinnedNote{{Label: "top", Text: "files acc: with the logo", Visibility: "public", Files: []string{"media/logo.png"}}}
	})

	// 1. Everything from nothing.
	accFilesStep(t, ctx, c, px, acct, []string{
		"update profile ",
		`create drive_folder drive_folder["media"]`,
		`create drive_file drive_file["media/logo.png"]`,
		"create pinned_note pinned_note.top",
	})
	if n := px.Count("drive/files/create"); n != 3 {
		t.Errorf("first apply: %d uploads, want 3 (avatar, banner, logo)", n)
	}
	var me accMe
	u.Call(t, "i", nil, &me)
	if accFileMD5(t, srv, u, me.AvatarID) != avatar.MD5 || accFileMD5(t, srv, u, me.BannerID) != banner.MD5 {
		t.Fatalf("avatar/banner not set from the files: %+v", me)
	}
	var logoFiles []apiFile
	u.Call(t, "drive/files/find-by-hash", map[string]any{"md5": logo.MD5}, &logoFiles)
	if len(logoFiles) != 1 || logoFiles[0].Name != "logo.png" || logoFiles[0].Comment == nil || *logoFiles[0].Comment != comment {
		t.Fatalf("logo: %+v", logoFiles)
	}
	if len(me.PinnedNotes) != 1 || !slices.Equal(me.PinnedNotes[0].FileIDs, []string{logoFiles[0].ID}) {
		t.Fatalf("pinned note files %+v, want [%s]", me.PinnedNotes, logoFiles[0].ID)
	}
	var avatarFile apiFile
	u.Call(t, "drive/files/show", map[string]any{"fileId": *me.AvatarID}, &avatarFile)
	var folder struct {
		Name     string  `json:"name"`
		ParentID *string `json:"parentId"`
	}
	u.Call(t, "drive/folders/show", map[string]any{"folderId": avatarFile.folderID()}, &folder)
	if folder.Name != planner.ImageFolderName || folder.ParentID != nil {
		t.Errorf("the avatar is in folder %+v, want the root folder %q", folder, planner.ImageFolderName)
	}
	accNoChanges(t, ctx, c, px, acct)

	// 2. Changed avatar bytes: one upload, one i/update, the old file deleted.
	oldAvatar := *me.AvatarID
	acct.Profile.Images["avatar"] = schema.ProfileImage{Source: imageSource(t, dir, "images/avatar2.png", 4)}
	ap := accFilesStep(t, ctx, c, px, acct, []string{"update profile ", `delete drive_file profile.avatar~` + oldAvatar})
	if a := ap.Changes[0].Attrs; len(a) != 1 || a[0].Name != "avatar" {
		t.Errorf("profile change attrs %+v, want the avatar alone", a)
	}
	if px.Count("drive/files/create") != 1 || px.Count("i/update") != 1 || px.Count("drive/files/delete") != 1 {
		t.Errorf("avatar change: %d uploads, %d i/update, %d deletes; want 1 each",
			px.Count("drive/files/create"), px.Count("i/update"), px.Count("drive/files/delete"))
	}
	u.Call(t, "i", nil, &me)
	if accFileMD5(t, srv, u, me.AvatarID) != acct.Profile.Images["avatar"].Source.MD5 {
		t.Errorf("the avatar was not changed")
	}
	accFileGone(t, ctx, srv, u, oldAvatar)
	accNoChanges(t, ctx, c, px, acct)

	// 3. Metadata of the drive file: one drive/files/update in place.
	comment2 := "The logo, sensitive"
	acct.DriveFiles[0].Comment = &comment2
	acct.DriveFiles[0].IsSensitive = true
	accFilesStep(t, ctx, c, px, acct, []string{`update drive_file drive_file["media/logo.png"]`})
	if px.Count("drive/files/update") != 1 || px.Count("drive/files/create") != 0 {
		t.Errorf("metadata change: %d updates, %d uploads", px.Count("drive/files/update"), px.Count("drive/files/create"))
	}
	accNoChanges(t, ctx, c, px, acct)

	// 4. New bytes for the logo: a new upload, the note attaching it
	// replaced, the old logo deleted after the note.
	oldLogo := logoFiles[0].ID
	logo2 := imageSource(t, dir, "media/logo2.png", 5)
	acct.DriveFiles[0].Source = *logo2
	accFilesStep(t, ctx, c, px, acct, []string{
		`replace drive_file drive_file["media/logo.png"]`,
		"replace pinned_note pinned_note.top",
		`delete drive_file drive_file["media/logo.png"]~` + oldLogo,
	})
	u.Call(t, "i", nil, &me)
	var newLogo []apiFile
	u.Call(t, "drive/files/find-by-hash", map[string]any{"md5": logo2.MD5}, &newLogo)
	if len(newLogo) != 1 || newLogo[0].Name != "logo.png" || !newLogo[0].IsSensitive {
		t.Fatalf("new logo %+v", newLogo)
	}
	if len(me.PinnedNotes) != 1 || !slices.Equal(me.PinnedNotes[0].FileIDs, []string{newLogo[0].ID}) {
		t.Fatalf("pinned note files %+v, want [%s]", me.PinnedNotes, newLogo[0].ID)
	}
	accFileGone(t, ctx, srv, u, oldLogo)
	accNoChanges(t, ctx, c, px, acct)

	// 5. The file no longer declared (nor attached): mkctl owns it, so it goes.
	acct.DriveFiles = nil
	acct.PinnedNotes[0].Files = nil
	accFilesStep(t, ctx, c, px, acct, []string{
		"replace pinned_note pinned_note.top",
		`delete drive_file drive_file["media/logo.png"]`,
	})
	accFileGone(t, ctx, srv, u, newLogo[0].ID)
	accNoChanges(t, ctx, c, px, acct)

	// 6. A text file as the avatar: refused by the plan, nothing written.
	px.Reset()
	acct.Profile.Images["avatar"] = schema.ProfileImage{Source: writeSource(t, dir, "notes.txt", []byte("not an image\n"), "text/plain")}
	live, err := ReadAccount(ctx, c, acct)
	if err != nil {
		t.Fatal(err)
	}
	if _, diags := planner.PlanAccount(acct, live); !diags.HasErrors() || !strings.Contains(diags.Error(), "must be an image") {
		t.Errorf("a text avatar planned: %v", diags)
	}
	for _, ep := range []string{"drive/files/create", "i/update", "i/registry/set"} {
		if px.Count(ep) > 0 {
			t.Errorf("%s sent for a refused plan", ep)
		}
	}
}

// TestAccFilesLostRepliesConverge: the replies of both uploads are lost
// (the server stored the files, mkctl never heard), each failing its apply;
// the next run finds each file by md5 at its place instead of uploading it
// again, and the account converges with one copy of each.
func TestAccFilesLostRepliesConverge(t *testing.T) {
	srv := acctest.Connect(t)
	ctx := accCtx(t)
	u := srv.NewUser(t, "filesk")
	px := srv.NewProxy(t)
	c := accClient(t, &acctest.Server{URL: px.URL}, u.MiAuth(t, mkctlPermissions...))
	dir := t.TempDir()
	avatar := imageSource(t, dir, "avatar.png", 7)
	logo := imageSource(t, dir, "logo.png", 8)
	acct := account(func(a *schema.Account) {
		a.Username, a.Host = u.Username, px.URL
		a.Profile = &schema.Profile{Attrs: map[string]schema.ProfileValue{"name": {Value: "Lost replies"}},
			Images: map[string]schema.ProfileImage{"avatar": {Source: avatar}}}
		a.DriveFiles = []*schema.DriveFile{{Name: "logo.png", Source: *logo}}
		a.PinnedNotes = []*schema.PinnedNote{{Label: "top", Text: "files acc: lost replies", Visibility: "public", Files: []string{"logo.png"}}}
	})
	uploads := 0
	for round := 1; round <= 3; round++ {
		drop := true
		px.OnAnswer(func(n int, endpoint string, status int) bool {
			if endpoint == "drive/files/create" && drop {
				drop = false
				return false // the server stored it; the reply is lost
			}
			return true
		})
		px.Reset()
		_, ap := planReal(t, ctx, c, acct)
		_, err := Apply(ctx, c, ap, nil)
		uploads += px.Count("drive/files/create")
		if round < 3 && err == nil {
			t.Fatalf("round %d: the apply did not see the lost reply", round)
		}
		if round == 3 && err != nil {
			t.Fatalf("round 3: %v", err)
		}
		if round < 3 {
			t.Logf("round %d failed as meant: %v", round, err)
		}
	}
	px.OnAnswer(nil)
	if uploads != 2 {
		t.Errorf("%d uploads in all, want 2 (each file once)", uploads)
	}
	for _, s := range []*schema.FileSource{avatar, logo} {
		var found []apiFile
		u.Call(t, "drive/files/find-by-hash", map[string]any{"md5": s.MD5}, &found)
		if len(found) != 1 {
			t.Errorf("%s: %d files of its bytes, want 1", s.Path, len(found))
		}
	}
	var me accMe
	u.Call(t, "i", nil, &me)
	if accFileMD5(t, srv, u, me.AvatarID) != avatar.MD5 || len(me.PinnedNotes) != 1 || len(me.PinnedNotes[0].FileIDs) != 1 {
		t.Errorf("account after convergence: %+v", me)
	}
	accNoChanges(t, ctx, c, px, acct)
}

// TestAccFilesPolicyChecks: with a role allowing only images in a 1 MiB
// drive, the plan refuses a text file (UNALLOWED_FILE_TYPE) and an avatar
// larger than the free space (NO_FREE_SPACE) at their blocks, before any
// write; the same avatar is what the real server refuses.
func TestAccFilesPolicyChecks(t *testing.T) {
	srv := acctest.Connect(t)
	ctx := accCtx(t)
	u := srv.NewUser(t, "filesp")
	srv.SetPolicy(t, u, "uploadableFileTypes", []any{"image/*"})
	srv.SetPolicy(t, u, "driveCapacityMb", 1)
	px := srv.NewProxy(t)
	c := accClient(t, &acctest.Server{URL: px.URL}, u.MiAuth(t, mkctlPermissions...))
	dir := t.TempDir()
	// Noise does not compress: 600×600 RGBA is about 1.4 MB of PNG.
	img := image.NewRGBA(image.Rect(0, 0, 600, 600))
	if _, err := rand.Read(img.Pix); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	big := writeSource(t, dir, "big.png", b.Bytes(), "image/png")
	txt := writeSource(t, dir, "notes.txt", []byte("some notes\n"), "text/plain")
	acct := account(func(a *schema.Account) {
		a.Username, a.Host = u.Username, px.URL
		a.Profile = &schema.Profile{Attrs: map[string]schema.ProfileValue{}, Images: map[string]schema.ProfileImage{"avatar": {Source: big}}}
		a.DriveFiles = []*schema.DriveFile{{Name: "notes.txt", Source: *txt}}
	})
	live, err := ReadAccount(ctx, c, acct)
	if err != nil {
		t.Fatal(err)
	}
	if live.Drive == nil || live.Drive.Capacity != 1<<20 {
		t.Fatalf("drive usage %+v, want a capacity of 1 MiB", live.Drive)
	}
	_, diags := planner.PlanAccount(acct, live)
	var details []string
	for _, d := range diags {
		details = append(details, d.Detail)
	}
	all := strings.Join(details, "\n")
	if !strings.Contains(all, "UNALLOWED_FILE_TYPE") || !strings.Contains(all, "NO_FREE_SPACE") {
		t.Errorf("diagnostics:\n%s", all)
	}
	for _, ep := range []string{"drive/files/create", "i/update", "i/registry/set"} {
		if px.Count(ep) > 0 {
			t.Errorf("%s sent while planning", ep)
		}
	}
	// The server agrees: the upload is refused.
	c2 := accClient(t, srv, u.NativeToken)
	err = c2.Upload(ctx, "drive/files/create", upload{Fields: [][2]string{{"name", "big.png"}}, Path: big.Abs, Filename: "big.png", Size: big.Size}, nil)
	if !IsCode(err, "NO_FREE_SPACE") {
		t.Errorf("the real server answered %v, want NO_FREE_SPACE", err)
	}
}
