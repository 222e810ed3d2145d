package export

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// fileName is a name a random drive file gets; ok: a drive_file block
// can declare it (given content of its type).
type fileName struct {
	name string
	ok   bool
}

// pngNames, jpegNames and textNames: the names of files of each kind,
// the awkward ones included (characters Windows refuses in file names,
// reserved device names, case twins, names Misskey would store otherwise).
var (
	pngNames = []fileName{
		{"logo.png", true}, {"Logo.PNG", true}, {"LOGO.png", true}, {"CON.png", true}, {"a:b*c?.png", true},
		{"日本語.png", true}, {"🎉.png", true}, {"${x}.png", true}, {"%{if}.png", true}, {`"q".png`, true},
		{"trailing. .png", true}, {"nul.PNG", true}, {".hidden.png", true}, {strings.Repeat("長", 190) + ".png", true},
		{"x..y.png", false}, {" lead.png", false}, {"blob", false}, {`back\slash.png`, false},
		{"photo.jpg", false}, {"noext", false}, {strings.Repeat("x", 200) + ".png", false},
	}
	jpegNames = []fileName{{"photo.jpg", true}, {"photo.JPEG", true}, {"Photo.jpg", true}, {"logo.png", false}}
	textNames = []fileName{{"notes.txt", true}, {"data.csv", true}, {"a<b>.txt", true}, {"README", false}, {"notes.TXT", false}}
)

// randPNG and randJPEG are small valid images of random size and colours.
func randPNG(r *rand.Rand) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 1+r.Intn(8), 1+r.Intn(8)))
	for i := range img.Pix {
		img.Pix[i] = byte(r.Intn(256))
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func randJPEG(r *rand.Rand) []byte {
	img := image.NewGray(image.Rect(0, 0, 1+r.Intn(8), 1+r.Intn(8)))
	for i := range img.Pix {
		img.Pix[i] = byte(r.Intn(256))
	}
	img.Set(0, 0, color.Gray{Y: byte(r.Intn(256))})
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// files puts random files in the root and the folders (declared or not),
// sets the avatar and banner now and then, and pins notes attaching files.
// It counts what export must declare.
func (w *world) files(r *rand.Rand, live *planner.Live) {
	w.fileData = map[string][]byte{}
	w.acc.FileURLs = map[string]string{}
	folders := append([]planner.LiveFolder{{}}, live.DriveFolders...) // the root first
	n := 0
	ok := map[string]bool{} // ids export must declare
	type slot struct{ folder, name string }
	bySlot := map[slot][]string{}
	for _, fo := range folders {
		if r.Intn(3) == 0 && fo.ID != "" {
			continue
		}
		for i := r.Intn(4); i > 0 && n < 40; i-- {
			n++
			id := fmt.Sprintf("file%03d", n)
			var data []byte
			var typ string
			var fn fileName
			switch r.Intn(3) {
			case 0:
				data, typ, fn = randPNG(r), "image/png", pngNames[r.Intn(len(pngNames))]
			case 1:
				data, typ, fn = randJPEG(r), "image/jpeg", jpegNames[r.Intn(len(jpegNames))]
			default:
				data = []byte(trimmedText(r, 200, true))
				fn = textNames[r.Intn(len(textNames))]
				typ = schema.SniffType(data, fn.name)
				if typ != "text/plain" && typ != "text/csv" {
					fn.ok = false
				}
			}
			good := fn.ok
			if r.Intn(15) == 0 {
				// Misskey says PNG, mkctl sees no such thing: Load would
				// refuse it, so export leaves it out after the download.
				data, typ, good = []byte("not really a png"), "image/png", false
			}
			sum := md5.Sum(data)
			f := planner.LiveFile{ID: id, Name: fn.name, FolderID: fo.ID, Folder: fo.Path, MD5: hex.EncodeToString(sum[:]),
				Size: int64(len(data)), Type: typ, IsSensitive: randBool(r, 20), CreatedAt: randTime(r)}
			switch r.Intn(6) {
			case 0:
				c := trimmedText(r, 512, true)
				f.Comment = &c
			case 1:
				c := ""
				f.Comment = &c // mkctl reads "" as no comment: left out
				good = false
			}
			if fo.ID != "" && !w.declaredFolders[fo.ID] {
				good = false
			}
			live.DriveFiles = append(live.DriveFiles, f)
			w.fileData[id] = data
			w.acc.FileURLs[id] = "https://files.example/" + id
			bySlot[slot{fo.ID, fn.name}] = append(bySlot[slot{fo.ID, fn.name}], id)
			ok[id] = good
		}
	}
	for _, ids := range bySlot {
		if len(ids) > 1 {
			for _, id := range ids {
				ok[id] = false // several of one name: none is declared
			}
		}
	}
	var declared, images []string
	for _, f := range live.DriveFiles {
		if ok[f.ID] {
			declared = append(declared, f.ID)
			w.wantFiles++
		}
		if strings.HasPrefix(f.Type, "image/") {
			images = append(images, f.ID)
		}
	}
	byID := map[string]planner.LiveFile{}
	for _, f := range live.DriveFiles {
		byID[f.ID] = f
	}
	// The avatar and banner: a drive file, the same one for both, or one
	// the listing does not hold.
	live.ProfileImages = map[string]planner.LiveFile{}
	for _, name := range schema.ProfileImages {
		switch k := r.Intn(4); {
		case k == 0 && len(images) > 0:
			f := byID[images[r.Intn(len(images))]]
			live.Profile[name+"Id"] = f.ID
			live.ProfileImages[name] = f
		case k == 1 && name == "banner" && live.Profile["avatarId"] != nil:
			live.Profile["bannerId"] = live.Profile["avatarId"]
			live.ProfileImages["banner"] = live.ProfileImages["avatar"]
		case k == 2:
			data := randPNG(r)
			sum := md5.Sum(data)
			id := "img_" + name
			f := planner.LiveFile{ID: id, Name: "image.webp", MD5: hex.EncodeToString(sum[:]), Size: int64(len(data)), Type: "image/png"}
			w.fileData[id] = data
			w.acc.FileURLs[id] = "https://files.example/" + id
			live.Profile[name+"Id"] = id
			live.ProfileImages[name] = f
		}
	}
	for _, name := range schema.ProfileImages {
		if _, ok := live.Profile[name+"Id"]; ok && !strings.HasPrefix(live.ProfileImages[name].Type, "image/") {
			panic("not an image")
		}
	}
	// Pinned notes with files: declared when every file is.
	all := make([]string, 0, len(live.DriveFiles))
	for _, f := range live.DriveFiles {
		all = append(all, f.ID)
	}
	for i := r.Intn(3); i > 0 && len(all) > 0 && len(live.PinnedNotes) < 5; i-- { // pinLimit
		nt := planner.LiveNote{ID: fmt.Sprintf("filenote%d", i), Text: fmt.Sprintf("Files %d", i), Visibility: "public"}
		pick := all
		if r.Intn(2) == 0 && len(declared) > 0 {
			pick = declared
		}
		seen := map[string]bool{}
		for k := 1 + r.Intn(3); k > 0; k-- {
			id := pick[r.Intn(len(pick))]
			if !seen[id] {
				seen[id] = true
				nt.FileIDs = append(nt.FileIDs, id)
			}
		}
		good := true
		for _, id := range nt.FileIDs {
			good = good && ok[id]
		}
		if r.Intn(10) == 0 {
			nt.FileIDs = append(nt.FileIDs, "deleted-file") // a deleted file's id stays in fileIds
			good = false
		}
		live.PinnedNotes = append(live.PinnedNotes, nt)
		if good {
			w.wantNotes++
		}
	}
}

// generate is what cmd does: Generate, download the files, check them
// as Load will (schema.CheckSourceFile) and Generate again without those
// it would refuse.
func (w *world) generate(t testing.TB, opts Options) (*Result, error) {
	res, err := Generate(w.acc, opts)
	if err != nil || len(res.Downloads) == 0 {
		return res, err
	}
	dir := t.TempDir()
	writeDownloads(t, dir, res, w.fileData)
	skip := map[string]string{}
	for _, d := range res.Downloads {
		if d.Name != "" {
			if _, _, _, why := schema.CheckSourceFile(dir, d.Path, d.Name); why != "" {
				skip[d.FileID] = why
			}
		}
		if d.Image {
			if _, _, _, why := schema.CheckSourceFile(dir, d.Path, ""); why != "" {
				skip[ImageSkipKey(d.FileID)] = why
			}
		}
	}
	if len(skip) == 0 {
		return res, nil
	}
	opts.SkipFiles = skip
	return Generate(w.acc, opts)
}

// writeDownloads writes the downloads of res into dir from data (file
// id → bytes), checking what cmd checks: a path of its own inside dir,
// the md5 and size the download names.
func writeDownloads(t testing.TB, dir string, res *Result, data map[string][]byte) {
	t.Helper()
	seen := map[string]bool{}
	for _, d := range res.Downloads {
		if path.Clean(d.Path) != d.Path || strings.HasPrefix(d.Path, "../") || path.IsAbs(d.Path) {
			t.Fatalf("download path %q is not a clean relative path", d.Path)
		}
		low := strings.ToLower(d.Path)
		if seen[low] {
			t.Fatalf("two downloads at %q (compared without case)", d.Path)
		}
		seen[low] = true
		b, ok := data[d.FileID]
		if !ok {
			t.Fatalf("download of unknown file %s", d.FileID)
		}
		sum := md5.Sum(b)
		if hex.EncodeToString(sum[:]) != d.MD5 || int64(len(b)) != d.Size || d.URL == "" {
			t.Fatalf("download %+v does not name the file's md5, size and url", d)
		}
		p := filepath.Join(dir, filepath.FromSlash(d.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSafeComponent(t *testing.T) {
	for in, want := range map[string]string{
		"logo.png":     "logo.png",
		"a:b*c?.png":   "a_b_c_.png",
		"..":           "__",
		".":            "_",
		"":             "_",
		"CON":          "_CON",
		"con.png":      "_con.png",
		"COM1.txt":     "_COM1.txt",
		"console.png":  "console.png",
		"trailing. ":   "trailing__",
		"tab\there":    "tab_here",
		`back\slash`:   "back_slash",
		"日本語":          "日本語",
		"<>|\"":        "____",
		".hidden.png":  ".hidden.png",
		"dir/../x.png": "dir_.._x.png",
	} {
		if got := safeComponent(in, true); got != want {
			t.Errorf("safeComponent(%q) = %q, want %q", in, got, want)
		}
	}
	long := safeComponent(strings.Repeat("長", 190)+".png", true)
	if len(long) > maxComponentBytes || !strings.HasSuffix(long, ".png") || !strings.HasPrefix(long, "長") {
		t.Errorf("long name: %d bytes %q", len(long), long)
	}
}

func TestPathAllocator(t *testing.T) {
	a := newPathAllocator()
	a.dir("files/logo.png") // a folder named like a file
	got := []string{
		a.file("files", "logo.png"),
		a.file("files", "Logo.PNG"),
		a.file("files", "LOGO.png"),
		a.file("files/logo.png", "x.png"),
	}
	want := []string{"files/logo_2.png", "files/Logo_3.PNG", "files/LOGO_4.png", "files/logo.png/x.png"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestExportFiles: files in the root and in folders, the avatar and
// banner, and a pinned note attaching files, as the files show them.
func TestExportFiles(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	logo, photo := randPNG(r), randJPEG(r)
	text := []byte("hello\n")
	sum := func(b []byte) string { s := md5.Sum(b); return hex.EncodeToString(s[:]) }
	alt := "The logo"
	p := freshI("weatherbot")
	p["avatarId"], p["bannerId"] = "fl", "fb"
	live := &planner.Live{
		UserID: "u0", Username: "weatherbot", Profile: p,
		DriveFolders: []planner.LiveFolder{{ID: "d1", Name: "media", Path: "media"}, {ID: "d2", Name: "con", Path: "con"}},
		DriveFiles: []planner.LiveFile{
			{ID: "fl", Name: "logo.png", FolderID: "d1", Folder: "media", MD5: sum(logo), Size: int64(len(logo)), Type: "image/png", Comment: &alt},
			{ID: "fp", Name: "photo.jpg", FolderID: "d2", Folder: "con", MD5: sum(photo), Size: int64(len(photo)), Type: "image/jpeg", IsSensitive: true},
			{ID: "ft", Name: "notes.txt", MD5: sum(text), Size: int64(len(text)), Type: "text/plain"},
			{ID: "fx", Name: "README", MD5: sum(text), Size: int64(len(text)), Type: "application/octet-stream"},
		},
		PinnedNotes: []planner.LiveNote{
			{ID: "n1", Text: "With files", Visibility: "public", FileIDs: []string{"fp", "fl"}},
			{ID: "n2", Text: "With a gone file", Visibility: "public", FileIDs: []string{"gone"}},
		},
	}
	live.ProfileImages = map[string]planner.LiveFile{"avatar": live.DriveFiles[0],
		"banner": {ID: "fb", Name: "banner.png", MD5: sum(logo[:len(logo)]), Size: int64(len(logo)), Type: "image/png"}}
	acc := Account{Host: "misskey.example", Username: "weatherbot", Live: live,
		FileURLs: map[string]string{"fl": "u/fl", "fp": "u/fp", "ft": "u/ft", "fx": "u/fx", "fb": "u/fb"}}
	res, err := Generate(acc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := string(res.Files[0].Content)
	for _, want := range []string{
		`avatar = "files/media/logo.png"`,
		`banner = "images/banner.png"`,
		"drive_file \"notes.txt\" {\n    source = \"files/notes.txt\"\n  }",
		`# Drive file "README" (id fx) is not exported: Misskey did not recognise its content`,
		"drive_folder \"con\" {\n    drive_file \"photo.jpg\" {\n      source       = \"files/_con/photo.jpg\"\n      is_sensitive = true\n    }\n  }",
		"drive_file \"logo.png\" {\n      source  = \"files/media/logo.png\"\n      comment = \"The logo\"\n    }",
		`files = [drive_file["con/photo.jpg"], drive_file["media/logo.png"]]`,
		`# Pinned note 2 (id n2) is not exported: its file gone is not in the account's drive`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	var paths []string
	for _, d := range res.Downloads {
		paths = append(paths, fmt.Sprintf("%s %s %v", d.Path, d.Name, d.Image))
	}
	if want := "[files/_con/photo.jpg photo.jpg false files/media/logo.png logo.png true files/notes.txt notes.txt false images/banner.png  true]"; fmt.Sprint(paths) != want {
		t.Errorf("downloads %s, want %s", paths, want)
	}
	data := map[string][]byte{"fl": logo, "fp": photo, "ft": text, "fx": text, "fb": logo}
	cfg, ap, diags := loadAndPlanFiles(t, res, live, data)
	if cfg == nil || errorsOnly(diags).HasErrors() {
		t.Fatalf("%v\n%s", diags, dumpFiles(res))
	}
	if len(ap.Changes) != 0 {
		t.Fatalf("changes %+v", ap.Changes[0])
	}
	c, _ := res.Count("drive_files")
	if c.Declared != 3 || c.Skipped != 1 {
		t.Errorf("drive_files %+v, want 3 declared, 1 skipped", c)
	}

	// Only the files: their folders come with them, counted.
	res, err = Generate(acc, Options{Kinds: map[string]bool{"drive_files": true}})
	if err != nil {
		t.Fatal(err)
	}
	checkCountsMatchBlocks(t, res)
	if c, _ := res.Count("drive_folders"); c.Declared != 2 {
		t.Errorf("drive_folders %+v, want the 2 folders of the files", c)
	}
	if _, _, diags := loadAndPlanFiles(t, res, live, data); errorsOnly(diags).HasErrors() {
		t.Fatalf("%v\n%s", diags, dumpFiles(res))
	}
	// Pinned notes without the files: the note with files is skipped.
	res, err = Generate(acc, Options{Kinds: map[string]bool{"pinned_notes": true}})
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := res.Count("pinned_notes"); c.Declared != 0 || len(res.Downloads) != 0 {
		t.Errorf("pinned notes alone: %+v, %d downloads", c, len(res.Downloads))
	}
}
