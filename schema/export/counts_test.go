package export

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// countsAccount has something of every kind that export declares and
// something it skips: two folders of one name (one with a folder in it),
// a folder whose name holds "/" (with a folder in it), a folder whose
// parent was not read, two lists of one name with an antenna on one, two
// antennas of one name, a list member who is gone, a pinned note with a
// poll, a follow of the account itself and a pending follow.
func countsAccount() Account {
	p := freshI("weatherbot")
	p["name"] = "Weather Bot"
	t1, t2 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	kw := func(w string) map[string]any {
		return map[string]any{"src": "all", "keywords": []any{[]any{w}}}
	}
	live := &planner.Live{
		UserID: "u0", Username: "weatherbot", Profile: p,
		PinnedNotes: []planner.LiveNote{
			{ID: "n1", Text: "I post the weather every hour.", Visibility: "public"},
			{ID: "n2", Text: "Vote: sun or rain?", Visibility: "public", Unsupported: "it has a poll"},
			{ID: "n3", Text: "Storm warnings first.", Visibility: "home"},
		},
		Follows: []planner.LiveFollow{
			{UserID: "b", Acct: "@bob"},
			{UserID: "d", Acct: "@dave@locked.example", Pending: true},
			{UserID: "u0", Acct: "@weatherbot"},
		},
		DriveFolders: []planner.LiveFolder{
			{ID: "f1", Name: "assets", CreatedAt: t1, FilesCount: -1},
			{ID: "f2", Name: "icons", ParentID: "f1", FilesCount: -1},
			{ID: "f4", Name: "assets", CreatedAt: t2, FilesCount: -1},
			{ID: "f5", Name: "radar", FilesCount: -1},
			{ID: "f6", Name: "hourly", ParentID: "f5", FilesCount: -1},
			{ID: "f7", Name: "a/b", FilesCount: -1},
			{ID: "f8", Name: "c", ParentID: "f7", FilesCount: -1},
			{ID: "f9", Name: "lost", ParentID: "gone", FilesCount: -1},
		},
		UserLists: []planner.LiveUserList{
			{ID: "l1", Name: "sources", UserIDs: []string{"b", "x9"}},
			{ID: "l2", Name: "twins", CreatedAt: t1},
			{ID: "l3", Name: "twins", CreatedAt: t2},
		},
		Antennas: []planner.LiveAntenna{
			{ID: "a1", Name: "storms", Fields: map[string]any{"src": "list", "userListId": "l2", "keywords": []any{[]any{"storm"}}}},
			{ID: "a2", Name: "twin", CreatedAt: t1, Fields: kw("x")},
			{ID: "a3", Name: "twin", CreatedAt: t2, Fields: kw("y")},
			{ID: "a4", Name: "rain", Fields: kw("rain")},
			{ID: "a5", Name: "from sources", Fields: map[string]any{"src": "list", "userListId": "l1", "keywords": []any{[]any{"news"}}}},
		},
	}
	paths := map[string]string{"f1": "assets", "f5": "radar", "f7": "a/b", "gone": "?"}
	for i := range live.DriveFolders {
		f := &live.DriveFolders[i]
		f.Path = f.Name
		if parent, ok := paths[f.ParentID]; ok {
			f.Path = parent + "/" + f.Name
		}
	}
	return Account{Host: "misskey.example", Username: "weatherbot", Live: live,
		UserAccts: map[string]string{"b": "@bob", "d": "@dave@locked.example"}}
}

// declaredBlocks counts the objects the generated files declare, by
// parsing them: the blocks of each kind in the account block (drive
// folders at any depth), a for_each follow counting as the accounts in
// the list it goes over.
func declaredBlocks(t *testing.T, res *Result) map[string]int {
	t.Helper()
	kindOf := map[string]string{
		"profile": "profile", "pinned_note": "pinned_notes", "follow": "follows",
		"drive_folder": "drive_folders", "drive_file": "drive_files", "antenna": "antennas", "user_list": "user_lists",
		"webhook": "webhooks", "block": "blocks", "mute": "mutes", "renote_mute": "renote_mutes",
		"scheduled_note": "scheduled_notes",
	}
	var accounts []*hclsyntax.Block
	locals := map[string]int{} // local name → elements of its list
	for _, f := range res.Files {
		file, diags := hclsyntax.ParseConfig(f.Content, f.Name, hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", f.Name, diags)
		}
		for _, b := range file.Body.(*hclsyntax.Body).Blocks {
			switch b.Type {
			case "account":
				accounts = append(accounts, b)
			case "locals":
				for name, a := range b.Body.Attributes {
					if tup, ok := a.Expr.(*hclsyntax.TupleConsExpr); ok {
						locals[name] = len(tup.Exprs)
					}
				}
			}
		}
	}
	if len(accounts) != 1 {
		t.Fatalf("%d account blocks, want 1", len(accounts))
	}
	got := map[string]int{}
	var walk func(body *hclsyntax.Body)
	walk = func(body *hclsyntax.Body) {
		for _, b := range body.Blocks {
			kind, ok := kindOf[b.Type]
			if !ok {
				t.Errorf("unexpected %s block", b.Type)
				continue
			}
			n := 1
			if fe, ok := b.Body.Attributes["for_each"]; ok {
				// toset(local.NAME)
				call, ok := fe.Expr.(*hclsyntax.FunctionCallExpr)
				if !ok || len(call.Args) != 1 {
					t.Fatalf("for_each of %s %v is not toset(local.NAME)", b.Type, b.Labels)
				}
				trav, diags := hcl.AbsTraversalForExpr(call.Args[0])
				if diags.HasErrors() || len(trav) != 2 || trav.RootName() != "local" {
					t.Fatalf("for_each of %s %v is not toset(local.NAME)", b.Type, b.Labels)
				}
				name := trav[1].(hcl.TraverseAttr).Name
				l, ok := locals[name]
				if !ok {
					t.Fatalf("for_each of %s %v: no list local.%s", b.Type, b.Labels, name)
				}
				n = l
			}
			got[kind] += n
			if b.Type == "drive_folder" {
				walk(b.Body)
			}
		}
	}
	walk(accounts[0].Body)
	return got
}

// checkCountsMatchBlocks: every entry of res.Counts declares as many
// objects as the files hold, and no kind has blocks without an entry.
func checkCountsMatchBlocks(t *testing.T, res *Result) {
	t.Helper()
	blocks := declaredBlocks(t, res)
	for _, c := range res.Counts {
		if c.Declared != blocks[c.Kind] {
			t.Errorf("%s: Counts says %d declared, the files hold %d\n%s", c.Kind, c.Declared, blocks[c.Kind], dumpFiles(res))
		}
	}
	for kind, n := range blocks {
		if _, ok := res.Count(kind); !ok {
			t.Errorf("the files declare %d %s, Counts has no entry for it", n, kind)
		}
	}
}

func TestCountsMatchOutput(t *testing.T) {
	acc := countsAccount()
	res, err := Generate(acc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkCountsMatchBlocks(t, res)
	want := []KindCount{
		{Kind: "profile", Declared: 1},
		{Kind: "pinned_notes", Declared: 2, Skipped: 1},
		{Kind: "follows", Declared: 2, Skipped: 1, Pending: 1},
		// assets ×2 and icons in one, a/b and c in it, lost
		{Kind: "drive_folders", Declared: 2, Skipped: 6},
		{Kind: "drive_files"},
		{Kind: "antennas", Declared: 2, Skipped: 3},
		{Kind: "user_lists", Declared: 1, Skipped: 2},
		{Kind: "webhooks"},
		{Kind: "clips"},
		{Kind: "blocks"},
		{Kind: "mutes"},
		{Kind: "renote_mutes"},
		{Kind: "scheduled_notes"},
	}
	if fmt.Sprint(res.Counts) != fmt.Sprint(want) {
		t.Errorf("Counts\n%+v, want\n%+v\n%s", res.Counts, want, dumpFiles(res))
	}
	// What is declared is what the plan adopts: nothing more, nothing less.
	cfg, ap, diags := loadAndPlan(t, res, acc.Live)
	if cfg == nil || errorsOnly(diags).HasErrors() {
		t.Fatalf("%v\n%s", diags, dumpFiles(res))
	}
	total := 0
	for _, c := range res.Counts {
		if c.Kind != "profile" {
			total += c.Declared
		}
	}
	if len(ap.Adopt) != total {
		t.Errorf("%d adoptions, Counts declares %d", len(ap.Adopt), total)
	}

	// The antennas alone bring the lists they use, which are counted.
	res, err = Generate(acc, Options{Kinds: map[string]bool{"antennas": true}})
	if err != nil {
		t.Fatal(err)
	}
	checkCountsMatchBlocks(t, res)
	want = []KindCount{{Kind: "antennas", Declared: 2, Skipped: 3}, {Kind: "user_lists", Declared: 1, Skipped: 2}}
	if fmt.Sprint(res.Counts) != fmt.Sprint(want) {
		t.Errorf("kinds {antennas}: Counts %+v, want %+v", res.Counts, want)
	}

	// A kind asked for with nothing in it has its entry, at zero.
	res, err = Generate(Account{Host: "misskey.example", Username: "weatherbot", Live: &planner.Live{Profile: freshI("weatherbot")}},
		Options{Kinds: map[string]bool{"profile": true, "follows": true}})
	if err != nil {
		t.Fatal(err)
	}
	want = []KindCount{{Kind: "profile"}, {Kind: "follows"}}
	if fmt.Sprint(res.Counts) != fmt.Sprint(want) {
		t.Errorf("empty account: Counts %+v, want %+v", res.Counts, want)
	}
}

// TestCountsManyFollows: the follows behind one for_each block count one
// each, pending ones too.
func TestCountsManyFollows(t *testing.T) {
	acc := manyFollows()
	pending := 0
	for _, f := range acc.Live.Follows {
		if f.Pending {
			pending++
		}
	}
	acc.Live.UnlistedFollows = 3
	res, err := Generate(acc, Options{Kinds: map[string]bool{"follows": true}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 2 {
		t.Fatalf("files %v, want the follows file too", fileNames(res))
	}
	checkCountsMatchBlocks(t, res)
	c, _ := res.Count("follows")
	if c.Declared != len(acc.Live.Follows) || c.Skipped != 3 || c.Pending != pending {
		t.Errorf("follows %+v, want %d declared (%d pending), 3 skipped (not read)", c, len(acc.Live.Follows), pending)
	}
}

// liveTotal is how many objects of kind the live account holds: what a
// KindCount's Declared and Skipped add up to.
func liveTotal(l *planner.Live, kind string) int {
	switch kind {
	case "pinned_notes":
		return len(l.PinnedNotes)
	case "follows":
		return len(l.Follows) + l.UnlistedFollows
	case "drive_folders":
		return len(l.DriveFolders)
	case "drive_files":
		return len(l.DriveFiles)
	case "antennas":
		return len(l.Antennas)
	case "user_lists":
		return len(l.UserLists)
	case "webhooks":
		return len(l.Webhooks)
	case "clips":
		return len(l.Clips)
	case "blocks":
		return len(l.Blocks)
	case "mutes":
		return len(l.Mutes)
	case "renote_mutes":
		return len(l.RenoteMutes)
	case "scheduled_notes":
		if l.Drafts == nil {
			return 0
		}
		n := 0
		for _, d := range l.Drafts.Drafts {
			if d.IsActuallyScheduled {
				n++
			}
		}
		return n
	}
	return -1
}

// checkCounts is what world.check asks of res.Counts: each kind asked for
// has its entry, in Kinds order, with as many declared as Load finds, and
// every object read is declared or skipped.
func checkCounts(res *Result, a *schema.Account, live *planner.Live, kinds map[string]bool) string {
	i := 0
	for _, k := range Kinds {
		if len(kinds) == 0 || kinds[k] {
			if i >= len(res.Counts) || res.Counts[i].Kind != k {
				return fmt.Sprintf("Counts %+v: no entry for %s at %d", res.Counts, k, i)
			}
		}
		if i < len(res.Counts) && res.Counts[i].Kind == k {
			i++
		}
	}
	if i != len(res.Counts) {
		return fmt.Sprintf("Counts %+v are not in Kinds order", res.Counts)
	}
	for _, c := range res.Counts {
		loaded := map[string]int{
			"pinned_notes": len(a.PinnedNotes), "follows": len(a.Follows), "drive_folders": len(a.DriveFolders), "drive_files": len(a.DriveFiles),
			"antennas": len(a.Antennas), "user_lists": len(a.UserLists), "webhooks": len(a.Webhooks), "clips": len(a.Clips),
			"blocks": len(a.Blocks), "mutes": len(a.Mutes), "renote_mutes": len(a.RenoteMutes),
			"scheduled_notes": len(a.ScheduledNotes),
		}
		if a.Profile != nil {
			loaded["profile"] = 1
		}
		if c.Declared != loaded[c.Kind] {
			return fmt.Sprintf("Counts say %d %s declared, Load finds %d", c.Declared, c.Kind, loaded[c.Kind])
		}
		if c.Kind == "profile" || (c.Kind == "user_lists" || c.Kind == "drive_folders") && len(kinds) > 0 && !kinds[c.Kind] {
			continue
		}
		if n := liveTotal(live, c.Kind); c.Declared+c.Skipped != n {
			return fmt.Sprintf("Counts say %d %s declared and %d skipped, the account has %d", c.Declared, c.Kind, c.Skipped, n)
		}
	}
	return ""
}
