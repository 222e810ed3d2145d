package cmd

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mkctl/mkctl/provider"
	"github.com/mkctl/mkctl/schema/export"
)

func md5hex(b []byte) string { s := md5.Sum(b); return hex.EncodeToString(s[:]) }

// TestExportDownloads: the files are fetched without the token, checked
// (size, md5) and moved into place only when all are there; a wrong md5
// leaves nothing behind.
func TestExportDownloads(t *testing.T) {
	logo, notes := []byte("\x89PNG fake"), []byte("notes\n")
	var auth []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth = append(auth, r.Header.Get("Authorization"))
		switch r.URL.Path {
		case "/files/logo":
			w.Write(logo)
		case "/files/notes":
			w.Write(notes)
		case "/files/flaky":
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()
	c, err := provider.NewClient(srv.URL, "secret-token")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	downloads := []export.Download{
		{FileID: "a", URL: srv.URL + "/files/logo", Path: "files/media/logo.png", MD5: md5hex(logo), Size: int64(len(logo)), What: "logo"},
		{FileID: "b", URL: srv.URL + "/files/notes", Path: "files/notes.txt", MD5: md5hex(notes), Size: int64(len(notes)), What: "notes"},
	}
	out := t.TempDir()
	st, err := downloadExport(ctx, c, out, downloads)
	if err != nil {
		t.Fatal(err)
	}
	if err := commitStaged(st, out, downloads); err != nil {
		t.Fatal(err)
	}
	st.remove()
	for _, d := range downloads {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(d.Path))); err != nil {
			t.Error(err)
		}
	}
	for _, a := range auth {
		if a != "" {
			t.Errorf("a download sent Authorization %q", a)
		}
	}
	if entries, _ := filepath.Glob(filepath.Join(out, ".mkctl-export-*")); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}

	// A wrong md5, a wrong size, a 404: an error, and nothing written.
	for _, bad := range []export.Download{
		{FileID: "a", URL: srv.URL + "/files/logo", Path: "files/x.png", MD5: md5hex(notes), Size: int64(len(logo)), What: "logo"},
		{FileID: "a", URL: srv.URL + "/files/logo", Path: "files/x.png", MD5: md5hex(logo), Size: int64(len(logo)) - 1, What: "logo"},
		{FileID: "a", URL: srv.URL + "/files/logo", Path: "files/x.png", MD5: md5hex(logo), Size: int64(len(logo)) + 1, What: "logo"},
		{FileID: "c", URL: srv.URL + "/files/flaky", Path: "files/x.png", MD5: md5hex(logo), Size: 3, What: "flaky"},
		{FileID: "d", URL: "file:///etc/passwd", Path: "files/x.png", MD5: md5hex(logo), Size: 3, What: "local"},
	} {
		out := t.TempDir()
		if _, err := downloadExport(ctx, c, out, append([]export.Download{downloads[1]}, bad)); err == nil || !strings.Contains(err.Error(), "nothing was written") {
			t.Errorf("%+v: err %v", bad, err)
		}
		if entries, _ := os.ReadDir(out); len(entries) != 0 {
			t.Errorf("%+v: left %v", bad, entries)
		}
	}
}

// TestExportPaths: every path is checked before anything is written.
func TestExportPaths(t *testing.T) {
	dir := t.TempDir()
	files := []export.File{{Name: "account.mk.hcl"}}
	dl := func(p string) []export.Download { return []export.Download{{Path: p}} }
	if err := exportPaths(dir, files, dl("files/media/logo.png"), false); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"../x.png", "files/../../x", "/etc/x", "files//x", `files\x`} {
		if err := exportPaths(dir, files, dl(p), false); err == nil {
			t.Errorf("%q: no error", p)
		}
	}
	os.MkdirAll(filepath.Join(dir, "files", "media"), 0o755)
	os.WriteFile(filepath.Join(dir, "files", "media", "logo.png"), nil, 0o644)
	err := exportPaths(dir, files, dl("files/media/logo.png"), false)
	if err == nil || !strings.Contains(err.Error(), "refusing to overwrite") {
		t.Errorf("existing file: %v", err)
	}
	if err := exportPaths(dir, files, dl("files/media/logo.png"), true); err != nil {
		t.Errorf("--force: %v", err)
	}
	// A symbolic link on the way is not followed, even with --force.
	if err := os.Symlink(t.TempDir(), filepath.Join(dir, "images")); err != nil {
		t.Skip(err)
	}
	if err := exportPaths(dir, files, dl("images/avatar.png"), true); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("symlink: %v", err)
	}
}
