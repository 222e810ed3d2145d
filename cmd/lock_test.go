package cmd

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mkctl/mkctl/provider"
	"github.com/mkctl/mkctl/provider/emulator"
)

// lockConfig declares 2 pinned notes, 3 folders, 1 list and 1 antenna: the
// objects issue 8 found duplicated by two applies at once.
const lockConfig = `account "bot" {
  host     = %q
  username = "bot"
  pinned_note "about" { text = "About this bot." }
  pinned_note "rules" { text = "Rules." }
  drive_folder "media" {
    drive_folder "thumbnails" {}
  }
  drive_folder "docs" {}
  user_list "sources" { members = ["@reuters"] }
  antenna "breaking" {
    source    = "list"
    user_list = user_list.sources
    keywords  = ["breaking"]
  }
}
`

const lockDeclared = 7

type lockFixture struct {
	e     *emulator.Emulator
	srv   *httptest.Server
	me    string
	token string
	dir   string
}

// newLockFixture serves an emulator with a delay on every request, as a
// real server over a network has: without it two applies rarely overlap.
func newLockFixture(t *testing.T, latency time.Duration) *lockFixture {
	t.Helper()
	e := emulator.New(emulator.Options{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(latency)
		e.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	me := e.CreateUser("bot")
	e.CreateUser("reuters")
	f := &lockFixture{e: e, srv: srv, me: me.ID, token: e.IssueToken(me.ID, mkctlPermissions), dir: t.TempDir()}
	if err := os.WriteFile(filepath.Join(f.dir, "main.mk.hcl"), []byte(fmt.Sprintf(lockConfig, srv.URL)), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("MKCTL_TOKEN", f.token)
	return f
}

func (f *lockFixture) run(ctx context.Context, args ...string) (int, string) {
	var out bytes.Buffer
	var mu sync.Mutex
	w := writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return out.Write(p) })
	code := MainContext(ctx, &IOStreams{In: strings.NewReader(""), Out: w, ErrOut: w},
		append(args, "--chdir", f.dir, "--no-color"))
	return code, out.String()
}

type writerFunc func([]byte) (int, error)

func (w writerFunc) Write(p []byte) (int, error) { return w(p) }

// objects counts what the account holds of the declared kinds.
func (f *lockFixture) objects() (pins, folders, lists, antennas int) {
	return len(f.e.PinnedNoteIDs(f.me)), len(f.e.DriveFoldersOf(f.me)), len(f.e.UserListsOf(f.me)), len(f.e.AntennasOf(f.me))
}

func (f *lockFixture) total() int {
	p, d, l, a := f.objects()
	return p + d + l + a
}

// applyPair starts two applies of the same configuration at the same moment.
func (f *lockFixture) applyPair(t *testing.T, args ...string) (codes [2]int, outs [2]string) {
	t.Helper()
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			codes[i], outs[i] = f.run(context.Background(), append([]string{"apply", "--auto-approve"}, args...)...)
		}()
	}
	close(start)
	wg.Wait()
	return codes, outs
}

// Issue 8 item 1: two applies at once, same token. Before the lock both
// created every object (4 pins, 6 folders, 2 lists, 2 antennas) and every
// later plan failed with "Ambiguous …". With --lock-timeout the second
// waits for the first, then finds nothing to do.
func TestConcurrentAppliesWaitForTheLock(t *testing.T) {
	f := newLockFixture(t, 10*time.Millisecond)
	codes, outs := f.applyPair(t, "--lock-timeout", "1m")
	for i := range 2 {
		if codes[i] != 0 {
			t.Fatalf("apply %d: exit %d\n%s", i, codes[i], outs[i])
		}
	}
	if p, d, l, a := f.objects(); p != 2 || d != 3 || l != 1 || a != 1 {
		t.Fatalf("after two applies at once: %d pins, %d folders, %d lists, %d antennas; want 2, 3, 1, 1\n%s\n%s", p, d, l, a, outs[0], outs[1])
	}
	// Usually one waits for the other; on a loaded machine the first may
	// be done before the second starts (then it finds nothing to do).
	if !strings.Contains(outs[0]+outs[1], "waiting up to 1m0s for the lock held by mkctl") {
		t.Logf("the applies did not overlap:\n%s\n%s", outs[0], outs[1])
	}
	if code, out := f.run(context.Background(), "plan", "--detailed-exitcode"); code != 0 {
		t.Fatalf("plan after both: exit %d\n%s", code, out)
	}
	// Both leases are gone: a third apply takes the lock at once.
	if cl := f.claims(t); len(cl) != 0 {
		t.Errorf("claims left after both applies: %+v", cl)
	}
}

// With the default --lock-timeout 0 the second apply fails at once, saying
// who holds the lock, and changes nothing.
func TestConcurrentApplyFailsNamingTheHolder(t *testing.T) {
	f := newLockFixture(t, 0)
	c, err := provider.NewClient(f.srv.URL, f.token)
	if err != nil {
		t.Fatal(err)
	}
	lease, err := provider.Acquire(context.Background(), c, "@bot", provider.LockInfo{
		Host: "ci-runner-7", PID: 4242, Mkctl: "1.2.3", Address: "account.bot", Config: "/src/bots",
	}, provider.LockOptions{})
	if err != nil {
		t.Fatal(err)
	}
	code, out := f.run(context.Background(), "apply", "--auto-approve")
	if code == 0 {
		t.Fatalf("apply while locked succeeded:\n%s", out)
	}
	for _, want := range []string{"is locked by another apply", "mkctl 1.2.3 on ci-runner-7 (pid 4242)", "account.bot in /src/bots", "since 20", "force-unlock"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if n := f.total(); n != 0 {
		t.Errorf("a refused apply changed the account: %d objects", n)
	}
	// A waiting apply goes on once the holder releases.
	go func() {
		time.Sleep(500 * time.Millisecond)
		_ = lease.Release()
	}()
	if code, out := f.run(context.Background(), "apply", "--auto-approve", "--lock-timeout", "30s"); code != 0 {
		t.Fatalf("apply after release: exit %d\n%s", code, out)
	}
	if n := f.total(); n != lockDeclared {
		t.Errorf("%d objects, want %d", n, lockDeclared)
	}
}

func (f *lockFixture) claims(t *testing.T) []provider.LockClaim {
	t.Helper()
	c, err := provider.NewClient(f.srv.URL, f.token)
	if err != nil {
		t.Fatal(err)
	}
	cl, err := provider.Claims(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

func TestForceUnlock(t *testing.T) {
	f := newLockFixture(t, 0)
	c, err := provider.NewClient(f.srv.URL, f.token)
	if err != nil {
		t.Fatal(err)
	}
	lease, err := provider.Acquire(context.Background(), c, "@bot", provider.LockInfo{Host: "gone-host", PID: 1}, provider.LockOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer lease.Release()
	// Without a terminal and without --force it refuses.
	if code, out := f.run(context.Background(), "force-unlock", "account.bot"); code == 0 || !strings.Contains(out, "--force") {
		t.Fatalf("force-unlock without --force: exit %d\n%s", code, out)
	}
	if code, out := f.run(context.Background(), "force-unlock", "account.nope", "--force"); code == 0 || !strings.Contains(out, "account.bot") {
		t.Fatalf("force-unlock of an unknown address: exit %d\n%s", code, out)
	}
	code, out := f.run(context.Background(), "force-unlock", "account.bot", "--force")
	if code != 0 || !strings.Contains(out, "gone-host (pid 1)") || !strings.Contains(out, "account.bot has been unlocked") {
		t.Fatalf("force-unlock: exit %d\n%s", code, out)
	}
	if cl := f.claims(t); len(cl) != 0 {
		t.Fatalf("claims left: %+v", cl)
	}
	if code, out := f.run(context.Background(), "apply", "--auto-approve"); code != 0 {
		t.Fatalf("apply after force-unlock: exit %d\n%s", code, out)
	}
}

// TestConcurrentApplyDuplicatesMeasure is the measurement of the closing
// note of issue 8: 20 pairs of simultaneous applies on fresh accounts with
// 10 ms of latency, without the lock (--lock=false: the code path of
// before) and with it. MKCTL_MEASURE=1 runs it.
func TestConcurrentApplyDuplicatesMeasure(t *testing.T) {
	if os.Getenv("MKCTL_MEASURE") == "" {
		t.Skip("MKCTL_MEASURE=1 runs the 20-pair measurement")
	}
	for _, mode := range []struct {
		name string
		args []string
	}{{"without lock", []string{"--lock=false"}}, {"with lock", nil}} {
		dups, wedged, failed := 0, 0, 0
		for range 20 {
			f := newLockFixture(t, 10*time.Millisecond)
			codes, _ := f.applyPair(t, mode.args...)
			for _, c := range codes {
				if c != 0 {
					failed++
				}
			}
			dups += f.total() - lockDeclared
			if code, _ := f.run(context.Background(), "plan"); code != 0 {
				wedged++
			}
		}
		t.Logf("%s: %d duplicate objects over 20 pairs, %d wedged accounts (plan fails), %d applies refused", mode.name, dups, wedged, failed)
	}
}

// Issue 8 item 1b: an account wedged by two applies at once (made here
// with --lock=false, the code path of before) no longer fails every plan
// with "Ambiguous …": the plan names the duplicates with ids and dates,
// and with the collections purged one apply repairs the account.
func TestWedgedAccountRepairs(t *testing.T) {
	f := newLockFixture(t, 10*time.Millisecond)
	f.applyPair(t, "--lock=false")
	if f.total() <= lockDeclared {
		t.Skip("the two applies did not overlap")
	}
	code, out := f.run(context.Background(), "plan")
	if code == 0 || !strings.Contains(out, "Duplicate") || !strings.Contains(out, "created 20") {
		t.Fatalf("plan of a wedged account: exit %d\n%s", code, out)
	}
	cfg := strings.Replace(fmt.Sprintf(lockConfig, f.srv.URL), `username = "bot"`,
		`username = "bot"
  purge    = ["pinned_notes", "drive_folders", "antennas", "user_lists"]`, 1)
	if err := os.WriteFile(filepath.Join(f.dir, "main.mk.hcl"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out := f.run(context.Background(), "apply", "--auto-approve"); code != 0 {
		t.Fatalf("repairing apply: exit %d\n%s", code, out)
	}
	if p, d, l, a := f.objects(); p != 2 || d != 3 || l != 1 || a != 1 {
		t.Fatalf("after repair: %d pins, %d folders, %d lists, %d antennas; want 2, 3, 1, 1", p, d, l, a)
	}
	if code, out := f.run(context.Background(), "plan", "--detailed-exitcode"); code != 0 {
		t.Fatalf("plan after repair: exit %d\n%s", code, out)
	}
}

// The lease of an apply killed on this machine (its process is gone) does
// not make the re-run wait for the TTL: interrupted applies still converge
// by running apply again.
func TestKilledApplyLeaseDoesNotBlockRerun(t *testing.T) {
	f := newLockFixture(t, 0)
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Skip(err)
	}
	host, _ := os.Hostname()
	c, err := provider.NewClient(f.srv.URL, f.token)
	if err != nil {
		t.Fatal(err)
	}
	lease, err := provider.Acquire(context.Background(), c, "@bot", provider.LockInfo{Host: host, PID: dead.Process.Pid}, provider.LockOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer lease.Release()
	if code, out := f.run(context.Background(), "apply", "--auto-approve"); code != 0 {
		t.Fatalf("re-run after a killed apply: exit %d\n%s", code, out)
	}
	// A live process of this machine still holds it.
	_ = lease.Release()
	lease2, err := provider.Acquire(context.Background(), c, "@bot", provider.LockInfo{Host: host, PID: os.Getppid()}, provider.LockOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer lease2.Release()
	if code, out := f.run(context.Background(), "apply", "--auto-approve"); code == 0 || !strings.Contains(out, "is locked by another apply") {
		t.Fatalf("apply while a live process holds the lock: exit %d\n%s", code, out)
	}
}
