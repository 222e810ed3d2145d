package provider

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

func account(mods ...func(*schema.Account)) *schema.Account {
	a := &schema.Account{Label: "main", Username: "alice", Host: "http://127.0.0.1:3000", Purge: map[string]bool{}}
	for _, m := range mods {
		m(a)
	}
	return a
}

func follows(accts ...string) func(*schema.Account) {
	return func(a *schema.Account) {
		for _, acct := range accts {
			a.Follows = append(a.Follows, &schema.Follow{Acct: acct})
		}
	}
}

func folders(paths ...string) func(*schema.Account) {
	return func(a *schema.Account) {
		for _, p := range paths {
			parent, name := "", p
			if i := strings.LastIndex(p, "/"); i >= 0 {
				parent, name = p[:i], p[i+1:]
			}
			a.DriveFolders = append(a.DriveFolders, &schema.DriveFolder{Name: name, Path: p, Parent: parent})
		}
	}
}

func purge(collections ...string) func(*schema.Account) {
	return func(a *schema.Account) {
		for _, c := range collections {
			a.Purge[c] = true
		}
	}
}

func TestReadAccountProfileOnlyCostsTwoRequests(t *testing.T) {
	env := newEmuEnv(t)
	// Things exist on the account, but the configuration manages none of them.
	bob := env.emu.CreateUser("bob")
	env.emu.SeedFollows(env.me.ID, []string{bob.ID})
	env.emu.SeedFolders(env.me.ID, "", []string{"a", "b"})
	live, err := ReadAccount(context.Background(), env.c, account(func(a *schema.Account) { a.Profile = profileManaging("name") }))
	if err != nil {
		t.Fatal(err)
	}
	if env.total() != 2 || env.count("i") != 1 || env.count("i/registry/get-detail") != 1 {
		t.Errorf("requests = %v, want i and i/registry/get-detail only", env.counts)
	}
	if live.Ownership != nil || live.Follows != nil || live.DriveFolders != nil {
		t.Errorf("live read unmanaged kinds: %+v", live)
	}
}

// Objects in the ownership record make their kind managed even when the
// configuration no longer declares any: their deletion must be planned.
func TestReadAccountReadsKindsTheRecordHolds(t *testing.T) {
	env := newEmuEnv(t)
	bob := env.emu.CreateUser("bob")
	env.emu.SeedFollows(env.me.ID, []string{bob.ID})
	env.writeRecord(t, &planner.Ownership{Version: 1, Account: "account.main", Objects: map[string]planner.Owned{`follow["@bob"]`: {ID: bob.ID}}})
	env.resetCounts()
	live, err := ReadAccount(context.Background(), env.c, account())
	if err != nil {
		t.Fatal(err)
	}
	if len(live.Follows) != 1 || live.Follows[0].Acct != "@bob" || live.Ownership.Objects[`follow["@bob"]`].ID != bob.ID {
		t.Errorf("follows %+v, record %+v", live.Follows, live.Ownership)
	}
	if env.count("users/following") != 1 || env.count("following/requests/sent") != 1 || env.total() != 4 {
		t.Errorf("requests = %v", env.counts)
	}
	if env.count("drive/folders") != 0 || env.count("antennas/list") != 0 {
		t.Errorf("read kinds nobody manages: %v", env.counts)
	}
}

func TestReadAccountEverything(t *testing.T) {
	env := newEmuEnv(t)
	ctx := context.Background()
	bob := env.emu.CreateUser("bob")
	dave := env.emu.CreateUser("dave")
	erin := env.emu.CreateUser("erin")
	frank := env.emu.CreateUser("frank")
	env.emu.CreateRemoteUser("carol", "remote.example")
	locked := env.emu.CreateUser("locked")
	env.emu.SetLocked(locked.ID, true)
	carol := env.emu.EnsureUser("@carol@remote.example")

	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(env.c.Write(ctx, "following/create", map[string]any{"userId": bob.ID, "withReplies": true}, nil))
	must(env.c.Write(ctx, "following/update", map[string]any{"userId": bob.ID, "notify": "normal"}, nil))
	must(env.c.Write(ctx, "following/create", map[string]any{"userId": carol.ID}, nil)) // remote: a request
	must(env.c.Write(ctx, "following/create", map[string]any{"userId": locked.ID}, nil))
	var list struct{ ID string }
	must(env.c.Write(ctx, "users/lists/create", map[string]any{"name": "friends"}, &list))
	must(env.c.Write(ctx, "users/lists/push", map[string]any{"listId": list.ID, "userId": erin.ID}, nil))
	must(env.c.Write(ctx, "antennas/create", map[string]any{"name": "storms", "src": "list", "userListId": list.ID,
		"keywords": [][]string{{"storm"}}, "excludeKeywords": [][]string{}, "users": []string{},
		"caseSensitive": false, "withReplies": false, "withFile": false}, nil))
	n1 := env.emu.CreateNote(env.me.ID, "one")
	n2 := env.emu.CreateNote(env.me.ID, "two")
	must(env.emu.PinNote(env.me.ID, n1))
	must(env.emu.PinNote(env.me.ID, n2))
	rec := &planner.Ownership{Version: 1, Account: "account.main", Objects: map[string]planner.Owned{"pinned_note.one": {ID: n1, Applied: map[string]any{"text": "one"}}}}
	env.writeRecord(t, rec)
	env.resetCounts()

	acct := account(
		follows("@bob", "@carol@remote.example", "@Locked", "@dave", "@ghost", "@x@unknown.example"),
		func(a *schema.Account) {
			a.UserLists = []*schema.UserList{{Name: "friends", Members: []string{"@bob", "@erin", "@frank"}}}
			a.Antennas = []*schema.Antenna{{Name: "storms", Source: "list", UserList: "friends"}}
			a.PinnedNotes = []*schema.PinnedNote{{Label: "one", Text: "one"}}
		},
	)
	live, err := ReadAccount(ctx, env.c, acct)
	if err != nil {
		t.Fatal(err)
	}

	if len(live.PinnedNotes) != 2 || live.PinnedNotes[0].ID != n2 || live.PinnedNotes[1].Text != "one" || live.PinnedNotes[0].Visibility != "public" {
		t.Errorf("pinned = %+v, want two on top", live.PinnedNotes)
	}
	wantFollows := []planner.LiveFollow{
		{UserID: bob.ID, Acct: "@bob", WithReplies: true, Notify: true},
		{UserID: locked.ID, Acct: "@locked", Pending: true},
		{UserID: carol.ID, Acct: "@carol@remote.example", Pending: true},
	}
	slices.SortFunc(live.Follows, func(a, b planner.LiveFollow) int { return strings.Compare(a.Acct, b.Acct) })
	slices.SortFunc(wantFollows, func(a, b planner.LiveFollow) int { return strings.Compare(a.Acct, b.Acct) })
	if !reflect.DeepEqual(live.Follows, wantFollows) {
		t.Errorf("follows = %+v\nwant      %+v", live.Follows, wantFollows)
	}
	wantUsers := map[string]string{"@dave": dave.ID, "@erin": erin.ID, "@frank": frank.ID}
	if !reflect.DeepEqual(live.Users, wantUsers) {
		t.Errorf("users = %v, want %v", live.Users, wantUsers)
	}
	if len(live.Unresolved) != 2 || !strings.Contains(live.Unresolved["@ghost"], "NO_SUCH_USER") ||
		!strings.Contains(live.Unresolved["@x@unknown.example"], "FAILED_TO_RESOLVE_REMOTE_USER") {
		t.Errorf("unresolved = %v", live.Unresolved)
	}
	if len(live.UserLists) != 1 || live.UserLists[0].ID != list.ID || !reflect.DeepEqual(live.UserLists[0].UserIDs, []string{erin.ID}) {
		t.Errorf("lists = %+v", live.UserLists)
	}
	if len(live.Antennas) != 1 || live.Antennas[0].Name != "storms" || live.Antennas[0].Fields["userListId"] != list.ID ||
		!reflect.DeepEqual(live.Antennas[0].Fields["keywords"], []any{[]any{"storm"}}) {
		t.Fatalf("antennas = %+v", live.Antennas)
	}
	for _, k := range []string{"id", "name", "isActive", "notify", "hasUnreadNote", "createdAt"} {
		if _, ok := live.Antennas[0].Fields[k]; ok {
			t.Errorf("antenna Fields has response-only %q", k)
		}
	}
	if live.Ownership == nil || live.Ownership.Objects["pinned_note.one"].ID != n1 || live.Ownership.Objects["pinned_note.one"].Key != "pinned_note.one" {
		t.Errorf("ownership = %+v", live.Ownership)
	}

	// users/show: one by ids for the list's member erin (bob is known
	// from the follows), then dave, frank, ghost and x by name.
	if env.count("users/show") != 5 || env.count("users/following") != 1 || env.count("following/requests/sent") != 1 ||
		env.count("antennas/list") != 1 || env.count("users/lists/list") != 1 || env.count("i") != 1 || env.total() != 11 {
		t.Errorf("requests = %v", env.counts)
	}
}

func TestReadAccountWrongUser(t *testing.T) {
	env := newEmuEnv(t)
	_, err := ReadAccount(context.Background(), env.c, &schema.Account{Label: "x", Username: "bob"})
	var mm *AccountMismatchError
	if !asMismatch(err, &mm) {
		t.Fatalf("err = %v", err)
	}
}
