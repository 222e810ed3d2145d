package provider

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/mkctl/mkctl/schema"
	"github.com/mkctl/mkctl/schema/export"
)

// randomFiles uploads random small files (PNG, JPEG, text) through the
// API into the root and the folders (ids), sets the avatar and banner now
// and then, and pins a note attaching files. It returns a summary.
func randomFiles(t *testing.T, env *emuEnv, rng *rand.Rand, folders []string) string {
	t.Helper()
	ctx := context.Background()
	src := t.TempDir()
	names := map[string][]string{
		"png":  {"logo.png", "Logo.png", "a:b*c.png", "CON.png", "日本.png", "${x}.png", "photo.jpg", "q\"q.png", "noext"},
		"jpeg": {"photo.jpg", "Photo.JPEG", "x.jpeg", "pic"},
		"text": {"notes.txt", "data.csv", "a<b>.txt"},
	}
	var images, all []string
	var summary []string
	for i := range rng.IntN(8) {
		kind := []string{"png", "jpeg", "text"}[rng.IntN(3)]
		var data []byte
		switch kind {
		case "png":
			data = pngBytes(t, int(rng.Uint32()%200)+i*256)
		case "jpeg":
			data = jpegBytes(t, rng)
		default:
			data = []byte(randomText(rng, 4) + strconv.Itoa(i))
		}
		name := names[kind][rng.IntN(len(names[kind]))]
		p := filepath.Join(src, strconv.Itoa(i))
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		fields := [][2]string{{"name", name}, {"force", "true"}}
		folder := "root"
		if len(folders) > 0 && rng.IntN(3) > 0 {
			folder = folders[rng.IntN(len(folders))]
			fields = append(fields, [2]string{"folderId", folder})
		}
		if rng.IntN(3) == 0 {
			fields = append(fields, [2]string{"comment", truncateRunes(randomText(rng, 2), 500)})
		}
		if rng.IntN(4) == 0 {
			fields = append(fields, [2]string{"isSensitive", "true"})
		}
		var f struct{ ID, Name, Type string }
		if err := env.c.Upload(ctx, "drive/files/create", upload{Fields: fields, Path: p, Filename: name, Size: int64(len(data))}, &f); err != nil {
			t.Fatalf("upload %q: %v", name, err)
		}
		all = append(all, f.ID)
		if kind != "text" {
			images = append(images, f.ID)
		}
		summary = append(summary, fmt.Sprintf("file %q (%s) in %s", f.Name, f.Type, folder))
	}
	profile := map[string]any{}
	if len(images) > 0 && rng.IntN(3) > 0 {
		profile["avatarId"] = images[rng.IntN(len(images))]
		if rng.IntN(2) == 0 {
			profile["bannerId"] = profile["avatarId"]
		} else {
			profile["bannerId"] = images[rng.IntN(len(images))]
		}
	}
	if len(profile) > 0 {
		if err := env.c.Write(ctx, "i/update", profile, nil); err != nil {
			t.Fatal(err)
		}
		summary = append(summary, fmt.Sprintf("images %v", profile))
	}
	if len(all) > 0 && rng.IntN(2) == 0 {
		ids := []string{all[rng.IntN(len(all))]}
		if other := all[rng.IntN(len(all))]; other != ids[0] {
			ids = append(ids, other)
		}
		var n struct{ CreatedNote struct{ ID string } }
		if err := env.c.Write(ctx, "notes/create", map[string]any{"text": "with files", "fileIds": ids}, &n); err != nil {
			t.Fatal(err)
		}
		if err := env.c.Write(ctx, "i/pin", map[string]any{"noteId": n.CreatedNote.ID}, nil); err != nil {
			t.Fatal(err)
		}
		summary = append(summary, fmt.Sprintf("pinned a note with files %v", ids))
	}
	return fmt.Sprint(summary)
}

func jpegBytes(t testing.TB, rng *rand.Rand) []byte {
	img := image.NewGray(image.Rect(0, 0, 1+rng.IntN(8), 1+rng.IntN(8)))
	for i := range img.Pix {
		img.Pix[i] = byte(rng.IntN(256))
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// exportWithFiles does what `mkctl export` does with the files: Generate,
// download each file's bytes with Client.Download (checking size and md5),
// check them as Load will and Generate again without those it would
// refuse. The downloads are written into dir.
func exportWithFiles(t *testing.T, c *Client, acc *export.Account, opts export.Options, dir string) *export.Result {
	t.Helper()
	res, err := export.Generate(*acc, opts)
	if err != nil {
		t.Fatal(err)
	}
	skip := map[string]string{}
	for _, d := range res.Downloads {
		p := filepath.Join(dir, filepath.FromSlash(d.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		n, err := c.Download(context.Background(), d.URL, &b, d.Size)
		if err != nil {
			t.Fatalf("download %s (%s): %v", d.What, d.URL, err)
		}
		sum := md5.Sum(b.Bytes())
		if n != d.Size || hex.EncodeToString(sum[:]) != d.MD5 {
			t.Fatalf("download %s: %d bytes md5 %x, want %d %s", d.What, n, sum, d.Size, d.MD5)
		}
		if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		if d.Name != "" {
			if _, _, _, why := schema.CheckSourceFile(dir, d.Path, d.Name); why != "" {
				skip[d.FileID] = why
			}
		}
		if d.Image {
			if _, _, _, why := schema.CheckSourceFile(dir, d.Path, ""); why != "" {
				skip[export.ImageSkipKey(d.FileID)] = why
			}
		}
	}
	if len(skip) > 0 {
		opts.SkipFiles = skip
		if res, err = export.Generate(*acc, opts); err != nil {
			t.Fatal(err)
		}
	}
	return res
}

// TestReadForExportFiles: the drive is listed with drive/stream whatever
// the folders (one page for 150 files costs 2 requests, not one listing per
// folder), the avatar and banner come from that listing, and without the
// drive files one drive/files/show reads an image that is both; a pinned
// note with files is not marked unsupported.
func TestReadForExportFiles(t *testing.T) {
	env := newEmuEnv(t)
	ctx := context.Background()
	dir := t.TempDir()
	var folders []string
	for i := range 3 {
		var f struct{ ID string }
		if err := env.c.Write(ctx, "drive/folders/create", map[string]any{"name": fmt.Sprint("f", i)}, &f); err != nil {
			t.Fatal(err)
		}
		folders = append(folders, f.ID)
	}
	var ids []string
	for i := range 150 {
		p := filepath.Join(dir, strconv.Itoa(i))
		data := pngBytes(t, i)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		var f struct{ ID string }
		up := upload{Fields: [][2]string{{"name", fmt.Sprintf("img%d.png", i)}, {"folderId", folders[i%3]}, {"force", "true"}}, Path: p, Filename: "x.png", Size: int64(len(data))}
		if err := env.c.Upload(ctx, "drive/files/create", up, &f); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, f.ID)
	}
	if err := env.c.Write(ctx, "i/update", map[string]any{"avatarId": ids[7], "bannerId": ids[7]}, nil); err != nil {
		t.Fatal(err)
	}
	var n struct{ CreatedNote struct{ ID string } }
	if err := env.c.Write(ctx, "notes/create", map[string]any{"text": "files", "fileIds": ids[:2]}, &n); err != nil {
		t.Fatal(err)
	}
	if err := env.c.Write(ctx, "i/pin", map[string]any{"noteId": n.CreatedNote.ID}, nil); err != nil {
		t.Fatal(err)
	}

	env.resetCounts()
	acc, err := ReadForExport(ctx, env.c, "", map[string]bool{"drive_files": true, "profile": true, "pinned_notes": true})
	if err != nil {
		t.Fatal(err)
	}
	if got := env.count("drive/stream"); got != 2 {
		t.Errorf("drive/stream: %d requests, want 2", got)
	}
	if got := env.count("drive/files") + env.count("drive/files/show"); got != 0 {
		t.Errorf("drive/files, drive/files/show: %d requests, want none", got)
	}
	if len(acc.Live.DriveFiles) != 150 || acc.Live.DriveFiles[0].Folder != "f0" || len(acc.FileURLs) != 150 {
		t.Fatalf("%d files, first %+v, %d urls", len(acc.Live.DriveFiles), acc.Live.DriveFiles[0], len(acc.FileURLs))
	}
	if a, b := acc.Live.ProfileImages["avatar"], acc.Live.ProfileImages["banner"]; a.ID != ids[7] || b.ID != ids[7] || a.Folder != "f1" {
		t.Errorf("images %+v %+v", a, b)
	}
	if pn := acc.Live.PinnedNotes; len(pn) != 1 || pn[0].Unsupported != "" || len(pn[0].FileIDs) != 2 {
		t.Errorf("pinned notes %+v", pn)
	}

	env.resetCounts()
	acc, err = ReadForExport(ctx, env.c, "", map[string]bool{"profile": true})
	if err != nil {
		t.Fatal(err)
	}
	if got := env.total(); got != 2 || env.count("drive/files/show") != 1 {
		t.Errorf("profile alone: %d requests (%v), want i and one drive/files/show", got, env.counts)
	}
	if acc.Live.ProfileImages["avatar"].ID != ids[7] || acc.FileURLs[ids[7]] == "" || len(acc.Live.DriveFiles) != 0 {
		t.Errorf("profile alone: images %+v, urls %v", acc.Live.ProfileImages, acc.FileURLs)
	}
}
