package cmd

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/internal/acctest"
)

// TestAccWatch runs mkctl watch --apply against the real Misskey over a
// real websocket: an edit of the profile made with the web session's token
// reaches watch as meUpdated, is reported as drift and repaired; a managed
// folder deleted by hand (a drive event) is made again; SIGTERM stops it.
// The loop's timers run on a fake clock (the debounce is skipped), the
// network does not.
func TestAccWatch(t *testing.T) {
	srv := acctest.Connect(t)
	u := srv.NewUser(t, "watch")
	token := u.MiAuth(t, mkctlPermissions...)
	w := &watchRun{t: t, token: token, dir: t.TempDir()}
	cfg := fmt.Sprintf(`account "bot" {
  host     = %q
  username = %q
  profile {
    description = "Managed by mkctl."
  }
  drive_folder "media" {}
}
`, srv.URL, u.Username)
	if err := os.WriteFile(filepath.Join(w.dir, "main.mk.hcl"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("MKCTL_TOKEN", token)
	var out bytes.Buffer
	if code := MainContext(context.Background(), &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &out},
		[]string{"apply", "--auto-approve", "--chdir", w.dir}); code != 0 {
		t.Fatalf("apply: %d\n%s", code, out.String())
	}
	description := func() string {
		var me struct{ Description *string }
		srv.Must(t, u.NativeToken, "i", map[string]any{}, &me)
		if me.Description == nil {
			return ""
		}
		return *me.Description
	}

	w.start("--json", "--apply")
	w.next("connected")
	if r := w.next("in_sync"); r["reason"] != "start" {
		t.Fatalf("first plan: %v", r)
	}

	srv.Must(t, u.NativeToken, "i/update", map[string]any{"description": "edited in the web UI"}, nil)
	if r := w.next("stream_event"); r["stream"] != "main/meUpdated" {
		t.Fatalf("event: %v", r)
	}
	w.advance(5 * time.Second)
	if r := w.next("drift_detected"); strings.Join(changeAddrs(r), "|") != "update account.bot.profile [description]" {
		t.Fatalf("drift: %v", r)
	}
	w.next("applied")
	if d := description(); d != "Managed by mkctl." {
		t.Fatalf("description after the repair: %q", d)
	}

	var folders []struct{ ID, Name string }
	srv.Must(t, u.NativeToken, "drive/folders", map[string]any{}, &folders)
	if len(folders) != 1 || folders[0].Name != "media" {
		t.Fatalf("folders: %v", folders)
	}
	w.advance(5 * time.Second) // the repair's own meUpdated
	w.next("in_sync")
	srv.Must(t, u.NativeToken, "drive/folders/delete", map[string]any{"folderId": folders[0].ID}, nil)
	if r := w.next("stream_event"); r["stream"] != "drive/folderDeleted" {
		t.Fatalf("event: %v", r)
	}
	w.advance(5 * time.Second)
	if r := w.next("drift_detected"); strings.Join(changeAddrs(r), "|") != "create account.bot.drive_folder[\"media\"] [path]" {
		t.Fatalf("drift: %v", r)
	}
	w.next("applied")
	srv.Must(t, u.NativeToken, "drive/folders", map[string]any{}, &folders)
	if len(folders) != 1 || folders[0].Name != "media" {
		t.Fatalf("folders after the repair: %v", folders)
	}

	w.cancel()
	if code := <-w.code; code != 0 {
		t.Fatalf("exit %d after SIGTERM:\n%s", code, w.errOut.String())
	}
	w.code <- 0
	w.next("stopped")
	if all := w.out.String() + w.errOut.String(); strings.Contains(all, token) || strings.Contains(all, u.NativeToken) {
		t.Fatal("a token reached the output")
	}
}
