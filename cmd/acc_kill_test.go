package cmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mkctl/mkctl/internal/acctest"
)

// Acceptance tests against the real Misskey (MKCTL_ACC=1, the kit's server):
// mkctl runs as a real OS process, through a counting proxy, and is
// SIGKILLed in the middle of an apply; the re-runs must converge on the real
// server with nothing duplicated. Also: a real 429 waited out.

// accPermissions is what mkctl login asks for.
var accPermissions = allPermissions

// buildMkctl builds the mkctl binary into a temporary directory: the apply
// under test must be a process of its own that can be SIGKILLed.
func buildMkctl(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "mkctl")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/mkctl/mkctl").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// accProc is one mkctl configuration directory with its environment.
type accProc struct {
	t     *testing.T
	bin   string
	dir   string
	env   []string
	token string // must never appear in mkctl's output
}

func newAccProc(t *testing.T, bin, host, token string) *accProc {
	t.Helper()
	home := t.TempDir()
	dir := t.TempDir()
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"NO_COLOR=1",
		"MKCTL_TOKEN=" + token,
		"MKCTL_VAR_host=" + host,
	}
	return &accProc{t: t, bin: bin, dir: dir, env: env, token: token}
}

func (p *accProc) writeConfig(hcl string) {
	p.t.Helper()
	if err := os.WriteFile(filepath.Join(p.dir, "account.mk.hcl"), []byte(hcl), 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// procResult is what one mkctl run left behind.
type procResult struct {
	code           int
	stdout, stderr string
	elapsed        time.Duration
}

func (r procResult) String() string {
	return fmt.Sprintf("exit %d after %s\n--- stdout\n%s--- stderr\n%s", r.code, r.elapsed.Round(time.Millisecond), r.stdout, r.stderr)
}

// running is an mkctl process in flight, which a proxy hook may kill.
type running struct {
	cmd    *exec.Cmd
	ready  chan struct{} // closed once cmd.Process is set
	done   chan struct{}
	mu     sync.Mutex
	killed bool
}

// kill SIGKILLs the process and returns once it is gone, so that nothing it
// might still do races with what the hook does next.
func (r *running) kill() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.killed {
		return
	}
	r.killed = true
	<-r.ready
	_ = r.cmd.Process.Signal(os.Kill)
	select {
	case <-r.done:
	case <-time.After(30 * time.Second):
	}
}

func (r *running) wasKilled() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.killed
}

// start runs mkctl with args; started receives the process before any
// request can leave it.
func (p *accProc) start(started func(*running), args ...string) procResult {
	p.t.Helper()
	cmd := exec.Command(p.bin, args...)
	cmd.Dir = p.dir
	cmd.Env = p.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	r := &running{cmd: cmd, ready: make(chan struct{}), done: make(chan struct{})}
	if started != nil {
		started(r) // before Start: a hook may fire as soon as the process runs
	}
	begin := time.Now()
	if err := cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	close(r.ready)
	waitErr := make(chan error, 1)
	go func() {
		err := cmd.Wait()
		close(r.done)
		waitErr <- err
	}()
	var err error
	select {
	case err = <-waitErr:
	case <-time.After(10 * time.Minute):
		_ = cmd.Process.Kill()
		p.t.Fatalf("mkctl %v did not finish within 10 minutes", args)
	}
	res := procResult{stdout: stdout.String(), stderr: stderr.String(), elapsed: time.Since(begin)}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		res.code = ee.ExitCode() // -1 when killed by a signal
	default:
		p.t.Fatalf("mkctl %v: %v", args, err)
	}
	// The token is never printed, whatever happened.
	if strings.Contains(res.stdout, p.token) || strings.Contains(res.stderr, p.token) {
		p.t.Fatalf("mkctl %v printed the token", args)
	}
	return res
}

func (p *accProc) run(args ...string) procResult {
	p.t.Helper()
	return p.start(nil, args...)
}

// mustRun runs mkctl and fails the test unless it exits with code.
func (p *accProc) mustRun(code int, args ...string) procResult {
	p.t.Helper()
	r := p.run(args...)
	if r.code != code {
		p.t.Fatalf("mkctl %s: want exit %d, got %s", strings.Join(args, " "), code, r)
	}
	return r
}

// assertNoChanges is `mkctl plan --detailed-exitcode` saying "No changes.".
func (p *accProc) assertNoChanges() {
	p.t.Helper()
	r := p.run("plan", "--detailed-exitcode")
	if r.code != ExitOK || !strings.Contains(r.stdout, "No changes.") {
		p.t.Fatalf("plan after the apply: want exit 0 and \"No changes.\", got %s", r)
	}
}

// killWorld is the accounts every run of the kill test refers to: made once
// per test, never changed by mkctl (only followed, listed).
type killWorld struct {
	srv                  *acctest.Server
	friend, locked       *acctest.User // followed (locked: a pending request)
	carol, erin          *acctest.User // followed and listed by the seed configuration
	bin                  string
	seedHCL, desiredHCL  string // with %[1]s for the account's username
	desiredPinnedTexts   []string
	desiredListMemberIDs []string
}

func newKillWorld(t *testing.T, srv *acctest.Server) *killWorld {
	t.Helper()
	w := &killWorld{srv: srv, bin: buildMkctl(t)}
	w.friend = srv.NewUser(t, "kfriend")
	w.locked = srv.NewUser(t, "klocked")
	w.carol = srv.NewUser(t, "kcarol")
	w.erin = srv.NewUser(t, "kerin")
	w.locked.Call(t, "i/update", map[string]any{"isLocked": true}, nil)
	// The seed is the starting state the apply under test changes, so that
	// the apply needs every action: creates of every kind, a pinned-note
	// replace, a re-pin, an update, and deletes of owned objects of every
	// kind (the seed is applied with the same token, so mkctl owns it).
	w.seedHCL = `variable "host" { type = string }
account "bot" {
  host     = var.host
  username = "%[1]s"
  profile { name = "Old name" }
  pinned_note "middle"   { text = "middle: rules v1" }
  pinned_note "top"      { text = "top: welcome" }
  pinned_note "obsolete" { text = "obsolete note" }
  follow "@` + w.carol.Username + `" {}
  drive_folder "old" {}
  user_list "stale" { members = ["@` + w.erin.Username + `"] }
  antenna "old-feed" {
    source    = "list"
    user_list = user_list.stale
    keywords  = ["old"]
  }
}
`
	w.desiredPinnedTexts = []string{"top: welcome", "middle: rules v2", "bottom: contact"}
	w.desiredHCL = `variable "host" { type = string }
account "bot" {
  host     = var.host
  username = "%[1]s"
  profile {
    name        = "Kill Test"
    description = "killed and re-run"
  }
  pinned_note "top"    { text = "top: welcome" }
  pinned_note "middle" { text = "middle: rules v2" }
  pinned_note "bottom" { text = "bottom: contact" }
  follow "@` + w.friend.Username + `" {
    with_replies = true
    notify       = true
  }
  follow "@` + w.locked.Username + `" {}
  drive_folder "media" {
    drive_folder "icons" {}
  }
  user_list "friends" {
    members = ["@` + w.friend.Username + `", "@` + w.erin.Username + `"]
  }
  antenna "friends-feed" {
    source           = "list"
    user_list        = user_list.friends
    keywords         = ["news"]
    exclude_keywords = [["spam"]]
  }
}
`
	w.desiredListMemberIDs = []string{w.friend.ID, w.erin.ID}
	sort.Strings(w.desiredListMemberIDs)
	return w
}

// killCase is one kill of the apply under test.
type killCase struct {
	k     int  // the request number, counted from the apply's first request
	after bool // kill once the server answered request k (the reply is lost); else before forwarding it
}

func (kc killCase) String() string {
	if kc.after {
		return fmt.Sprintf("k=%d/after-answer", kc.k)
	}
	return fmt.Sprintf("k=%d/before-forward", kc.k)
}

// killOutcome is what happened in one case.
type killOutcome struct {
	killed   bool
	endpoint string // of request k
	reruns   int
}

// runKillCase makes a fresh account, applies the seed, then applies the
// desired configuration through the proxy, killing mkctl at request k
// (kc == nil: no kill, to count the apply's requests), re-runs apply until
// it succeeds (at most twice) and checks the real account.
func (w *killWorld) runKillCase(t *testing.T, kc *killCase) (killOutcome, int) {
	t.Helper()
	var out killOutcome
	u := w.srv.NewUser(t, "kbot")
	token := u.MiAuth(t, accPermissions...)
	p := w.srv.NewProxy(t)
	proc := newAccProc(t, w.bin, p.URL, token)

	proc.writeConfig(fmt.Sprintf(w.seedHCL, u.Username))
	proc.mustRun(ExitOK, "apply", "--auto-approve")

	proc.writeConfig(fmt.Sprintf(w.desiredHCL, u.Username))
	p.Reset()
	var cur *running
	var curMu sync.Mutex
	current := func() *running { curMu.Lock(); defer curMu.Unlock(); return cur }
	var epMu sync.Mutex // out.endpoint is written by a proxy goroutine
	if kc != nil {
		if kc.after {
			p.OnAnswer(func(n int, endpoint string, status int) bool {
				if n != kc.k {
					return true
				}
				epMu.Lock()
				out.endpoint = fmt.Sprintf("%s (answered %d)", endpoint, status)
				epMu.Unlock()
				current().kill()
				return false
			})
		} else {
			p.OnRequest(func(n int, endpoint string) bool {
				if n != kc.k {
					return true
				}
				epMu.Lock()
				out.endpoint = endpoint
				epMu.Unlock()
				current().kill()
				return false
			})
		}
	}
	first := proc.start(func(r *running) { curMu.Lock(); cur = r; curMu.Unlock() }, "apply", "--auto-approve")
	total := p.Total()
	p.OnRequest(nil)
	p.OnAnswer(nil)
	out.killed = cur.wasKilled()
	if kc == nil || !out.killed {
		if first.code != ExitOK {
			t.Fatalf("apply without a kill failed: %s", first)
		}
	} else if first.code == ExitOK {
		t.Fatalf("%s: mkctl was killed but exited 0: %s", kc, first)
	}
	if out.killed {
		// At most two plain re-runs converge (the second only when the
		// first stopped on something a fresh plan repairs).
		for out.reruns = 1; ; out.reruns++ {
			r := proc.run("apply", "--auto-approve")
			t.Cleanup(func() {
				if t.Failed() {
					t.Logf("re-run %d: %s", out.reruns, r)
				}
			})
			if r.code == ExitOK {
				break
			}
			if out.reruns == 2 {
				t.Fatalf("%s: the second re-run failed too: %s", kc, r)
			}
			t.Logf("%s: first re-run failed: %s", kc, r)
		}
	}
	proc.assertNoChanges()
	w.assertConverged(t, u)
	w.assertRecord(t, u, token)
	return out, total
}

// assertConverged checks the real account, read with the user's own token
// (not mkctl's): exactly the declared objects, each once, pins in order.
func (w *killWorld) assertConverged(t *testing.T, u *acctest.User) {
	t.Helper()
	var me struct {
		Name          string   `json:"name"`
		Description   string   `json:"description"`
		PinnedNoteIDs []string `json:"pinnedNoteIds"`
		PinnedNotes   []struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		} `json:"pinnedNotes"`
	}
	u.Call(t, "i", nil, &me)
	if me.Name != "Kill Test" || me.Description != "killed and re-run" {
		t.Errorf("profile: name %q, description %q", me.Name, me.Description)
	}
	var pinned []string
	for _, n := range me.PinnedNotes {
		pinned = append(pinned, n.Text)
	}
	var pinnedIDs []string
	for _, n := range me.PinnedNotes {
		pinnedIDs = append(pinnedIDs, n.ID)
	}
	// pinnedNoteIds is the order the profile shows; pinnedNotes must agree.
	if !slices.Equal(pinned, w.desiredPinnedTexts) || !slices.Equal(me.PinnedNoteIDs, pinnedIDs) {
		t.Errorf("pinned notes, top first: %q (pinnedNoteIds %v, pinnedNotes ids %v), want %q", pinned, me.PinnedNoteIDs, pinnedIDs, w.desiredPinnedTexts)
	}

	// Every note of the account: the three pinned ones, each once. A
	// duplicate post, or a replaced/obsolete note left behind, shows here.
	texts := realNotes(t, u)
	sort.Strings(texts)
	want := slices.Clone(w.desiredPinnedTexts)
	sort.Strings(want)
	if !slices.Equal(texts, want) {
		t.Errorf("the account's notes: %q, want exactly %q", texts, want)
	}

	var following []struct {
		FolloweeID string `json:"followeeId"`
	}
	u.Call(t, "users/following", map[string]any{"userId": u.ID, "limit": 100}, &following)
	if len(following) != 1 || following[0].FolloweeID != w.friend.ID {
		t.Errorf("follows: %+v, want only %s", following, w.friend.Username)
	}
	var sent []struct {
		Followee struct {
			ID string `json:"id"`
		} `json:"followee"`
	}
	u.Call(t, "following/requests/sent", map[string]any{"limit": 100}, &sent)
	if len(sent) != 1 || sent[0].Followee.ID != w.locked.ID {
		t.Errorf("pending follow requests: %+v, want one to %s", sent, w.locked.Username)
	}

	type folder struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	var root []folder
	u.Call(t, "drive/folders", map[string]any{"limit": 100}, &root)
	if len(root) != 1 || root[0].Name != "media" {
		t.Errorf("root folders: %+v, want only media", root)
	} else {
		var sub []folder
		u.Call(t, "drive/folders", map[string]any{"limit": 100, "folderId": root[0].ID}, &sub)
		if len(sub) != 1 || sub[0].Name != "icons" {
			t.Errorf("folders in media: %+v, want only icons", sub)
		}
	}

	var lists []struct {
		ID      string   `json:"id"`
		Name    string   `json:"name"`
		UserIDs []string `json:"userIds"`
	}
	u.Call(t, "users/lists/list", nil, &lists)
	listID := ""
	if len(lists) != 1 || lists[0].Name != "friends" {
		t.Errorf("user lists: %+v, want only friends", lists)
	} else {
		ids := slices.Clone(lists[0].UserIDs)
		sort.Strings(ids)
		if !slices.Equal(ids, w.desiredListMemberIDs) {
			t.Errorf("members of friends: %v, want %v", ids, w.desiredListMemberIDs)
		}
		listID = lists[0].ID
	}
	var antennas []struct {
		Name       string `json:"name"`
		Src        string `json:"src"`
		UserListID string `json:"userListId"`
	}
	u.Call(t, "antennas/list", nil, &antennas)
	if len(antennas) != 1 || antennas[0].Name != "friends-feed" || antennas[0].Src != "list" || antennas[0].UserListID != listID {
		t.Errorf("antennas: %+v, want only friends-feed on list %s", antennas, listID)
	}
}

// assertRecord checks mkctl's ownership record, read with mkctl's token
// (the registry is private to it): exactly the declared objects with their
// live ids — no entry of a deleted object, no retiring entry of a replaced
// note, no intent left over from a killed notes/create.
func (w *killWorld) assertRecord(t *testing.T, u *acctest.User, token string) {
	t.Helper()
	// The record is a manifest (format 2) that holds small kinds itself and
	// names the chunks of large ones (provider/ownership_store.go); each
	// chunk maps a short name to an id.
	var detail struct {
		Value struct {
			Version int    `json:"v"`
			Account string `json:"account"`
			Objects map[string]struct {
				ID string `json:"id"`
			} `json:"objects"`
			Intents map[string]any `json:"intents"`
			Chunks  map[string][]struct {
				Name string `json:"k"`
				N    int    `json:"n"`
			} `json:"chunks"`
		} `json:"value"`
	}
	w.srv.Must(t, token, "i/registry/get-detail", map[string]any{"scope": []string{"mkctl"}, "key": "ownership:account.bot"}, &detail)
	rec := detail.Value
	if rec.Version != 2 {
		t.Errorf("ownership record format %d, want 2", rec.Version)
	}
	for kind, refs := range rec.Chunks {
		for _, ref := range refs {
			var chunk struct {
				Value struct {
					Entries map[string]string `json:"e"`
				} `json:"value"`
			}
			w.srv.Must(t, token, "i/registry/get-detail", map[string]any{"scope": []string{"mkctl"}, "key": "ownership:account.bot:" + kind + ":" + ref.Name}, &chunk)
			if len(chunk.Value.Entries) != ref.N {
				t.Errorf("chunk %s of %s holds %d entries, the manifest says %d", ref.Name, kind, len(chunk.Value.Entries), ref.N)
			}
			for name, id := range chunk.Value.Entries {
				key := kind + "." + name
				if kind == "follow" || kind == "drive_folder" {
					key = kind + "[" + strconv.Quote(name) + "]"
				}
				rec.Objects[key] = struct {
					ID string `json:"id"`
				}{id}
			}
		}
	}
	var me struct {
		PinnedNotes []struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		} `json:"pinnedNotes"`
	}
	u.Call(t, "i", nil, &me)
	want := map[string]string{
		`follow["@` + w.friend.Username + `"]`: w.friend.ID,
		`follow["@` + w.locked.Username + `"]`: w.locked.ID,
	}
	labels := map[string]string{"top: welcome": "top", "middle: rules v2": "middle", "bottom: contact": "bottom"}
	for _, n := range me.PinnedNotes {
		want["pinned_note."+labels[n.Text]] = n.ID
	}
	got := map[string]string{}
	for k, o := range rec.Objects {
		got[k] = o.ID
	}
	// Folders, the list and the antenna: present, with an id (their ids
	// were compared with the live objects by the plan saying No changes).
	for _, k := range []string{`drive_folder["media"]`, `drive_folder["media/icons"]`, "user_list.friends", "antenna.friends-feed"} {
		if got[k] == "" {
			t.Errorf("ownership record: no %s", k)
		}
		delete(got, k)
	}
	if rec.Account != "account.bot" || !maps.Equal(got, want) || len(rec.Intents) != 0 {
		t.Errorf("ownership record: account %q, objects %v (besides folders, list, antenna), intents %v;\nwant objects %v and no intents", rec.Account, got, rec.Intents, want)
	}
}

// killSeed is the seed of the random kill points: MKCTL_ACC_KILL_SEED
// replays a run; otherwise the time, logged.
func killSeed(t *testing.T) uint64 {
	if s := os.Getenv("MKCTL_ACC_KILL_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("MKCTL_ACC_KILL_SEED=%q: %v", s, err)
		}
		return v
	}
	return uint64(time.Now().UnixNano())
}

// TestAccApplyKilledConverges: an apply SIGKILLed at a request — before it
// reaches the server, or after the server acted on it but before mkctl heard
// the answer — and then re-run converges on the real server with nothing
// duplicated. Kill points: the first request, the last one (n-1 and n of
// the uninterrupted apply's n, which varies by one), and a seeded
// random sample in between (MKCTL_ACC_KILL_POINTS, default 8; "all" for
// every request), each in both variants. Every case has a fresh account, so
// per-user rate limits (drive/folders/create is 10/hour) start fresh.
func TestAccApplyKilledConverges(t *testing.T) {
	srv := acctest.Connect(t)
	w := newKillWorld(t, srv)

	// The apply's request count without a kill; also proves the scenario
	// converges when nothing goes wrong.
	start := time.Now()
	_, n := w.runKillCase(t, nil)
	t.Logf("uninterrupted apply of the desired configuration: %d requests (case took %s)", n, time.Since(start).Round(time.Millisecond))
	if n < 10 {
		t.Fatalf("the apply made only %d requests: the scenario does not exercise anything", n)
	}

	points := 8
	switch s := os.Getenv("MKCTL_ACC_KILL_POINTS"); s {
	case "":
	case "all": // every request: about 7 s per request on the kit's server
		points = n - 3
	default:
		v, err := strconv.Atoi(s)
		if err != nil || v < 0 {
			t.Fatalf("MKCTL_ACC_KILL_POINTS=%q: want a count or \"all\"", s)
		}
		points = v
	}
	seed := killSeed(t)
	t.Logf("kill points: seed %d (replay with MKCTL_ACC_KILL_SEED=%d)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	// The last request is n or n-1: a notes/delete or probe 429 (one a
	// second) comes or not depending on timing, so the count varies by one.
	ks := []int{1, n - 1, n}
	for _, k := range rng.Perm(n - 3)[:min(points, n-3)] {
		ks = append(ks, k+2) // 2..n-2
	}
	sort.Ints(ks)
	t.Logf("kill at requests %v of %d, each before forwarding and after the answer", ks, n)

	var cases []killCase
	for _, k := range ks {
		cases = append(cases, killCase{k: k}, killCase{k: k, after: true})
	}
	// Each case has its own account, proxy and process, so the cases run
	// side by side (as many as -parallel allows): most of a case is mkctl
	// waiting for the server, not CPU.
	var killed atomic.Int32
	t.Run("cases", func(t *testing.T) {
		for _, kc := range cases {
			t.Run(kc.String(), func(t *testing.T) {
				t.Parallel()
				// No ResetRateLimits: the counters are per user and every case
				// has its own account (the shared followees call nothing), and
				// a reset is global: it would spoil a concurrent test that
				// needs a 429.
				start := time.Now()
				out, total := w.runKillCase(t, &kc)
				if !out.killed {
					// Request k never came: the apply made fewer requests this
					// time (a 429 on notes/delete adds retries, so the count
					// varies by a few).
					t.Logf("%s: not killed; the apply made %d requests", kc, total)
					return
				}
				killed.Add(1)
				t.Logf("%s: killed at %s; converged after %d re-run(s); case took %s", kc, out.endpoint, out.reruns, time.Since(start).Round(time.Millisecond))
			})
		}
	})
	// A count that drifted far from the calibration would make this test
	// prove little: most cases must really kill.
	if int(killed.Load()) < len(cases)*3/4 {
		t.Errorf("only %d of %d cases killed mkctl", killed.Load(), len(cases))
	}
}

// TestAccApplyWaitsOutRealRateLimit: a real 429 from the real server is
// waited out and the apply finishes. notes/delete allows one call a second
// per user, so an apply that replaces and deletes several pinned notes back
// to back runs into it; to make sure at least one 429 happens whatever the
// timing, the test deletes a throwaway note of the same account with the
// user's own token right before mkctl's first notes/delete reaches the
// server (the limit counts per user, whichever token).
func TestAccApplyWaitsOutRealRateLimit(t *testing.T) {
	srv := acctest.Connect(t)
	bin := buildMkctl(t)
	u := srv.NewUser(t, "rlbot")
	token := u.MiAuth(t, accPermissions...)
	p := srv.NewProxy(t)
	proc := newAccProc(t, bin, p.URL, token)

	seed := `variable "host" { type = string }
account "bot" {
  host     = var.host
  username = "` + u.Username + `"
  pinned_note "a" { text = "a v1" }
  pinned_note "b" { text = "b v1" }
  pinned_note "c" { text = "c v1" }
  pinned_note "d" { text = "d v1" }
}
`
	proc.writeConfig(seed)
	proc.mustRun(ExitOK, "apply", "--auto-approve")

	// Replace a and b, delete c and d: four notes/delete in a row.
	desired := `variable "host" { type = string }
account "bot" {
  host     = var.host
  username = "` + u.Username + `"
  pinned_note "a" { text = "a v2" }
  pinned_note "b" { text = "b v2" }
}
`
	proc.writeConfig(desired)
	var throwaway struct {
		CreatedNote struct {
			ID string `json:"id"`
		} `json:"createdNote"`
	}
	u.Call(t, "notes/create", map[string]any{"text": "throwaway", "visibility": "home"}, &throwaway)
	var once sync.Once
	p.Reset()
	p.OnRequest(func(n int, endpoint string) bool {
		if endpoint == "notes/delete" {
			once.Do(func() {
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				if err := srv.CallJSON(ctx, u.NativeToken, "notes/delete", map[string]any{"noteId": throwaway.CreatedNote.ID}, nil); err != nil {
					t.Errorf("deleting the throwaway note: %v", err)
				}
			})
		}
		return true
	})
	r := proc.mustRun(ExitOK, "apply", "--auto-approve")
	p.OnRequest(nil)
	t.Logf("apply took %s: notes/delete %d requests, %d answered 429", r.elapsed.Round(time.Millisecond), p.Count("notes/delete"), p.Answers("notes/delete", 429))

	for _, line := range strings.Split(r.stderr, "\n") {
		if strings.Contains(line, "rate limited") {
			t.Logf("mkctl: %s", line)
		}
	}
	if got := p.Answers("notes/delete", 429); got < 1 {
		t.Errorf("the real server answered notes/delete 429 %d times, want at least 1", got)
	}
	if !strings.Contains(r.stderr, "rate limited on notes/delete; waiting") || !strings.Contains(r.stderr, "Retry-After") {
		t.Errorf("mkctl did not say it was waiting for the rate limit:\n%s", r.stderr)
	}
	if !strings.Contains(r.stdout, "Apply complete!") {
		t.Errorf("apply did not finish:\n%s", r)
	}
	// Every 429 was waited out: the real server allowed one a second.
	if least := time.Duration(p.Answers("notes/delete", 429)) * time.Second; r.elapsed < least {
		t.Errorf("apply took %s, less than the %s the 429s asked for", r.elapsed, least)
	}
	proc.assertNoChanges()

	var me struct {
		PinnedNotes []struct {
			Text string `json:"text"`
		} `json:"pinnedNotes"`
	}
	u.Call(t, "i", nil, &me)
	var pinned []string
	for _, n := range me.PinnedNotes {
		pinned = append(pinned, n.Text)
	}
	if !slices.Equal(pinned, []string{"a v2", "b v2"}) {
		t.Errorf("pinned notes, top first: %q, want [a v2 b v2]", pinned)
	}
	texts := realNotes(t, u)
	sort.Strings(texts)
	if !slices.Equal(texts, []string{"a v2", "b v2"}) {
		t.Errorf("the account's notes: %q, want exactly [a v2 b v2]", texts)
	}
}
