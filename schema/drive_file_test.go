package schema

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// writeDir writes files (path → content) into a new temporary directory.
func writeDir(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for p, b := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func md5Hex(b []byte) string {
	s := md5.Sum(b)
	return hex.EncodeToString(s[:])
}

const imagesHeader = `account "weather" {
  host     = "misskey.example"
  username = "weatherbot"
`

func TestDriveFileDecoding(t *testing.T) {
	logo := pngBytes(t, 8, 8)
	banner := jpegBytes(t, 30, 10)
	dir := writeDir(t, map[string][]byte{
		"images/logo.png":   logo,
		"images/banner.jpg": banner,
		"README.txt":        []byte("Forecasts every morning.\n"),
		"main.mk.hcl": []byte(imagesHeader + `
  profile {
    name   = "Weather"
    avatar = "images/logo.png"
    banner = "images/banner.jpg"
  }
  drive_folder "media" {
    drive_file "logo.png" {
      source       = "images/logo.png"
      comment      = "The weather bot logo"
      is_sensitive = true
    }
    drive_folder "deep" {
      drive_folder "deeper" {
        drive_file "banner.JPEG" {
          source = "./images/../images/banner.jpg"
          comment = ""
          lifecycle { prevent_destroy = true }
        }
      }
    }
  }
  drive_file "readme.txt" { source = "README.txt" }
  pinned_note "about" {
    text  = "Forecasts every morning."
    files = [drive_file["media/logo.png"], "readme.txt", drive_file["media/deep/deeper/banner.JPEG"]]
  }
  pinned_note "all" {
    text  = "Everything."
    files = [for k, v in drive_file : v if startswith(k, "media/")]
  }
}

account "other" {
  host     = "misskey.example"
  username = "otherbot"
  profile {
    avatar = null
    banner = ""
  }
}
`),
	})
	cfg, _, diags := Load(dir, LoadOptions{})
	if diags.HasErrors() {
		t.Fatalf("unexpected errors: %s", diags.Error())
	}
	a := cfg.Accounts[0]
	var keys []string
	for _, f := range a.DriveFiles {
		keys = append(keys, f.Key())
	}
	if want := []string{"media/logo.png", "media/deep/deeper/banner.JPEG", "readme.txt"}; !slices.Equal(keys, want) {
		t.Fatalf("drive files %q, want %q", keys, want)
	}
	logoFile, bannerFile, readme := a.DriveFiles[0], a.DriveFiles[1], a.DriveFiles[2]
	if logoFile.Folder != "media" || logoFile.Name != "logo.png" || !logoFile.IsSensitive ||
		logoFile.Comment == nil || *logoFile.Comment != "The weather bot logo" || logoFile.Lifecycle.PreventDestroy {
		t.Errorf("logo: %+v", logoFile)
	}
	if s := logoFile.Source; s.Path != "images/logo.png" || s.MD5 != md5Hex(logo) || s.Size != int64(len(logo)) ||
		s.Type != "image/png" || s.Abs != filepath.Join(mustEval(t, dir), "images", "logo.png") || s.Range.Start.Line != 12 {
		t.Errorf("logo source: %+v", s)
	}
	if bannerFile.Folder != "media/deep/deeper" || bannerFile.Comment != nil || !bannerFile.Lifecycle.PreventDestroy ||
		bannerFile.Source.Type != "image/jpeg" || bannerFile.Source.MD5 != md5Hex(banner) {
		t.Errorf("banner: %+v", bannerFile)
	}
	if readme.Folder != "" || readme.Source.Type != "text/plain" {
		t.Errorf("readme: %+v", readme)
	}

	p := a.Profile
	if _, inAttrs := p.Attrs["avatar"]; inAttrs {
		t.Error("avatar is in Profile.Attrs")
	}
	if av := p.Images["avatar"]; av.Source == nil || av.Source.MD5 != md5Hex(logo) || av.Range.Start.Line != 7 {
		t.Errorf("avatar: %+v", av)
	}
	if bn := p.Images["banner"]; bn.Source == nil || bn.Source.Type != "image/jpeg" {
		t.Errorf("banner: %+v", bn)
	}
	if got := a.PinnedNotes[0].Files; !slices.Equal(got, []string{"media/logo.png", "readme.txt", "media/deep/deeper/banner.JPEG"}) {
		t.Errorf("note files %q", got)
	}
	if got := a.PinnedNotes[1].Files; !slices.Equal(got, []string{"media/deep/deeper/banner.JPEG", "media/logo.png"}) {
		t.Errorf("note files from a for expression %q", got)
	}

	other := cfg.Accounts[1].Profile.Images
	for _, name := range ProfileImages {
		img, ok := other[name]
		if !ok || img.Source != nil {
			t.Errorf("%s = null/\"\": got %+v, %v; want a written image with Source nil", name, img, ok)
		}
	}
	if len(cfg.Accounts[1].DriveFiles) != 0 || cfg.Accounts[1].PinnedNotes != nil {
		t.Error("other account has files")
	}
}

func mustEval(t *testing.T, dir string) string {
	t.Helper()
	d, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestDriveFileForEach: the same file in every instance of an account is
// read once, and each instance gets it.
func TestDriveFileForEach(t *testing.T) {
	dir := writeDir(t, map[string][]byte{
		"a.png": pngBytes(t, 2, 2),
		"main.mk.hcl": []byte(`account "fleet" {
  for_each = toset(["rain", "snow"])
  host     = "misskey.example"
  username = "${each.key}bot"
  profile { avatar = "a.png" }
  drive_file "logo.png" {
    source  = "a.png"
    comment = "Logo of ${each.key}"
  }
}
`),
	})
	cfg, _, diags := Load(dir, LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	for _, a := range cfg.Accounts {
		if len(a.DriveFiles) != 1 || *a.DriveFiles[0].Comment != "Logo of "+a.Key || a.Profile.Images["avatar"].Source == nil {
			t.Errorf("%s: %+v", a.Address(), a.DriveFiles)
		}
	}
}

func TestDriveFileDiagnostics(t *testing.T) {
	manyFiles := ""
	for i := range 17 {
		manyFiles += fmt.Sprintf("\n    drive_file \"f%d.png\" { source = \"img/logo.png\" }", i)
	}
	files := map[string][]byte{
		"img/logo.png":  pngBytes(t, 4, 4),
		"img/photo.jpg": jpegBytes(t, 4, 4),
		"img/anim.gif":  gifBytes(t, 4, 4),
		"img/wide.png":  pngBytes(t, maxImageSide+1, 1),
		"notes.md":      []byte("# notes\n"),
		"notes.txt":     []byte("notes\n"),
		"empty.bin":     nil,
		"doc.pdf":       []byte("%PDF-1.7\n%%EOF\n"),
	}
	tests := []struct {
		name  string
		body  string // inside the account block, from line 4
		extra map[string][]byte
		want  []wantDiag
	}{
		{name: "missing and not regular", body: `
  drive_file "a.png" { source = "img/logo.pgn" }
  drive_file "b.png" { source = "img" }
  drive_file "c.png" { source = "/etc/passwd" }
  drive_file "d.png" { source = "../outside.png" }
  drive_file "e.png" { source = "" }
  drive_file "f.png" { source = null }
  drive_file "g.png" {}
`, want: []wantDiag{
			{"main.mk.hcl", 11, 3, "Missing required argument", `The argument "source" is required in a drive_file block`},
			{"main.mk.hcl", 5, 33, "File not found", `Did you mean "logo.png"?`},
			{"main.mk.hcl", 6, 33, "Not a regular file", `"img" is a directory`},
			{"main.mk.hcl", 7, 33, "Absolute file path", "copy the file into the configuration directory"},
			{"main.mk.hcl", 8, 33, "File not found", `No file exists at "../outside.png"`},
			{"main.mk.hcl", 9, 33, "Empty file path", "relative to the configuration directory"},
			{"main.mk.hcl", 10, 33, "Null value not allowed", "source cannot be null"},
		}},
		{name: "names", body: `
  drive_file "" { source = "img/logo.png" }
  drive_file "a/b.png" { source = "img/logo.png" }
  drive_file "a\\b.png" { source = "img/logo.png" }
  drive_file "a..png" { source = "img/logo.png" }
  drive_file " a.png" { source = "img/logo.png" }
  drive_file "blob" { source = "img/logo.png" }
  drive_file "` + strings.Repeat("😀", 99) + `.png" { source = "img/logo.png" }
  drive_file "` + strings.Repeat("x", 196) + `.png" { source = "img/logo.png" }
  drive_file "a\u0000b.png" { source = "img/logo.png" }
`, want: []wantDiag{
			{"main.mk.hcl", 5, 14, "Invalid drive_file name", "cannot be empty"},
			{"main.mk.hcl", 6, 14, "Invalid drive_file name", `drive_folder "a" { drive_file "b.png"`},
			{"main.mk.hcl", 7, 14, "Invalid drive_file name", `contains "\"`},
			{"main.mk.hcl", 8, 14, "Invalid drive_file name", `contains ".."`},
			{"main.mk.hcl", 9, 14, "Invalid drive_file name", `Hint: write "a.png"`},
			{"main.mk.hcl", 10, 14, "Invalid drive_file name", "untitled"},
			{"main.mk.hcl", 11, 14, "Invalid drive_file name", "is 202 characters long, but Misskey accepts at most 200"},
			{"main.mk.hcl", 13, 14, "Invalid drive_file name", "NUL character (U+0000), which Misskey cannot store"},
		}},
		{name: "types", body: `
  drive_file "logo.jpg" { source = "img/logo.png" }
  drive_file "logo" { source = "img/logo.png" }
  drive_file "photo.jpeg" { source = "img/photo.jpg" }
  drive_file "PHOTO.JPG" { source = "img/photo.jpg" }
  drive_file "anim.png" { source = "img/anim.gif" }
  drive_file "notes.md" { source = "notes.md" }
  drive_file "notes.txt" { source = "notes.md" }
  drive_file "empty.bin" { source = "empty.bin" }
  drive_file "wide.png" { source = "img/wide.png" }
  drive_file "doc.pdf" { source = "doc.pdf" }
`, want: []wantDiag{
			{"main.mk.hcl", 5, 14, "File name does not match its content", `store the file as "logo.jpg.png", not "logo.jpg"`},
			{"main.mk.hcl", 6, 14, "File name does not match its content", `Hint: name the block drive_file "logo.png"`},
			{"main.mk.hcl", 9, 14, "File name does not match its content", `drive_file "anim.gif"`},
			{"main.mk.hcl", 10, 36, "Unsupported file type", "application/octet-stream"},
			{"main.mk.hcl", 12, 37, "Unsupported file type", "is empty"},
			{"main.mk.hcl", 13, 36, "Image too large", "16384×1 px"},
		}},
		{name: "comment and duplicates", body: `
  drive_file "a.png" {
    source  = "img/logo.png"
    comment = "` + strings.Repeat("😀", 513) + `"
  }
  drive_folder "m" {
    drive_file "a.png" { source = "img/logo.png" }
  }
  drive_folder "m" {
    drive_file "a.png" { source = "img/logo.png" }
  }
  drive_file "a.png" {
    source = "img/logo.png"
    lifecycle { prevent_destroy = "yes" }
  }
`, want: []wantDiag{
			{"main.mk.hcl", 12, 16, "Duplicate drive_folder block", `"m" is already declared at`},
			{"main.mk.hcl", 13, 16, "Duplicate drive_file block", `"m/a.png" is already declared at`},
			{"main.mk.hcl", 15, 14, "Duplicate drive_file block", `"a.png" is already declared at`},
			{"main.mk.hcl", 7, 15, "Value too long", "comment is 513 characters long, but Misskey accepts at most 512"},
		}},
		{name: "profile images", body: `
  profile {
    avatar = "notes.txt"
    banner = "img/wide.png"
  }
  account_only = 1
`, want: []wantDiag{
			{"main.mk.hcl", 9, 3, "Unsupported argument", `"account_only"`},
			{"main.mk.hcl", 6, 14, "Not an image", "AVATAR_NOT_AN_IMAGE"},
			{"main.mk.hcl", 7, 14, "Image too large", "16384×1 px"},
		}},
		{name: "profile image svg by content", extra: map[string][]byte{"logo.png": []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"/>`), "fake.png": []byte("not an image")}, body: `
  profile {
    avatar = "logo.png"
    banner = "fake.png"
  }
`, want: []wantDiag{
			{"main.mk.hcl", 7, 14, "Not an image", "content it does not recognise (application/octet-stream)"},
		}},
		// Misskey stores an image whose size it cannot read as
		// application/octet-stream: an SVG without width and height or a
		// viewBox, a TIFF without ImageWidth and ImageLength.
		{name: "images without a readable size", extra: map[string][]byte{
			"nosize.svg": []byte(`<svg xmlns="http://www.w3.org/2000/svg"><circle r="3"/></svg>`),
			"nosize.tif": append([]byte("II*\x00\x08\x00\x00\x00\x00\x00"), make([]byte, 40)...),
			"box.svg":    []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 30 20"/>`),
		}, body: `
  profile {
    avatar = "nosize.svg"
    banner = "box.svg"
  }
  drive_file "nosize.svg" { source = "nosize.svg" }
  drive_file "nosize.tif" { source = "nosize.tif" }
  drive_file "box.svg" { source = "box.svg" }
`, want: []wantDiag{
			{"main.mk.hcl", 6, 14, "Image size unreadable", `"nosize.svg" (image/svg+xml)`},
			{"main.mk.hcl", 9, 38, "Image size unreadable", "<svg viewBox="},
			{"main.mk.hcl", 10, 38, "Image size unreadable", "ImageWidth and ImageLength"},
		}},
		{name: "note files", body: `
  drive_folder "media" {
    drive_file "logo.png" { source = "img/logo.png" }
  }
  pinned_note "a" {
    text  = "x"
    files = ["media/logo.jpg", "logo", drive_file["media/logo.png"], "media/logo.png"]
  }
  drive_folder "many" {` + manyFiles + `
  }
  pinned_note "b" {
    text  = "x"
    files = [for i in range(17) : drive_file["many/f${i}.png"]]
  }
  pinned_note "c" {
    text  = "x"
    files = [drive_file["media/logo.jpg"], drive_file.logo]
  }
`, want: []wantDiag{
			{"main.mk.hcl", 10, 14, "Undeclared drive_file", `Did you mean "media/logo.png"?`},
			{"main.mk.hcl", 10, 32, "Undeclared drive_file", `Did you mean "media/logo.png"?`},
			{"main.mk.hcl", 10, 70, "Duplicate file", "already attached as files[2]"},
			{"main.mk.hcl", 33, 13, "Too many files", "lists 17 files, but Misskey attaches at most 16"},
			{"main.mk.hcl", 37, 14, "Reference to undeclared drive_file", `Did you mean "media/logo.png"?`},
			{"main.mk.hcl", 37, 44, "Reference to undeclared drive_file", `Did you mean "media/logo.png"?`},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			all := map[string][]byte{"main.mk.hcl": []byte(imagesHeader + tc.body + "}\n")}
			for k, v := range files {
				all[k] = v
			}
			for k, v := range tc.extra {
				all[k] = v
			}
			dir := writeDir(t, all)
			_, _, diags := Load(dir, LoadOptions{})
			assertDiags(t, onlyErrors(diags), tc.want)
		})
	}
}

func onlyErrors(diags hcl.Diagnostics) hcl.Diagnostics {
	var out hcl.Diagnostics
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			out = append(out, d)
		}
	}
	return out
}

// TestDriveFilePolicyWarning: a type outside Misskey's default policy is
// a warning, not an error (the administrator may allow it).
func TestDriveFilePolicyWarning(t *testing.T) {
	dir := writeDir(t, map[string][]byte{
		"doc.pdf":     []byte("%PDF-1.7\n"),
		"main.mk.hcl": []byte(imagesHeader + "  drive_file \"doc.pdf\" { source = \"doc.pdf\" }\n}\n"),
	})
	cfg, _, diags := Load(dir, LoadOptions{})
	if cfg == nil || len(diags) != 1 || diags[0].Severity != hcl.DiagWarning || !strings.Contains(diags[0].Detail, "UNALLOWED_FILE_TYPE") ||
		diags[0].Subject.Start.Line != 4 {
		t.Fatalf("want one warning at line 4, got %v", diags)
	}
	if f := cfg.Accounts[0].DriveFiles[0]; f.Source.Type != "application/pdf" {
		t.Errorf("type %q", f.Source.Type)
	}
}

func TestDriveFileReferences(t *testing.T) {
	dir := writeDir(t, map[string][]byte{
		"a.png": pngBytes(t, 2, 2),
		"main.mk.hcl": []byte(`locals {
  f = drive_file["a.png"]
}
account "weather" {
  host     = "misskey.example"
  username = "weatherbot"
  drive_file "a.png" { source = "a.png" }
  pinned_note "n" {
    text  = drive_fil["a.png"]
    files = drive_file
  }
}
account "empty" {
  host     = "misskey.example"
  username = "emptybot"
  pinned_note "n" {
    text  = "x"
    files = [drive_file["a.png"]]
  }
}
`),
	})
	_, _, diags := Load(dir, LoadOptions{})
	assertDiags(t, diags, []wantDiag{
		{"main.mk.hcl", 2, 7, "Reference to \"drive_file\" outside an account block", "can be used only inside that account block"},
		{"main.mk.hcl", 9, 13, "Unknown variable", `Did you mean drive_file["a.png"]?`},
		{"main.mk.hcl", 10, 13, "Incorrect attribute value type", "files must be a list of strings"},
		{"main.mk.hcl", 18, 14, "Reference to undeclared drive_file", "the account declares no drive_file blocks"},
	})
}

// TestFileSourceStreams hashes a 64 MiB sparse file: the md5 is right,
// and reading it allocates a few buffers, not the file.
func TestFileSourceStreams(t *testing.T) {
	const size = 64 << 20
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "big.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte("end\n"), size-4); err != nil {
		t.Fatal(err)
	}
	f.Close()

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	src, ext, serr := loadFileSource(dir, "big.txt", "big.txt")
	runtime.ReadMemStats(&after)
	if serr != nil {
		t.Fatal(serr)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("loading a %d MiB file allocated %d bytes; it should stream", size>>20, alloc)
	}

	h := md5.New()
	zeros := make([]byte, 1<<20)
	for range size / len(zeros) {
		h.Write(zeros)
	}
	want := h.Sum(nil)
	// the last 4 bytes are "end\n", not zeros
	h.Reset()
	rest := size - 4
	for rest > 0 {
		n := min(rest, len(zeros))
		h.Write(zeros[:n])
		rest -= n
	}
	io.WriteString(h, "end\n")
	want = h.Sum(nil)
	if src.MD5 != hex.EncodeToString(want) || src.Size != size || src.Type != "text/plain" || ext != "txt" {
		t.Errorf("got %+v, ext %q", src, ext)
	}
}

func BenchmarkFileSourceHash(b *testing.B) {
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.png"), make([]byte, 8<<20), 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(8 << 20)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := loadFileSource(dir, "a.png", "a.png"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestFileSourceFIFO: a named pipe is refused at once, not opened and
// waited on.
func TestFileSourceFIFO(t *testing.T) {
	dir := t.TempDir()
	fifo := makeFIFO(t, dir)
	if fifo == "" {
		t.Skip("no FIFOs here")
	}
	done := make(chan *sourceError, 1)
	go func() {
		_, _, err := loadFileSource(dir, "fifo", "fifo.png")
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || err.summary != "Not a regular file" || !strings.Contains(err.detail, "named pipe") {
			t.Errorf("got %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("loading a FIFO blocked")
	}
}

// TestFileSourceSymlinks: a link is followed inside the configuration
// directory and refused when it leads out of it.
func TestFileSourceSymlinks(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.txt")
	if err := os.WriteFile(secret, []byte("secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := writeDir(t, map[string][]byte{"img/a.png": pngBytes(t, 2, 2)})
	for name, target := range map[string]string{"in.png": "img/a.png", "out.txt": secret, "dirlink": outside} {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Skipf("no symlinks: %v", err)
		}
	}
	if src, _, err := loadFileSource(dir, "in.png", "in.png"); err != nil || src.Type != "image/png" || !strings.HasSuffix(src.Abs, filepath.Join("img", "a.png")) {
		t.Errorf("link inside: %+v, %v", src, err)
	}
	for _, p := range []string{"out.txt", "dirlink/secret.txt", "../" + filepath.Base(outside) + "/secret.txt"} {
		if _, _, err := loadFileSource(dir, p, "x.txt"); err == nil || err.summary != "File outside the configuration directory" {
			t.Errorf("%s: got %v, want it refused", p, err)
		}
	}
	if _, _, err := loadFileSource(dir, secret, "x.txt"); err == nil || err.summary != "Absolute file path" {
		t.Errorf("absolute: got %v", err)
	}
}

func TestFileSourceTooLarge(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "huge.mp4"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxUploadBytes + 1); err != nil {
		t.Skipf("no sparse files: %v", err)
	}
	f.Close()
	if _, _, err := loadFileSource(dir, "huge.mp4", "huge.mp4"); err == nil || err.summary != "File too large" {
		t.Errorf("got %v", err)
	}
}

// TestExamplesLoad loads every example configuration offline.
func TestExamplesLoad(t *testing.T) {
	dirs, err := filepath.Glob("../examples/*")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, dir := range dirs {
		if files, _ := filepath.Glob(filepath.Join(dir, "*"+ConfigFileSuffix)); len(files) == 0 {
			continue
		}
		n++
		t.Run(filepath.Base(dir), func(t *testing.T) {
			cfg, _, diags := Load(dir, LoadOptions{})
			if diags.HasErrors() || cfg == nil {
				t.Fatalf("errors: %s", diags.Error())
			}
			if len(diags) > 0 {
				t.Errorf("warnings: %s", diags.Error())
			}
		})
	}
	if n == 0 {
		t.Fatal("no examples found")
	}
}

func TestImageSize(t *testing.T) {
	vp8x := cat([]byte("RIFF\x00\x00\x00\x00WEBPVP8X"), make([]byte, 8), []byte{0x3F, 0x40, 0x00, 0x1F, 0x00, 0x00})
	bmp := cat([]byte("BM"), make([]byte, 12), []byte{40, 0, 0, 0}, []byte{0x10, 0, 0, 0}, []byte{0xF0, 0xFF, 0xFF, 0xFF})
	tests := []struct {
		name string
		b    []byte
		mime string
		w, h int
	}{
		{"png", pngBytes(t, 7, 3), "image/png", 7, 3},
		{"gif", gifBytes(t, 5, 9), "image/gif", 5, 9},
		{"jpeg", jpegBytes(t, 17, 4), "image/jpeg", 17, 4},
		{"tall jpeg", jpegBytes(t, 1, maxImageSide+1), "image/jpeg", 1, maxImageSide + 1},
		{"webp VP8X", vp8x, "image/webp", 16448, 32},
		{"top-down bmp", bmp, "image/bmp", 16, 16},
		{"cut jpeg", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00}, "image/jpeg", 0, 0},
	}
	for _, tc := range tests {
		r := bytes.NewReader(tc.b)
		if w, h := imageSize(r, int64(len(tc.b)), tc.mime); w != tc.w || h != tc.h {
			t.Errorf("%s: %d×%d, want %d×%d", tc.name, w, h, tc.w, tc.h)
		}
	}
}

func TestDriveFileStructure(t *testing.T) {
	dir := writeDir(t, map[string][]byte{
		"a.png": pngBytes(t, 2, 2),
		"main.mk.hcl": []byte(imagesHeader + `  drive_file "a.png" {
    source   = "a.png"
    alt      = "x"
    name     = "a.png"
    folder   = "media"
    for_each = toset(["a"])
    drive_file "b.png" {}
    lifecycle { prevent_destroy = true }
    lifecycle {}
  }
  drive_folder "m" {
    file "c.png" { source = "a.png" }
  }
  image "x" {}
  pinned_note "n" {
    text    = "x"
    fileIds = []
  }
  profile { avatar_id = "a.png" }
}
`),
	})
	_, _, diags := Load(dir, LoadOptions{})
	assertDiags(t, diags, []wantDiag{
		{"main.mk.hcl", 17, 3, "Unsupported block type", `Did you mean "drive_file"?`},
		{"main.mk.hcl", 6, 5, "Unsupported argument", `Did you mean "comment"?`},
		{"main.mk.hcl", 7, 5, "Unsupported argument", "a file's name is its label"},
		{"main.mk.hcl", 8, 5, "Unsupported argument", "move this block into the folder's block"},
		{"main.mk.hcl", 9, 5, "Unsupported argument", "for_each is supported on follow blocks"},
		{"main.mk.hcl", 10, 5, "Unsupported block type", `Blocks of type "drive_file" are not expected in a drive_file block`},
		{"main.mk.hcl", 12, 5, "Duplicate lifecycle block", "at most one lifecycle block"},
		{"main.mk.hcl", 15, 5, "Unsupported block type", `Did you mean "drive_file"?`},
		{"main.mk.hcl", 20, 5, "Unsupported argument", `Did you mean "files"?`},
		{"main.mk.hcl", 22, 13, "Unsupported argument", `Did you mean "avatar"?`},
	})
}

// TestDriveFileFIFOThroughLoad: a source that is a named pipe is an error
// at its line, and Load returns at once.
func TestDriveFileFIFOThroughLoad(t *testing.T) {
	dir := writeDir(t, map[string][]byte{
		"main.mk.hcl": []byte(imagesHeader + "  profile { banner = \"fifo\" }\n  drive_file \"a.png\" { source = \"fifo\" }\n}\n"),
	})
	if makeFIFO(t, dir) == "" {
		t.Skip("no FIFOs here")
	}
	done := make(chan hcl.Diagnostics, 1)
	go func() {
		_, _, diags := Load(dir, LoadOptions{})
		done <- diags
	}()
	select {
	case diags := <-done:
		assertDiags(t, diags, []wantDiag{
			{"main.mk.hcl", 4, 22, "Not a regular file", `"fifo" is a named pipe`},
			{"main.mk.hcl", 5, 33, "Not a regular file", `"fifo" is a named pipe`},
		})
	case <-time.After(5 * time.Second):
		t.Fatal("Load blocked on a FIFO")
	}
}
