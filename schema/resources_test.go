package schema

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

func ptr[T any](v T) *T { return &v }

func loadResources(t *testing.T) (*Account, *Account) {
	t.Helper()
	cfg := mustLoad(t, "testdata/resources", LoadOptions{})
	if len(cfg.Accounts) != 2 {
		t.Fatalf("got %d accounts, want 2", len(cfg.Accounts))
	}
	return cfg.Accounts[0], cfg.Accounts[1]
}

func TestLoadPinnedNotes(t *testing.T) {
	w, _ := loadResources(t)
	if len(w.PinnedNotes) != 2 {
		t.Fatalf("got %d pinned notes, want 2", len(w.PinnedNotes))
	}
	welcome, second := w.PinnedNotes[0], w.PinnedNotes[1]
	// The heredoc's final line break is trimmed, as Misskey trims note text.
	if welcome.Label != "welcome" || welcome.Text != "Hello!" || welcome.CW == nil || *welcome.CW != "long" ||
		welcome.Visibility != "home" || !welcome.LocalOnly ||
		welcome.ReactionAcceptance == nil || *welcome.ReactionAcceptance != "likeOnly" {
		t.Errorf("welcome: %+v", welcome)
	}
	if !welcome.Lifecycle.PreventDestroy || welcome.Lifecycle.Range.Start.Line != 19 {
		t.Errorf("welcome lifecycle %+v, want prevent_destroy at line 19", welcome.Lifecycle)
	}
	if welcome.DeclRange.Start.Line != 11 {
		t.Errorf("welcome DeclRange %s", welcome.DeclRange)
	}
	// cw = "" and reaction_acceptance = null mean none; visibility defaults to public.
	if second.Label != "second" || second.CW != nil || second.ReactionAcceptance != nil ||
		second.Visibility != "public" || second.LocalOnly || second.Lifecycle.PreventDestroy {
		t.Errorf("second: %+v", second)
	}
}

func TestLoadFollows(t *testing.T) {
	w, quiet := loadResources(t)
	type follow struct {
		acct, name, key string
		withReplies     *bool
		notify          *bool
		acctLine        int
	}
	var got []follow
	for _, f := range w.Follows {
		got = append(got, follow{f.Acct, f.Name, f.Key, f.WithReplies, f.Notify, f.AcctRange.Start.Line})
	}
	want := []follow{
		{"@alice@other.example", "", "", ptr(true), ptr(false), 29},
		{"@bob", "", "", nil, nil, 33},
		// for_each instances, sorted by key; the own host is dropped.
		{"@carol@other.example", "friends", "@carol@Other.Example", ptr(false), nil, 36},
		{"@dave", "friends", "dave@misskey.example", ptr(false), nil, 36},
		{"@erin", "friends", "erin", ptr(false), nil, 36},
		{"@root", "admin", "", nil, nil, 40},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("follows:\n got  %v\n want %v", fmtFollows(got), fmtFollows(want))
	}
	if len(quiet.Follows) != 0 || quiet.PinnedNotes != nil || quiet.Antennas != nil {
		t.Errorf("account without resource blocks has resources: %+v", quiet)
	}
}

func fmtFollows[T any](fs []T) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "\n   %+v", f)
	}
	return b.String()
}

func TestLoadDriveFolders(t *testing.T) {
	w, _ := loadResources(t)
	type folder struct {
		name, path, parent string
		prevent            bool
	}
	var got []folder
	for _, f := range w.DriveFolders {
		got = append(got, folder{f.Name, f.Path, f.Parent, f.Lifecycle.PreventDestroy})
	}
	// Parents before children, in declaration order.
	want := []folder{
		{"assets", "assets", "", true},
		{"icons", "assets/icons", "assets", false},
		{"small", "assets/icons/small", "assets/icons", false},
		{"banners", "assets/banners", "assets", false},
		{"inbox", "inbox", "", false},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("folders:\n got  %+v\n want %+v", got, want)
	}
	if r := w.DriveFolders[2].DeclRange; r.Start.Line != 45 || r.Start.Column != 7 {
		t.Errorf("small DeclRange %s, want 45,7", r)
	}
}

func TestLoadUserLists(t *testing.T) {
	w, _ := loadResources(t)
	if len(w.UserLists) != 2 {
		t.Fatalf("got %d lists", len(w.UserLists))
	}
	friends := w.UserLists[0]
	wantMembers := []string{"@alice@other.example", "@bob", "@carol@other.example", "@weatherbot"}
	if friends.Name != "friends" || !reflect.DeepEqual(friends.Members, wantMembers) {
		t.Errorf("friends: %+v", friends)
	}
	if empty := w.UserLists[1]; empty.Name != "empty" || empty.Members == nil || len(empty.Members) != 0 {
		t.Errorf("empty list: %#v (Members must be [] so that it encodes as [])", empty)
	}
}

func TestLoadAntennas(t *testing.T) {
	w, _ := loadResources(t)
	if len(w.Antennas) != 4 {
		t.Fatalf("got %d antennas", len(w.Antennas))
	}
	strip := func(a *Antenna) Antenna {
		c := *a
		c.DeclRange = hcl.Range{}
		c.Lifecycle = Lifecycle{}
		return c
	}
	want := []Antenna{
		{
			Name: "storms", Source: "list",
			// a string element is one AND-group split on spaces
			Keywords:        [][]string{{"storm"}, {"typhoon", "warning"}},
			ExcludeKeywords: [][]string{{"test"}},
			Users:           []string{},
			UserList:        "friends",
			CaseSensitive:   true, LocalOnly: true, ExcludeBots: true, WithReplies: true, WithFile: true,
			ExcludeNotesInSensitiveChannel: true,
		},
		{
			Name: "watch", Source: "users_blacklist",
			Keywords:        [][]string{},
			ExcludeKeywords: [][]string{{"never"}},
			// kept as written: Misskey stores users verbatim
			Users: []string{"@spam@Bad.Example", "noisy"},
		},
		{
			Name: "plain list", Source: "list",
			Keywords: [][]string{{"rain", "snow"}}, ExcludeKeywords: [][]string{}, Users: []string{},
			UserList: "empty",
		},
		{
			Name: "defaults", Source: "all",
			Keywords: [][]string{{"x"}}, ExcludeKeywords: [][]string{}, Users: []string{},
		},
	}
	for i, a := range w.Antennas {
		if got := strip(a); !reflect.DeepEqual(got, want[i]) {
			t.Errorf("antenna %d:\n got  %#v\n want %#v", i, got, want[i])
		}
	}
}

func TestLoadPurge(t *testing.T) {
	w, quiet := loadResources(t)
	if want := map[string]bool{"follows": true, "antennas": true}; !reflect.DeepEqual(w.Purge, want) {
		t.Errorf("purge %v, want %v", w.Purge, want)
	}
	if w.PurgeRange.Start.Line != 9 || w.PurgeRange.Start.Column != 14 {
		t.Errorf("PurgeRange %s, want 9,14", w.PurgeRange)
	}
	if quiet.Purge == nil || len(quiet.Purge) != 0 {
		t.Errorf("account without purge: %#v, want an empty map", quiet.Purge)
	}
}

// TestResourcesInForEachAccount checks that resource blocks of a for_each
// account are evaluated per instance (each.key of the account) and that a
// follow's own for_each shadows the account's each.
func TestResourcesInForEachAccount(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "main.mk.hcl"), `
account "fleet" {
  for_each = { rain = ["@a@x.example", "@b@x.example"], snow = [] }
  host     = "misskey.example"
  username = "${each.key}bot"
  purge    = each.key == "rain" ? ["follows"] : []
  follow "peers" {
    for_each = { for a in each.value : upper(a) => a }
    account  = lower(each.key)
    notify   = each.value == "@b@x.example"
  }
  follow "fan" {
    account = "@${each.key}fan@fans.example"
  }
  pinned_note "hello" {
    text = "I am ${each.key}"
    lifecycle { prevent_destroy = each.key == "snow" }
  }
}
`)
	cfg := mustLoad(t, dir, LoadOptions{})
	rain, snow := cfg.Accounts[0], cfg.Accounts[1]
	var accts []string
	for _, f := range rain.Follows {
		accts = append(accts, f.Acct)
	}
	if want := []string{"@a@x.example", "@b@x.example", "@rainfan@fans.example"}; !reflect.DeepEqual(accts, want) {
		t.Errorf("rain follows %v, want %v", accts, want)
	}
	if n := rain.Follows[1].Notify; n == nil || !*n || rain.Follows[1].Key != "@B@X.EXAMPLE" || *rain.Follows[0].Notify {
		t.Errorf("each.value of a map for_each: %+v %+v", rain.Follows[0], rain.Follows[1])
	}
	if len(snow.Follows) != 1 || snow.Follows[0].Acct != "@snowfan@fans.example" {
		t.Errorf("snow follows %+v", snow.Follows)
	}
	if rain.PinnedNotes[0].Text != "I am rain" || rain.PinnedNotes[0].Lifecycle.PreventDestroy ||
		snow.PinnedNotes[0].Text != "I am snow" || !snow.PinnedNotes[0].Lifecycle.PreventDestroy {
		t.Errorf("pinned notes: rain %+v, snow %+v", rain.PinnedNotes[0], snow.PinnedNotes[0])
	}
	if !rain.Purge["follows"] || len(snow.Purge) != 0 {
		t.Errorf("purge: rain %v, snow %v", rain.Purge, snow.Purge)
	}
}

// TestAntennaUsersWarning: source "users" without users is accepted by
// Misskey but receives nothing, so it is a warning, not an error.
func TestAntennaUsersWarning(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "main.mk.hcl"), `
account "weather" {
  host     = "misskey.example"
  username = "weatherbot"
  antenna "nobody" {
    source   = "users"
    keywords = [["x"]]
  }
}
`)
	cfg, _, diags := Load(dir, LoadOptions{})
	if cfg == nil || diags.HasErrors() {
		t.Fatalf("want a config with warnings, got errors: %v", diags)
	}
	if len(diags) != 1 || diags[0].Severity != hcl.DiagWarning || diags[0].Summary != "Antenna receives nothing" || diags[0].Subject == nil {
		t.Fatalf("diags %v, want one warning", diags)
	}
	if d := diags[0].Subject.Start; d.Line != 5 {
		t.Errorf("warning at %d:%d, want line 5", d.Line, d.Column)
	}
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
