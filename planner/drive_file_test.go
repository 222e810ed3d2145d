package planner

import (
	"strings"
	"testing"

	"github.com/mkctl/mkctl/schema"
)

func src(path, md5 string) schema.FileSource {
	return schema.FileSource{Path: path, Abs: "/cfg/" + path, MD5: md5, Size: 1000, Type: "image/png"}
}

func md5Of(c byte) string { return strings.Repeat(string(c), 32) }

func declFile(folder, name string, md5 string) *schema.DriveFile {
	return &schema.DriveFile{Name: name, Folder: folder, Source: src(name, md5)}
}

func liveFile(id, folderID, folder, name, md5 string) LiveFile {
	return LiveFile{ID: id, Name: name, FolderID: folderID, Folder: folder, MD5: md5, Size: 900, Type: "image/png"}
}

func TestDriveFileCreateIntoNewAndExistingFolders(t *testing.T) {
	acct := base()
	acct.DriveFolders = []*schema.DriveFolder{{Name: "media", Path: "media"}, {Name: "new", Path: "new"}}
	acct.DriveFiles = []*schema.DriveFile{declFile("media", "a.png", md5Of('a')), declFile("new", "b.png", md5Of('b')), declFile("", "c.png", md5Of('c'))}
	live := &Live{DriveFolders: []LiveFolder{{ID: "fm", Name: "media", Path: "media", FilesCount: -1}}}
	ap := mustPlan(t, acct, live)
	want := "create drive_folder[\"new\"]\ncreate drive_file[\"media/a.png\"]\ncreate drive_file[\"new/b.png\"]\ncreate drive_file[\"c.png\"]\n"
	if got := summary(ap); got != want {
		t.Fatalf("plan:\n%s\nwant:\n%s", got, want)
	}
	a, b, c := ap.Changes[1], ap.Changes[2], ap.Changes[3]
	if a.After["folderId"] != "fm" || a.Refs != nil {
		t.Errorf("a.png: After %v Refs %v, want folderId fm", a.After, a.Refs)
	}
	if b.Refs["folder"] != `drive_folder["new"]` || b.After["folderId"] != nil {
		t.Errorf("b.png: Refs %v, want the new folder", b.Refs)
	}
	if _, ok := c.After["folderId"]; ok || c.After["source"] != "/cfg/c.png" || c.After["md5"] != md5Of('c') || c.Applied != nil {
		t.Errorf("c.png: After %v Applied %v", c.After, c.Applied)
	}
}

func TestDriveFileUnchangedIsAdoptedOrNothing(t *testing.T) {
	acct := base()
	acct.DriveFiles = []*schema.DriveFile{declFile("", "a.png", md5Of('a'))}
	live := &Live{DriveFiles: []LiveFile{liveFile("f1", "", "", "a.png", md5Of('a'))}}
	ap := mustPlan(t, acct, live)
	if len(ap.Changes) != 0 || len(ap.Adopt) != 1 || ap.Adopt[0].Key != `drive_file["a.png"]` || ap.Adopt[0].ID != "f1" {
		t.Fatalf("changes %s adopt %+v", summary(ap), ap.Adopt)
	}
	live.Ownership = owning(map[string]string{`drive_file["a.png"]`: "f1"})
	if ap := mustPlan(t, acct, live); len(ap.Changes)+len(ap.Adopt)+len(ap.Forget) != 0 {
		t.Fatalf("owned, unchanged: %s %+v %v", summary(ap), ap.Adopt, ap.Forget)
	}
}

func TestDriveFileNewBytesReplaceAndDeleteOldAtTheEnd(t *testing.T) {
	acct := base()
	acct.DriveFiles = []*schema.DriveFile{declFile("", "a.png", md5Of('b'))}
	live := &Live{DriveFiles: []LiveFile{liveFile("f1", "", "", "a.png", md5Of('a'))},
		Ownership: owning(map[string]string{`drive_file["a.png"]`: "f1"})}
	ap := mustPlan(t, acct, live)
	want := "replace drive_file[\"a.png\"] f1\ndelete drive_file[\"a.png\"]~f1 f1\n"
	if got := summary(ap); got != want {
		t.Fatalf("plan:\n%s\nwant:\n%s", got, want)
	}
	if ap.Changes[0].After["retireOld"] != true || !ap.Changes[1].Followup {
		t.Errorf("replace After %v, delete followup %v", ap.Changes[0].After, ap.Changes[1].Followup)
	}
	if s := New(ap).Summary(); s != (Summary{Add: 1, Destroy: 1}) {
		t.Errorf("summary %+v, want the replace counted once", s)
	}
	// Not mkctl's old file: uploaded again, the old one stays.
	live.Ownership = nil
	ap = mustPlan(t, acct, live)
	if got := summary(ap); got != "replace drive_file[\"a.png\"] f1\n" || ap.Changes[0].After["retireOld"] != nil {
		t.Fatalf("unowned old file: %s %v", got, ap.Changes[0].After)
	}
}

func TestDriveFileMetadataUpdateSendsOnlyWhatDiffers(t *testing.T) {
	acct := base()
	f := declFile("", "a.png", md5Of('a'))
	alt := "alt"
	f.Comment = &alt
	acct.DriveFiles = []*schema.DriveFile{f}
	lf := liveFile("f1", "", "", "a.png", md5Of('a'))
	live := &Live{DriveFiles: []LiveFile{lf}, Ownership: owning(map[string]string{`drive_file["a.png"]`: "f1"})}
	ap := mustPlan(t, acct, live)
	if got := summary(ap); got != "update drive_file[\"a.png\"] f1\n" {
		t.Fatalf("plan %s", got)
	}
	if after := ap.Changes[0].After; len(after) != 1 || after["comment"] != "alt" {
		t.Errorf("update After %v, want the comment alone", after)
	}
	f.IsSensitive = true
	lf.Comment = &alt
	live.DriveFiles = []LiveFile{lf}
	ap = mustPlan(t, acct, live)
	if after := ap.Changes[0].After; len(after) != 1 || after["isSensitive"] != true {
		t.Errorf("update After %v, want isSensitive alone", after)
	}
}

func TestDriveFileUndeclared(t *testing.T) {
	acct := base()
	acct.DriveFolders = []*schema.DriveFolder{{Name: "m", Path: "m"}}
	acct.DriveFiles = []*schema.DriveFile{declFile("m", "keep.png", md5Of('k'))}
	live := &Live{
		DriveFolders: []LiveFolder{{ID: "fm", Name: "m", Path: "m", FilesCount: -1}},
		DriveFiles: []LiveFile{liveFile("k", "fm", "m", "keep.png", md5Of('k')), liveFile("o", "fm", "m", "old.png", md5Of('o')),
			liveFile("u", "fm", "m", "user.png", md5Of('u'))},
		Ownership: owning(map[string]string{`drive_file["m/keep.png"]`: "k", `drive_file["m/old.png"]`: "o"}),
	}
	ap := mustPlan(t, acct, live)
	if got := summary(ap); got != "delete drive_file[\"m/old.png\"] o\n" {
		t.Fatalf("plan %s", got)
	}
	if !strings.Contains(strings.Join(ap.Notes, "\n"), "1 drive file(s) not managed") {
		t.Errorf("notes %v", ap.Notes)
	}
	acct.Purge["drive_files"] = true
	ap = mustPlan(t, acct, live)
	if got := summary(ap); !strings.Contains(got, "delete drive_file[\"m/user.png\"]~u u") {
		t.Fatalf("purge plan %s", got)
	}
	// prevent_destroy on a replaced file.
	acct.Purge = map[string]bool{}
	acct.DriveFiles[0].Source.MD5 = md5Of('n')
	acct.DriveFiles[0].Lifecycle = schema.Lifecycle{PreventDestroy: true}
	live.Ownership = owning(map[string]string{`drive_file["m/keep.png"]`: "k"})
	if _, diags := PlanAccount(acct, live); !diags.HasErrors() {
		t.Errorf("prevent_destroy let a replace through")
	}
}

func TestDriveFolderGoesWithItsDeletedFiles(t *testing.T) {
	acct := base()
	live := &Live{
		DriveFolders: []LiveFolder{{ID: "fm", Name: "m", Path: "m", FilesCount: 1}},
		DriveFiles:   []LiveFile{liveFile("o", "fm", "m", "old.png", md5Of('o'))},
		Ownership:    owning(map[string]string{`drive_folder["m"]`: "fm", `drive_file["m/old.png"]`: "o"}),
	}
	ap := mustPlan(t, acct, live)
	if got, want := summary(ap), "delete drive_file[\"m/old.png\"] o\ndelete drive_folder[\"m\"] fm\n"; got != want {
		t.Fatalf("plan:\n%s\nwant:\n%s", got, want)
	}
}

func imagesAccount(avatar *schema.FileSource) *schema.Account {
	acct := base()
	acct.Profile = &schema.Profile{Attrs: map[string]schema.ProfileValue{}, Images: map[string]schema.ProfileImage{"avatar": {Source: avatar}}}
	return acct
}

func TestAvatarComparedByMD5(t *testing.T) {
	s := src("images/a.png", md5Of('a'))
	acct := imagesAccount(&s)
	live := &Live{Profile: map[string]any{"avatarId": "f1", "avatarUrl": "https://x/proxy/whatever"},
		ProfileImages: map[string]LiveFile{"avatar": liveFile("f1", "fk", "mkctl", "a.png", md5Of('a'))}}
	if ap := mustPlan(t, acct, live); len(ap.Changes) != 0 {
		t.Fatalf("same md5: %s", summary(ap))
	}
	// New bytes: the profile change carries the upload; the old file,
	// mkctl's, goes at the end.
	s2 := src("images/a.png", md5Of('b'))
	acct = imagesAccount(&s2)
	live.Ownership = owning(map[string]string{"profile.avatar": "f1"})
	ap := mustPlan(t, acct, live)
	if got, want := summary(ap), "update \ndelete profile.avatar~f1 f1\n"; got != want {
		t.Fatalf("plan:\n%s\nwant:\n%s", got, want)
	}
	c := ap.Changes[0]
	up, _ := c.After["avatar"].(map[string]any)
	if up["md5"] != md5Of('b') || c.After["avatarRetireOld"] != "f1" || len(c.Attrs) != 1 || c.Attrs[0].Name != "avatar" {
		t.Errorf("profile change %+v", c)
	}
	if New(ap).Summary() != (Summary{Change: 1}) {
		t.Errorf("summary %+v", New(ap).Summary())
	}
	// Not mkctl's: replaced, never deleted.
	live.Ownership = nil
	if got := summary(mustPlan(t, acct, live)); got != "update \n" {
		t.Errorf("unowned old avatar: %s", got)
	}
	// Cleared.
	acct = imagesAccount(nil)
	ap = mustPlan(t, acct, live)
	if v, ok := ap.Changes[0].After["avatar"]; !ok || v != nil {
		t.Errorf("clearing: After %v", ap.Changes[0].After)
	}
	// A text file is refused at its attribute.
	txt := schema.FileSource{Path: "notes.txt", Abs: "/cfg/notes.txt", MD5: md5Of('t'), Type: "text/plain"}
	if _, diags := PlanAccount(imagesAccount(&txt), live); !diags.HasErrors() || !strings.Contains(diags.Error(), "must be an image") {
		t.Errorf("text avatar: %v", diags)
	}
}

func TestPinnedNoteFiles(t *testing.T) {
	acct := base()
	acct.DriveFiles = []*schema.DriveFile{declFile("", "a.png", md5Of('a'))}
	n := note("top", "T")
	n.Files = []string{"a.png"}
	acct.PinnedNotes = []*schema.PinnedNote{n}
	ln := liveNote("n1", "T")
	ln.FileIDs = []string{"f1"}
	live := &Live{
		DriveFiles:  []LiveFile{liveFile("f1", "", "", "a.png", md5Of('a'))},
		PinnedNotes: []LiveNote{ln},
		Ownership:   owning(map[string]string{`drive_file["a.png"]`: "f1", "pinned_note.top": "n1"}),
	}
	if ap := mustPlan(t, acct, live); len(ap.Changes) != 0 {
		t.Fatalf("same files: %s", summary(ap))
	}
	// The file's bytes change: the note is replaced and attaches the new
	// upload, whose id comes from the apply.
	acct.DriveFiles[0].Source.MD5 = md5Of('b')
	ap := mustPlan(t, acct, live)
	want := "replace drive_file[\"a.png\"] f1\nreplace pinned_note.top n1\ndelete drive_file[\"a.png\"]~f1 f1\n"
	if got := summary(ap); got != want {
		t.Fatalf("plan:\n%s\nwant:\n%s", got, want)
	}
	pn := ap.Changes[1]
	if ids, _ := pn.After["fileIds"].([]any); len(ids) != 1 || ids[0] != "" || pn.Refs["fileIds.0"] != `drive_file["a.png"]` {
		t.Errorf("note After %v Refs %v", pn.After, pn.Refs)
	}
	if _, ok := pn.Applied["fileIds"]; ok {
		t.Errorf("Applied carries fileIds: %v", pn.Applied)
	}
	// A note without files where the block asks for one is replaced too.
	acct.DriveFiles[0].Source.MD5 = md5Of('a')
	live.PinnedNotes[0].FileIDs = nil
	if got := summary(mustPlan(t, acct, live)); got != "replace pinned_note.top n1\n" {
		t.Errorf("note lost its file: %s", got)
	}
}

func TestUploadChecks(t *testing.T) {
	acct := base()
	txt := declFile("", "notes.txt", md5Of('t'))
	txt.Source.Type = "text/plain"
	big := declFile("", "big.png", md5Of('b'))
	big.Source.Size = 31 << 20
	acct.DriveFiles = []*schema.DriveFile{txt, big}
	live := &Live{Profile: map[string]any{}, Policies: map[string]any{"uploadableFileTypes": []any{"image/*"}}}
	_, diags := PlanAccount(acct, live)
	if len(diags) != 2 || !strings.Contains(diags[0].Detail, "UNALLOWED_FILE_TYPE") || !strings.Contains(diags[1].Detail, "MAX_FILE_SIZE_EXCEEDED") {
		t.Errorf("diags: %v", diags)
	}
	// Within the limits, but not within the free space: the new bytes
	// count in full (old files go only after the uploads).
	big.Source.Size = 20 << 20
	live.Policies = map[string]any{"maxFileSizeMb": float64(50)}
	live.Drive = &DriveUsage{Capacity: 100 << 20, Usage: 90 << 20}
	if _, diags := PlanAccount(acct, live); len(diags) != 1 || !strings.Contains(diags.Error(), "NO_FREE_SPACE") {
		t.Errorf("diags: %v", diags)
	}
	live.Drive.Usage = 10 << 20
	if _, diags := PlanAccount(acct, live); diags.HasErrors() {
		t.Errorf("fits: %v", diags)
	}
	// Moderators skip Misskey's checks.
	live.Drive.Usage = 99 << 20
	live.Profile["isModerator"] = true
	if _, diags := PlanAccount(acct, live); diags.HasErrors() {
		t.Errorf("moderator: %v", diags)
	}
	// An unchanged file is not uploaded, so not checked.
	delete(live.Profile, "isModerator")
	live.DriveFiles = []LiveFile{liveFile("f1", "", "", "big.png", md5Of('b')), liveFile("f2", "", "", "notes.txt", md5Of('t'))}
	if _, diags := PlanAccount(acct, live); diags.HasErrors() {
		t.Errorf("nothing uploaded: %v", diags)
	}
}

func TestAlwaysMarkNsfwRefusesNonSensitiveFiles(t *testing.T) {
	acct := base()
	acct.DriveFiles = []*schema.DriveFile{declFile("", "a.png", md5Of('a'))}
	live := &Live{Policies: map[string]any{"alwaysMarkNsfw": true}}
	if _, diags := PlanAccount(acct, live); !diags.HasErrors() || !strings.Contains(diags[0].Detail, "is_sensitive = true") {
		t.Errorf("diags: %v", diags)
	}
	acct.DriveFiles[0].IsSensitive = true
	if _, diags := PlanAccount(acct, live); diags.HasErrors() {
		t.Errorf("sensitive file refused: %v", diags)
	}
}

func TestCanUpdateBioMedia(t *testing.T) {
	s := src("a.png", md5Of('a'))
	live := &Live{Profile: map[string]any{}, Policies: map[string]any{"canUpdateBioMedia": false}}
	if _, diags := PlanAccount(imagesAccount(&s), live); !diags.HasErrors() || !strings.Contains(diags[0].Detail, "canUpdateBioMedia") {
		t.Errorf("diags: %v", diags)
	}
}
