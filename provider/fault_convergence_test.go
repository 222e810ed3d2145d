package provider

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/provider/emulator"
	"github.com/mkctl/mkctl/schema"
)

// Fault convergence: whichever request of an apply fails, and however it
// fails (the request never ran, or it ran and its answer was lost), at most
// two plain re-runs of read → plan → apply bring the account to exactly the
// declared state — no duplicate notes, no orphans mkctl made and forgot, the
// pins in the declared order — and a last plan finds nothing to do.
//
// The starting state is made by applying another configuration first, so
// that the apply under test needs every action: creates of every kind, a
// pinned-note replace, a re-pin, and deletes of owned objects of every kind.

// faultWorld is one account in the starting state, with the other users
// the configurations name.
type faultWorld struct {
	env                      *emuEnv
	bob, erin, locked, carol *emulator.User
}

var (
	faultYes = true
	// Texts of the desired pinned notes, top first.
	faultPinned = []string{"top: welcome", "middle: rules v2", "bottom: contact"}
)

// faultSeedAccount is the configuration applied first: the starting state.
func faultSeedAccount() *schema.Account {
	return account(
		folders("old", "old/sub"),
		func(a *schema.Account) {
			a.Profile = &schema.Profile{Attrs: map[string]schema.ProfileValue{"name": {Value: "Old name"}}}
			a.PinnedNotes = []*schema.PinnedNote{
				{Label: "middle", Text: "middle: rules v1", Visibility: "public"}, // replaced
				{Label: "top", Text: "top: welcome", Visibility: "public"},        // re-pinned
				{Label: "obsolete", Text: "obsolete note", Visibility: "public"},  // deleted
			}
			a.Follows = []*schema.Follow{{Acct: "@carol"}} // unfollowed
			a.UserLists = []*schema.UserList{{Name: "stale", Members: []string{"@erin"}}}
			a.Antennas = []*schema.Antenna{{Name: "old-feed", Source: "list", UserList: "stale", Keywords: [][]string{{"old"}}}}
		},
	)
}

// faultDesiredAccount is the configuration under test: every kind.
func faultDesiredAccount() *schema.Account {
	return account(
		folders("media", "media/icons"),
		func(a *schema.Account) {
			a.Profile = &schema.Profile{Attrs: map[string]schema.ProfileValue{"name": {Value: "Alice"}}}
			a.PinnedNotes = []*schema.PinnedNote{
				{Label: "top", Text: faultPinned[0], Visibility: "public"},
				{Label: "middle", Text: faultPinned[1], Visibility: "public"},
				{Label: "bottom", Text: faultPinned[2], Visibility: "public"},
			}
			a.Follows = []*schema.Follow{
				{Acct: "@bob", WithReplies: &faultYes, Notify: &faultYes},
				{Acct: "@locked"},
			}
			a.UserLists = []*schema.UserList{{Name: "friends", Members: []string{"@bob", "@erin"}}}
			a.Antennas = []*schema.Antenna{
				{Name: "friends-feed", Source: "list", UserList: "friends", ExcludeKeywords: [][]string{{"spam"}}},
				{Name: "weather", Source: "all", Keywords: [][]string{{"storm"}, {"rain", "wind"}}, CaseSensitive: true},
			}
		},
	)
}

// newFaultWorld builds the starting state from scratch: a fresh emulator,
// the users, and a clean apply of the seed configuration.
func newFaultWorld(t *testing.T) *faultWorld {
	t.Helper()
	env := newEmuEnv(t)
	w := &faultWorld{env: env}
	w.bob = env.emu.CreateUser("bob")
	w.erin = env.emu.CreateUser("erin")
	w.carol = env.emu.CreateUser("carol")
	w.locked = env.emu.CreateUser("locked")
	env.emu.SetLocked(w.locked.ID, true)
	planAndApply(t, env, faultSeedAccount())
	env.emu.ResetRequests()
	return w
}

// planFor reads the account and plans the configuration, as `mkctl plan`.
func (w *faultWorld) planFor(t *testing.T, acct *schema.Account) *planner.AccountPlan {
	t.Helper()
	live, err := ReadAccount(context.Background(), w.env.c, acct)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	ap, diags := planner.PlanAccount(acct, live)
	if diags.HasErrors() {
		t.Fatalf("plan: %s", diags.Error())
	}
	return ap
}

// faultAtN arms a fault on the n-th request it sends, counted from when it
// is installed: it names that request's endpoint to FailNext just before
// the request goes out. Apply sends its requests one at a time, so the
// count is the apply's own request order.
type faultAtN struct {
	next  http.RoundTripper
	emu   *emulator.Emulator
	mode  emulator.FaultMode
	mu    sync.Mutex
	n     int
	seen  int
	armed string // the endpoint the fault was armed on
}

func (f *faultAtN) RoundTrip(req *http.Request) (*http.Response, error) {
	f.mu.Lock()
	f.seen++
	if f.seen == f.n {
		f.armed = strings.TrimPrefix(req.URL.Path, "/api/")
		f.emu.FailNext(f.armed, f.mode)
	}
	f.mu.Unlock()
	return f.next.RoundTrip(req)
}

// withFault runs fn with a client whose k-th request fails with mode.
func (w *faultWorld) withFault(k int, mode emulator.FaultMode, fn func()) *faultAtN {
	orig := w.env.c.hc
	hc := *orig
	f := &faultAtN{next: hc.Transport, emu: w.env.emu, mode: mode, n: k}
	hc.Transport = f
	w.env.c.hc = &hc
	defer func() { w.env.c.hc = orig }()
	fn()
	return f
}

func endpoints(reqs []emulator.LoggedRequest) []string {
	out := make([]string, len(reqs))
	for i, r := range reqs {
		out[i] = r.Endpoint
	}
	return out
}

// assertDesiredState checks the account against faultDesiredAccount, on
// the emulator's own tables (not through mkctl's reading of them).
func (w *faultWorld) assertDesiredState(t *testing.T) {
	t.Helper()
	emu, me := w.env.emu, w.env.me.ID

	// (1) A last plan finds nothing to do and nothing to adopt.
	if ap := w.planFor(t, faultDesiredAccount()); len(ap.Changes) != 0 || len(ap.Adopt) != 0 {
		t.Errorf("final plan: changes %v, adopt %+v", changeSummary(ap), ap.Adopt)
	}
	// (2) Every desired note exists exactly once, and nothing else mkctl
	// posted is left (the seed's "rules v1" and "obsolete" notes were its
	// own, so they must be gone).
	texts := map[string]int{}
	for _, n := range emu.NotesOf(me) {
		text := "<no text>"
		if n.Text != nil {
			text = *n.Text
		}
		texts[text]++
	}
	want := map[string]int{}
	for _, text := range faultPinned {
		want[text] = 1
	}
	if !reflect.DeepEqual(texts, want) {
		t.Errorf("notes by text = %v, want %v", texts, want)
	}
	// (3) The pins, top first.
	if got := noteTexts(t, w.env, emu.PinnedNoteIDs(me)); !reflect.DeepEqual(got, faultPinned) {
		t.Errorf("pinned = %q, want %q", got, faultPinned)
	}
	// (4) Follows, folders, lists and antennas are the declared ones.
	if got := emu.FolloweeIDs(me); !reflect.DeepEqual(got, []string{w.bob.ID}) {
		t.Errorf("following %v, want only bob %s", got, w.bob.ID)
	} else if f := emu.FollowingOf(me, w.bob.ID); !f.WithReplies || f.Notify == nil || *f.Notify != "normal" {
		t.Errorf("follow of bob: withReplies %v, notify %v", f.WithReplies, f.Notify)
	}
	if got := emu.PendingFolloweeIDs(me); !reflect.DeepEqual(got, []string{w.locked.ID}) {
		t.Errorf("follow requests %v, want only locked %s", got, w.locked.ID)
	}
	// want is what mkctl's record must hold once the account converged:
	// each declared object under its key, with its live id.
	wantRec := map[string]string{`follow["@bob"]`: w.bob.ID, `follow["@locked"]`: w.locked.ID}
	for i, id := range emu.PinnedNoteIDs(me) {
		wantRec["pinned_note."+[]string{"top", "middle", "bottom"}[min(i, 2)]] = id
	}
	folderByID := map[string]*emulator.DriveFolder{}
	for _, f := range emu.DriveFoldersOf(me) {
		folderByID[f.ID] = f
	}
	var paths []string
	for _, f := range folderByID {
		p := f.Name
		for q := f; q.ParentID != nil; {
			q = folderByID[*q.ParentID]
			p = q.Name + "/" + p
		}
		paths = append(paths, p)
		wantRec[`drive_folder["`+p+`"]`] = f.ID
	}
	slices.Sort(paths)
	if !reflect.DeepEqual(paths, []string{"media", "media/icons"}) {
		t.Errorf("folders %q", paths)
	}
	lists := emu.UserListsOf(me)
	listID := ""
	if len(lists) != 1 || lists[0].Name != "friends" {
		t.Errorf("lists %+v, want only friends", lists)
	} else {
		listID = lists[0].ID
		wantRec["user_list.friends"] = listID
		members := slices.Sorted(slices.Values(lists[0].UserIDs))
		if wantM := slices.Sorted(slices.Values([]string{w.bob.ID, w.erin.ID})); !reflect.DeepEqual(members, wantM) {
			t.Errorf("friends members %v, want %v", members, wantM)
		}
	}
	antennas := map[string]*emulator.Antenna{}
	for _, a := range emu.AntennasOf(me) {
		if antennas[a.Name] != nil {
			t.Errorf("two antennas named %q", a.Name)
		}
		antennas[a.Name] = a
		wantRec["antenna."+a.Name] = a.ID
	}
	if names := slices.Sorted(maps.Keys(antennas)); !reflect.DeepEqual(names, []string{"friends-feed", "weather"}) {
		t.Errorf("antennas %q", names)
	} else {
		if a := antennas["friends-feed"]; a.Src != "list" || a.UserListID == nil || *a.UserListID != listID ||
			!reflect.DeepEqual(a.ExcludeKeywords, [][]string{{"spam"}}) {
			t.Errorf("friends-feed: src %q list %v (want %s) exclude %v", a.Src, a.UserListID, listID, a.ExcludeKeywords)
		}
		if a := antennas["weather"]; a.Src != "all" || !a.CaseSensitive || !reflect.DeepEqual(a.Keywords, [][]string{{"storm"}, {"rain", "wind"}}) {
			t.Errorf("weather: %+v", a)
		}
	}
	// The profile.
	if got := w.me(t)["name"]; got != "Alice" {
		t.Errorf("name = %v", got)
	}
	// mkctl's ownership record claims exactly the declared objects, by
	// their live ids, and no creation is left pending. An entry for an
	// object that is gone is not harmless: a follow's id is the followee's
	// user id, so should the user later follow that account by hand, mkctl
	// would take the follow for its own and delete it.
	rec := w.env.record(t)
	gotRec := map[string]string{}
	for k, o := range rec.Objects {
		gotRec[k] = o.ID
	}
	if !reflect.DeepEqual(gotRec, wantRec) || len(rec.Intents) != 0 {
		t.Errorf("ownership record:\n got %v intents %v\nwant %v", gotRec, rec.Intents, wantRec)
	}
	// (5) Every request was one the real server accepts as sent.
	emu.AssertNoViolations(t)
}

func (w *faultWorld) me(t *testing.T) map[string]any {
	t.Helper()
	me, err := readMe(context.Background(), w.env.c)
	if err != nil {
		t.Fatal(err)
	}
	return me
}

func TestApplyConvergesAfterAnyFault(t *testing.T) { faultConvergence(t) }

// The same with the ownership record in chunks of about one entry each, so
// that a fault can fall on any write of the chunked layout: a chunk, the
// manifest's switch, the removal of a superseded chunk.
func TestApplyConvergesAfterAnyFaultChunkedRecord(t *testing.T) {
	defer func(target, inline int) { chunkTarget, inlineMaxEntries = target, inline }(chunkTarget, inlineMaxEntries)
	chunkTarget, inlineMaxEntries = 40, 0
	faultConvergence(t)
}

func faultConvergence(t *testing.T) {
	// The clean apply: what the faulted runs are measured against.
	w := newFaultWorld(t)
	ap := w.planFor(t, faultDesiredAccount())
	var kinds []string
	for _, ch := range ap.Changes {
		kinds = append(kinds, string(ch.Action)+" "+ch.Type)
	}
	// The plan must need every action the test is about, or a fault in it
	// proves nothing.
	for _, need := range []string{"update profile", "create pinned_note", "replace pinned_note", "update pinned_note",
		"delete pinned_note", "create follow", "delete follow", "create drive_folder", "delete drive_folder",
		"create user_list", "delete user_list", "create antenna", "delete antenna"} {
		if !slices.Contains(kinds, need) {
			t.Fatalf("the plan has no %q: %v", need, changeSummary(ap))
		}
	}
	w.env.emu.ResetRequests()
	if _, err := Apply(context.Background(), w.env.c, ap, nil); err != nil {
		t.Fatal(err)
	}
	clean := endpoints(w.env.emu.Requests())
	w.assertDesiredState(t)
	n := len(clean)
	t.Logf("a clean apply sends %d requests: %s", n, strings.Join(clean, " "))

	for _, mode := range []emulator.FaultMode{emulator.FaultBeforeExecute, emulator.FaultDropResponse} {
		for k := 1; k <= n; k++ {
			t.Run(fmt.Sprintf("%s/%02d-%s", mode, k, clean[k-1]), func(t *testing.T) {
				w := newFaultWorld(t)
				ap := w.planFor(t, faultDesiredAccount())
				w.env.emu.ResetRequests()
				var applyErr error
				f := w.withFault(k, mode, func() {
					_, applyErr = Apply(context.Background(), w.env.c, ap, nil)
				})
				// The runs are deterministic: the first k requests are the
				// clean run's, and the k-th one took the fault.
				reqs := w.env.emu.Requests()
				if f.armed != clean[k-1] || len(reqs) < k || !slices.Equal(endpoints(reqs[:k]), clean[:k]) || reqs[k-1].Fault != mode {
					t.Fatalf("the fault did not hit request %d (%s): armed on %q, log %v", k, clean[k-1], f.armed, endpoints(reqs))
				}
				// Plain re-runs, at most two, until a plan is empty.
				reruns := 0
				for ; ; reruns++ {
					ap := w.planFor(t, faultDesiredAccount())
					if len(ap.Changes) == 0 && len(ap.Adopt) == 0 {
						break
					}
					if reruns == 2 {
						t.Fatalf("still not converged after 2 re-runs (faulted apply: %v): changes %v, adopt %+v", applyErr, changeSummary(ap), ap.Adopt)
					}
					if _, err := Apply(context.Background(), w.env.c, ap, nil); err != nil {
						t.Fatalf("re-run %d (plan %v; faulted apply: %v): %v", reruns+1, changeSummary(ap), applyErr, err)
					}
				}
				t.Logf("faulted apply: %v; converged after %d re-run(s)", applyErr, reruns)
				w.assertDesiredState(t)

				// What the record is for: an account the configuration does
				// not declare, followed by hand after all this, is the
				// user's, not mkctl's, whatever became of mkctl's own
				// follow of it earlier.
				w.env.emu.SeedFollows(w.env.me.ID, []string{w.carol.ID})
				if ap := w.planFor(t, faultDesiredAccount()); len(ap.Changes) != 0 {
					t.Errorf("a follow made by hand is planned away: %v", changeSummary(ap))
				}
			})
		}
	}
}
