package planner

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mkctl/mkctl/schema"
)

func TestParseAddress(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`account.news`, `account.news`},
		{`account.fleet["rain"]`, `account.fleet["rain"]`},
		{`account.fleet["a \"quoted\" key"]`, `account.fleet["a \"quoted\" key"]`},
		{`account.fleet["back\\slash"].profile`, `account.fleet["back\\slash"].profile`},
		{`account.news.follow["@Alice"]`, `account.news.follow["@alice"]`},
		{`account.news.follow["alice@remote.example"]`, `account.news.follow["@alice@remote.example"]`},
		{`account.news.follow`, `account.news.follow`},
		{`account.news.pinned_note.welcome`, `account.news.pinned_note["welcome"]`},
		{`account.news.pinned_note["welcome"]`, `account.news.pinned_note["welcome"]`},
		{`account.news.drive_folder["a/b"]`, `account.news.drive_folder["a/b"]`},
		{`account.news.drive_file["a/x \u00e9.png"]`, `account.news.drive_file["a/x é.png"]`},
		{`account.news.antenna.my antenna.v2`, `account.news.antenna["my antenna.v2"]`},
		{`account.news.user_list["friends"]`, `account.news.user_list["friends"]`},
		{`account.news.profile`, `account.news.profile`},
		{`account.news.profile.avatar`, `account.news.profile["avatar"]`},
	} {
		a, err := ParseAddress(tc.in)
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if a.String() != tc.want {
			t.Errorf("%s: got %s, want %s", tc.in, a.String(), tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{`news`, `starts with "account."`},
		{`account.`, `label`},
		{`account.fleet[rain]`, `quoted key`},
		{`account.fleet["rain"`, `unterminated`},
		{`account.news.folow["@a"]`, `Did you mean "follow"?`},
		{`account.news.follow["@a"].x`, `unexpected`},
		{`account.news.pinned_note.a b`, `quote the name`},
		{`account.news.profile.name`, `profile.avatar`},
		{`account.news.drive_file["\q"]`, `bad escape`},
	} {
		_, err := ParseAddress(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error with %q", tc.in, err, tc.want)
		}
	}
}

func fleet(key string) *schema.Account {
	return &schema.Account{Label: "fleet", Key: key, Host: "https://misskey.example", Username: key}
}

func TestSelectsAccount(t *testing.T) {
	news := &schema.Account{Label: "news"}
	rain, snow := fleet("rain"), fleet("snow")
	cfg := &schema.Config{Accounts: []*schema.Account{news, rain, snow}}
	for _, tc := range []struct {
		targets, excludes []string
		want              string
	}{
		{nil, nil, "news rain snow"},
		{[]string{"account.news"}, nil, "news"},
		{[]string{"account.fleet"}, nil, "rain snow"},
		{[]string{`account.fleet["rain"].follow["@a"]`}, nil, "rain"},
		{nil, []string{`account.fleet["snow"]`}, "news rain"},
		{nil, []string{`account.fleet`}, "news"},
		{nil, []string{`account.fleet.follow`}, "news rain snow"}, // a resource exclude keeps the account
		{[]string{"account.fleet"}, []string{`account.fleet["rain"]`}, "snow"},
	} {
		sel, err := ParseSelection(tc.targets, tc.excludes)
		if err != nil {
			t.Fatal(err)
		}
		if err := sel.CheckAccounts(cfg); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range cfg.Accounts {
			if sel.SelectsAccount(a) {
				got = append(got, a.Label+a.Key)
			}
		}
		if g := strings.Join(got, " "); g != strings.ReplaceAll(tc.want, "rain", "fleetrain") && g != strings.NewReplacer("rain", "fleetrain", "snow", "fleetsnow").Replace(tc.want) {
			t.Errorf("%v %v: got %q, want %q", tc.targets, tc.excludes, g, tc.want)
		}
	}
	sel, _ := ParseSelection([]string{`account.fleet["rian"]`, "account.nws"}, []string{"account.wether"})
	err := sel.CheckAccounts(cfg)
	for _, want := range []string{
		`--target account.fleet["rian"]: no account account.fleet["rian"] is declared. Did you mean account.fleet["rain"]?`,
		`--target account.nws: no account account.nws is declared. Did you mean account.news?`,
		`--exclude account.wether: no account account.wether is declared.`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want %q", err, want)
		}
	}
}

// depPlan is a plan with dependencies between its changes, as PlanAccount
// makes them.
func depPlan() (*schema.Account, *AccountPlan) {
	acct := base()
	acct.Follows = []*schema.Follow{{Acct: "@alice"}}
	acct.PinnedNotes = []*schema.PinnedNote{note("welcome", "hi")}
	a := acct.Address() + "."
	ch := func(typ string, act Action, key string, refs map[string]string) *Change {
		return &Change{Address: a + key, Type: typ, Action: act, Key: key, Refs: refs}
	}
	ap := &AccountPlan{Address: acct.Address(), Changes: []*Change{
		{Address: a + "profile", Type: TypeProfile, Action: ActionUpdate},
		ch(TypeUserList, ActionCreate, "user_list.friends", nil),
		ch(TypeAntenna, ActionCreate, "antenna.friends", map[string]string{"userList": "user_list.friends"}),
		ch(TypeAntenna, ActionCreate, "antenna.other", nil),
		ch(TypeDriveFolder, ActionCreate, `drive_folder["a"]`, nil),
		ch(TypeDriveFolder, ActionCreate, `drive_folder["a/b"]`, map[string]string{"parent": `drive_folder["a"]`}),
		ch(TypeDriveFile, ActionCreate, `drive_file["a/b/x.png"]`, map[string]string{"folder": `drive_folder["a/b"]`}),
		ch(TypeDriveFile, ActionReplace, `drive_file["y.png"]`, nil),
		ch(TypeFollow, ActionCreate, `follow["@alice"]`, nil),
		ch(TypePinnedNote, ActionCreate, "pinned_note.welcome", map[string]string{"fileIds.0": `drive_file["a/b/x.png"]`}),
		ch(TypeFollow, ActionDelete, `follow["@bob@remote.example"]`, nil),
		ch(TypeDriveFile, ActionDelete, `drive_file["old/z.png"]`, nil),
		{Address: a + `drive_file["y.png"]~F1`, Type: TypeDriveFile, Action: ActionDelete, Key: `drive_file["y.png"]~F1`, Followup: true},
		ch(TypeDriveFolder, ActionDelete, `drive_folder["old/sub"]`, nil),
		ch(TypeDriveFolder, ActionDelete, `drive_folder["old"]`, nil),
	}, Adopt: []Owned{{Key: `follow["@alice"]`}, {Key: "antenna.other"}}, Forget: []string{`follow["@gone"]`, "pinned_note.x~N1"}}
	return acct, ap
}

func keys(ap *AccountPlan) string {
	var out []string
	for _, c := range ap.Changes {
		out = append(out, c.Key)
	}
	if ap.Changes[0].Type == TypeProfile {
		out[0] = "profile"
	}
	return strings.Join(out, " ")
}

func TestFilterDependencyClosure(t *testing.T) {
	for _, tc := range []struct {
		targets, excludes []string
		want              string
		adopt, forget     int
	}{
		// A pinned note attaching a new file needs the upload, which needs
		// its folder, which needs its parent.
		{[]string{"account.bot.pinned_note.welcome"}, nil,
			`drive_folder["a"] drive_folder["a/b"] drive_file["a/b/x.png"] pinned_note.welcome`, 0, 0},
		// An antenna on a new list needs the list.
		{[]string{`account.bot.antenna["friends"]`}, nil, `user_list.friends antenna.friends`, 0, 0},
		{[]string{`account.bot.antenna.other`}, nil, `antenna.other`, 1, 0},
		// A replace takes its follow-up deletion.
		{[]string{`account.bot.drive_file["y.png"]`}, nil, `drive_file["y.png"] drive_file["y.png"]~F1`, 0, 0},
		// A folder deletion takes what is inside.
		{[]string{`account.bot.drive_folder["old"]`}, nil, `drive_file["old/z.png"] drive_folder["old/sub"] drive_folder["old"]`, 0, 0},
		// Every follow, keys by any case.
		{[]string{`account.bot.follow`}, nil, `follow["@alice"] follow["@bob@remote.example"]`, 1, 1},
		{[]string{`account.bot.follow["@BOB@remote.example"]`}, nil, `follow["@bob@remote.example"]`, 0, 0},
		{[]string{`account.bot.follow["@Alice@misskey.example"]`}, nil, `follow["@alice"]`, 1, 0}, // the account's own host
		{[]string{`account.bot.profile.avatar`}, nil, `profile`, 0, 0},
		// An exclude drops what depends on the excluded object.
		{nil, []string{`account.bot.drive_folder["a"]`}, `profile user_list.friends antenna.friends antenna.other drive_file["y.png"] follow["@alice"] follow["@bob@remote.example"] drive_file["old/z.png"] drive_file["y.png"]~F1 drive_folder["old/sub"] drive_folder["old"]`, 2, 2},
		{[]string{"account.bot"}, []string{`account.bot.follow`, `account.bot.profile`, `account.bot.drive_file`, `account.bot.drive_folder`, `account.bot.pinned_note`}, `user_list.friends antenna.friends antenna.other`, 1, 0},
	} {
		acct, ap := depPlan()
		sel, err := ParseSelection(tc.targets, tc.excludes)
		if err != nil {
			t.Fatal(err)
		}
		matched := sel.Filter(acct, ap)
		if got := keys(ap); got != tc.want {
			t.Errorf("%v %v:\n got %s\nwant %s", tc.targets, tc.excludes, got, tc.want)
		}
		if len(ap.Adopt) != tc.adopt || len(ap.Forget) != tc.forget {
			t.Errorf("%v %v: adopt %v forget %v, want %d and %d", tc.targets, tc.excludes, ap.Adopt, ap.Forget, tc.adopt, tc.forget)
		}
		if err := sel.Unmatched(toSet(matched), nil); err != nil {
			t.Errorf("%v %v: %v", tc.targets, tc.excludes, err)
		}
	}
}

func toSet(l []string) map[string]bool {
	m := map[string]bool{}
	for _, s := range l {
		m[s] = true
	}
	return m
}

func TestUnmatchedDidYouMean(t *testing.T) {
	acct, ap := depPlan()
	sel, _ := ParseSelection([]string{`account.bot.follow["@alcie"]`, `account.bot.pinned_note.welcome`}, []string{`account.bot.antenna.nope`})
	cands := DeclaredAddresses(acct)
	for _, c := range ap.Changes {
		cands = append(cands, c.Address)
	}
	matched := sel.Filter(acct, ap)
	err := sel.Unmatched(toSet(matched), cands)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`--target account.bot.follow["@alcie"] matches no declared resource and no planned change. Did you mean account.bot.follow["@alice"]?`,
		`--exclude account.bot.antenna.nope matches no declared resource and no planned change.`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("got %v\nwant %s", err, want)
		}
	}
	if strings.Contains(err.Error(), "welcome") {
		t.Errorf("a declared pinned note matched: %v", err)
	}
}

func TestPartial(t *testing.T) {
	var sel *Selection
	if sel.Partial() != nil || !sel.Empty() {
		t.Error("an empty selection is partial")
	}
	sel, _ = ParseSelection([]string{"account.a"}, []string{`account.b["x"]`})
	p := sel.Partial()
	if p == nil || p.Targets[0] != "account.a" || p.Excludes[0] != `account.b["x"]` {
		t.Errorf("got %+v", p)
	}
}

// TestFilterRealPlan targets a file in a new folder of a real plan.
func TestFilterRealPlan(t *testing.T) {
	acct := base()
	acct.DriveFolders = []*schema.DriveFolder{{Name: "a", Path: "a"}, {Name: "b", Path: "a/b", Parent: "a"}}
	acct.Follows = []*schema.Follow{{Acct: "@alice@remote.example"}}
	live := &Live{Users: map[string]string{"@alice@remote.example": "U1"}}
	ap := mustPlan(t, acct, live)
	sel, _ := ParseSelection([]string{`account.bot.drive_folder["a/b"]`}, nil)
	sel.Filter(acct, ap)
	if got := summary(ap); got != "create drive_folder[\"a\"]\ncreate drive_folder[\"a/b\"]\n" {
		t.Errorf("got\n%s", got)
	}
}

// TestTargetRedoesWaitNotes: the wait of a partial plan is the wait of what
// it applies.
func TestTargetRedoesWaitNotes(t *testing.T) {
	acct := base()
	live := &Live{Users: map[string]string{}}
	for i := range 150 {
		a := fmt.Sprintf("@u%d@remote.example", i)
		acct.Follows = append(acct.Follows, &schema.Follow{Acct: a})
		live.Users[a] = fmt.Sprintf("U%d", i)
	}
	ap := mustPlan(t, acct, live)
	if !strings.Contains(strings.Join(ap.Notes, "\n"), "150 follows") {
		t.Fatalf("no wait note: %q", ap.Notes)
	}
	sel, _ := ParseSelection([]string{`account.bot.follow["@u1@remote.example"]`}, nil)
	sel.Target(acct, live, ap)
	if len(ap.Changes) != 1 || strings.Contains(strings.Join(ap.Notes, "\n"), "will wait") {
		t.Errorf("changes %d, notes %q", len(ap.Changes), ap.Notes)
	}
}

// TestUnmatchedDidYouMeanDottedKeys: the kinds whose addresses the plan
// prints dotted (pinned_note.welcome, clip.reading list,
// scheduled_note.xmas, webhook.ci) get a did-you-mean too. The given
// address was compared in its bracketed form (scheduled_note["xmsa"])
// with the dotted candidates, four edits apart before any typo, so only
// follows (bracketed both ways) were ever suggested.
func TestUnmatchedDidYouMeanDottedKeys(t *testing.T) {
	acct, ap := depPlan()
	acct.Clips = []*schema.Clip{{Name: "reading list"}}
	acct.ScheduledNotes = []*schema.ScheduledNote{{PinnedNote: schema.PinnedNote{Label: "xmas"}}}
	acct.Webhooks = []*schema.Webhook{{Name: "ci"}}
	cands := DeclaredAddresses(acct)
	for _, c := range ap.Changes {
		cands = append(cands, c.Address)
	}
	sel, err := ParseSelection([]string{`account.bot.scheduled_note.xmsa`, `account.bot.clip["reading lst"]`, `account.bot.pinned_note.welcom`}, []string{`account.bot.webhook.cj`})
	if err != nil {
		t.Fatal(err)
	}
	err = sel.Unmatched(toSet(sel.Filter(acct, ap)), cands)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`--target account.bot.scheduled_note.xmsa matches no declared resource and no planned change. Did you mean account.bot.scheduled_note.xmas?`,
		`--target account.bot.clip["reading lst"] matches no declared resource and no planned change. Did you mean account.bot.clip.reading list?`,
		`--target account.bot.pinned_note.welcom matches no declared resource and no planned change. Did you mean account.bot.pinned_note.welcome?`,
		`--exclude account.bot.webhook.cj matches no declared resource and no planned change. Did you mean account.bot.webhook.ci?`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("got %v\nwant %s", err, want)
		}
	}
}
