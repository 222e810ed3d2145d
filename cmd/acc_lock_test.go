package cmd

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/mkctl/mkctl/internal/acctest"
)

// accLockHCL declares 2 pinned notes, 3 folders, 1 list and 1 antenna.
const accLockHCL = `variable "host" { type = string }
account "bot" {
  host     = var.host
  username = %q
  pinned_note "about" { text = "About this bot." }
  pinned_note "rules" { text = "Rules." }
  drive_folder "media" {
    drive_folder "thumbnails" {}
  }
  drive_folder "docs" {}
  user_list "sources" { members = [] }
  antenna "breaking" {
    source    = "list"
    user_list = user_list.sources
    keywords  = ["breaking"]
  }
}
`

// accObjects counts the account's pins, folders, lists and antennas.
func accObjects(t *testing.T, u *acctest.User) (pins, folders, lists, antennas int) {
	t.Helper()
	var me struct {
		PinnedNoteIDs []string `json:"pinnedNoteIds"`
	}
	u.Call(t, "i", nil, &me)
	var root []struct {
		ID string `json:"id"`
	}
	u.Call(t, "drive/folders", map[string]any{"limit": 100}, &root)
	folders = len(root)
	for _, f := range root {
		var sub []struct{}
		u.Call(t, "drive/folders", map[string]any{"folderId": f.ID, "limit": 100}, &sub)
		folders += len(sub)
	}
	var ls, as []struct{}
	u.Call(t, "users/lists/list", nil, &ls)
	u.Call(t, "antennas/list", nil, &as)
	return len(me.PinnedNoteIDs), folders, len(ls), len(as)
}

// applyPairReal starts two `mkctl apply --auto-approve` processes with the
// same token and configuration at the same moment.
func applyPairReal(t *testing.T, bin, url, token, username string, extra ...string) [2]procResult {
	var procs [2]*accProc
	for i := range procs {
		procs[i] = newAccProc(t, bin, url, token)
		procs[i].writeConfig(fmt.Sprintf(accLockHCL, username))
	}
	var res [2]procResult
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res[i] = procs[i].run(append([]string{"apply", "--auto-approve"}, extra...)...)
		}()
	}
	close(start)
	wg.Wait()
	return res
}

// Issue 8 item 1 against the real server: two applies of the same fresh
// account start at the same moment. With the lock the account ends with
// exactly the declared objects, and the apply that lost says who holds the
// lock. Without it (--lock=false, the behaviour of before) the duplicates
// are counted for the record, and the next plan names them instead of
// failing with "Ambiguous".
func TestAccConcurrentAppliesLock(t *testing.T) {
	srv := acctest.Connect(t)
	bin := buildMkctl(t)

	u := srv.NewUser(t, "lockbot")
	token := u.MiAuth(t, accPermissions...)
	res := applyPairReal(t, bin, srv.URL, token, u.Username)
	lost := 0
	for _, r := range res {
		switch {
		case r.code == ExitOK:
		case strings.Contains(r.stderr, "is locked by another apply: mkctl") && strings.Contains(r.stderr, "(pid ") && strings.Contains(r.stderr, "account.bot"):
			lost++
		default:
			t.Errorf("apply failed otherwise: %s", r)
		}
	}
	if lost != 1 {
		t.Logf("the two applies did not meet at the lock (lost %d):\n%s\n%s", lost, res[0], res[1])
	}
	if p, d, l, a := accObjects(t, u); p != 2 || d != 3 || l != 1 || a != 1 {
		t.Fatalf("after two applies at once: %d pins, %d folders, %d lists, %d antennas; want 2, 3, 1, 1\n%s\n%s", p, d, l, a, res[0], res[1])
	}
	proc := newAccProc(t, bin, srv.URL, token)
	proc.writeConfig(fmt.Sprintf(accLockHCL, u.Username))
	proc.mustRun(ExitOK, "plan", "--detailed-exitcode")
	if r := proc.mustRun(ExitOK, "force-unlock", "account.bot", "--force"); !strings.Contains(r.stdout, "is not locked") {
		t.Errorf("a lock was left behind: %s", r)
	}

	// Before: no lock.
	v := srv.NewUser(t, "nolockbot")
	vtoken := v.MiAuth(t, accPermissions...)
	res = applyPairReal(t, bin, srv.URL, vtoken, v.Username, "--lock=false")
	p, d, l, a := accObjects(t, v)
	t.Logf("without the lock: %d pins, %d folders, %d lists, %d antennas (%d duplicate objects); exits %d and %d",
		p, d, l, a, p+d+l+a-7, res[0].code, res[1].code)
	if p+d+l+a > 7 {
		vp := newAccProc(t, bin, srv.URL, vtoken)
		vp.writeConfig(fmt.Sprintf(accLockHCL, v.Username))
		r := vp.run("plan")
		if r.code == ExitOK || !strings.Contains(r.stderr, "Duplicate") || strings.Contains(r.stderr, "Ambiguous") {
			t.Errorf("plan of the duplicated account: %s", r)
		}
	}
}
