package export

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func ptr[T any](v T) *T { return &v }

// smallAccount is a readable account with one of everything, and the
// things export must leave out with a comment.
func smallAccount() Account {
	p := freshI("weatherbot")
	p["name"] = "Weather Bot"
	p["description"] = "Hourly weather for ${city}.\nSource: https://git.example/weather\n"
	p["isBot"] = true
	p["lang"] = "en-US"
	p["fields"] = []any{map[string]any{"name": "Source", "value": "https://git.example/weather"}}
	p["followingVisibility"] = "followers"
	p["alsoKnownAs"] = []any{"@oldweather@misskey.example"}
	live := &planner.Live{
		UserID: "u0", Username: "weatherbot", Profile: p,
		PinnedNotes: []planner.LiveNote{
			{ID: "n1", Text: "I post the weather every hour.", Visibility: "public"},
			{ID: "n2", Text: "Vote: sun or rain?", Visibility: "public", Unsupported: "it has a poll"},
			{ID: "n3", Text: "Storm warnings\nare posted here\nfirst.", Visibility: "home", CW: ptr("weather alerts"), LocalOnly: true, ReactionAcceptance: ptr("likeOnly")},
			{ID: "n4", Text: "I post the weather every hour!", Visibility: "followers"},
			{ID: "n5", Text: "☀️🌧️", Visibility: "public"},
		},
		Follows: []planner.LiveFollow{
			{UserID: "b", Acct: "@bob"},
			{UserID: "c", Acct: "@carol@other.example", WithReplies: true, Notify: true},
			{UserID: "d", Acct: "@dave@locked.example", Pending: true},
		},
		DriveFolders: []planner.LiveFolder{
			{ID: "f1", Name: "assets", CreatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), FilesCount: -1},
			{ID: "f2", Name: "icons", ParentID: "f1", FilesCount: -1},
			{ID: "f3", Name: "maps", ParentID: "f1", FilesCount: -1},
			{ID: "f4", Name: "assets", CreatedAt: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), FilesCount: -1},
			{ID: "f5", Name: "radar", FilesCount: -1},
			{ID: "f6", Name: "hourly", ParentID: "f5", FilesCount: -1},
		},
		UserLists: []planner.LiveUserList{
			{ID: "l1", Name: "sources", UserIDs: []string{"c", "b", "x9"}},
			{ID: "l2", Name: "Weather people", UserIDs: []string{"b"}},
		},
		Antennas: []planner.LiveAntenna{
			{ID: "a1", Name: "storms", Fields: map[string]any{"src": "list", "userListId": "l2", "keywords": []any{[]any{"storm"}, []any{"typhoon", "warning"}}, "excludeKeywords": []any{}, "users": []any{}, "caseSensitive": false, "localOnly": false, "excludeBots": true, "withReplies": false, "withFile": false, "excludeNotesInSensitiveChannel": false}},
			{ID: "a2", Name: "from friends", Fields: map[string]any{"src": "users", "userListId": nil, "keywords": []any{}, "excludeKeywords": []any{[]any{"ad"}}, "users": []any{"@bob", "carol@other.example"}, "caseSensitive": false, "localOnly": false, "excludeBots": false, "withReplies": false, "withFile": false, "excludeNotesInSensitiveChannel": false}},
		},
		Users: map[string]string{"@bob": "b"},
	}
	for i := range live.DriveFolders {
		f := &live.DriveFolders[i]
		f.Path = f.Name
		switch f.ParentID {
		case "f1":
			f.Path = "assets/" + f.Name
		case "f5":
			f.Path = "radar/" + f.Name
		}
	}
	return Account{Host: "misskey.example", Username: "weatherbot", Live: live,
		UserAccts: map[string]string{"b": "@bob", "c": "@carol@other.example"}}
}

// checkGolden compares got with testdata/name (rewritten with -update).
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\n%s", name, got)
	}
}

func TestGoldenSmallAccount(t *testing.T) {
	acc := smallAccount()
	res, err := Generate(acc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 1 || res.Files[0].Name != MainFile {
		t.Fatalf("files %v, want only %s", fileNames(res), MainFile)
	}
	checkGolden(t, "small.mk.hcl", res.Files[0].Content)
	checkGolden(t, "small.notes.txt", []byte(strings.Join(res.Notes, "\n")+"\n"))
	checkCanonical(t, res)

	// The output plans to nothing but the one thing it says: the list
	// member whose account is gone is pulled. The two folders "assets"
	// (and the two in the older one) are left out, so they stay.
	_, ap, diags := loadAndPlan(t, res, acc.Live)
	if errs := errorsOnly(diags); len(errs) != 0 {
		t.Fatalf("diagnostics %v, want none", diags)
	}
	if len(ap.Changes) != 1 || ap.Changes[0].Key != "user_list.sources" || fmt.Sprint(ap.Changes[0].After["pull"]) != "[x9]" {
		for _, c := range ap.Changes {
			t.Errorf("change %s %s %v", c.Action, c.Address, c.After)
		}
		t.Fatal("want one change: x9 pulled from user_list.sources")
	}
}

// checkCanonical: every file is hclwrite.Format's output already.
func checkCanonical(t *testing.T, res *Result) {
	t.Helper()
	for _, f := range res.Files {
		if !bytes.Equal(hclwrite.Format(f.Content), f.Content) {
			t.Errorf("%s is not canonically formatted", f.Name)
		}
	}
}

func fileNames(res *Result) []string {
	var out []string
	for _, f := range res.Files {
		out = append(out, f.Name)
	}
	return out
}

// manyFollows is an account with 25 follows: the plain ones go to
// follows.mk.hcl, the others keep a block each.
func manyFollows() Account {
	live := &planner.Live{UserID: "u0", Username: "reader", Profile: freshI("reader")}
	for i := 0; i < 25; i++ {
		f := planner.LiveFollow{UserID: fmt.Sprintf("id%02d", i), Acct: fmt.Sprintf("@user%02d@host%d.example", i, i%3)}
		switch i {
		case 3:
			f.Acct = "@local03"
		case 7:
			f.WithReplies = true
		case 11:
			f.Notify = true
		case 13, 17:
			f.Pending = true
		}
		live.Follows = append(live.Follows, f)
	}
	return Account{Host: "misskey.example", Username: "reader", Live: live}
}

func TestGoldenManyFollows(t *testing.T) {
	acc := manyFollows()
	res, err := Generate(acc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(fileNames(res), ","); got != MainFile+","+FollowsFile {
		t.Fatalf("files %s", got)
	}
	checkGolden(t, "many_follows.mk.hcl", res.Files[0].Content)
	checkGolden(t, "many_follows.follows.mk.hcl", res.Files[1].Content)
	checkCanonical(t, res)
	if len(res.Notes) != 0 {
		t.Errorf("notes %q, want none", res.Notes)
	}
	cfg, ap, diags := loadAndPlan(t, res, acc.Live)
	if diags.HasErrors() || len(ap.Changes) != 0 {
		t.Fatalf("diags %v, changes %d", diags, len(ap.Changes))
	}
	if n := len(cfg.Accounts[0].Follows); n != 25 {
		t.Fatalf("%d follows declared, want 25", n)
	}
	if n := len(ap.Adopt); n != 25 {
		t.Fatalf("%d adoptions, want 25", n)
	}
	// The group's instances are the plain follows; the two with settings
	// have blocks of their own.
	group := 0
	for _, f := range cfg.Accounts[0].Follows {
		if f.Name == followGroupLabel {
			group++
		}
	}
	if group != 23 {
		t.Errorf("%d follows in the for_each group, want 23", group)
	}
}

// TestFollowsInlineThreshold: 20 follows are 20 blocks, 21 are a list.
func TestFollowsInlineThreshold(t *testing.T) {
	for _, n := range []int{FollowsInline, FollowsInline + 1} {
		acc := manyFollows()
		acc.Live.Follows = acc.Live.Follows[:n]
		for i := range acc.Live.Follows {
			acc.Live.Follows[i].WithReplies, acc.Live.Follows[i].Notify = false, false
		}
		res, err := Generate(acc, Options{})
		if err != nil {
			t.Fatal(err)
		}
		wantFiles := 1
		if n > FollowsInline {
			wantFiles = 2
		}
		if len(res.Files) != wantFiles {
			t.Errorf("%d follows: %d files, want %d", n, len(res.Files), wantFiles)
		}
		if _, ap, diags := loadAndPlan(t, res, acc.Live); diags.HasErrors() || len(ap.Changes) != 0 || len(ap.Adopt) != n {
			t.Errorf("%d follows: diags %v, changes %v, adoptions %d", n, diags, ap.Changes, len(ap.Adopt))
		}
	}
}

// TestTextRoundTrip: each text, as a description (heredoc or quoted) and
// as a pinned note, reads back exactly, and the form is the one intended.
func TestTextRoundTrip(t *testing.T) {
	cases := []struct {
		text    string
		heredoc bool
	}{
		{"${x} and %{if true}yes%{endif}", false},
		{"$${x} $$ %% %%{ $ % { }", false},
		{"literal \\n, a \"quote\" and a \\ backslash", false},
		{"tab\there, trailing spaces   ", false},
		{"emoji 🎉👨‍👩‍👧 and CJK 日本語 한국어", false},
		{"line 1\nline 2", true},
		{"line 1\nline 2\n", true},
		{"line 1\nline 2\n\n", true},
		{"  leading spaces\n\tand a tab\n  kept", true},
		{"EOT\nthe marker as a line\n  EOT  ", true},
		{"EOT\nEOF\nEND\nTEXT\nall the markers", true},
		{"${x}\n%{if true}\n$${y}\n", true},
		{"trailing spaces   \non lines  \n", true},
		{"crlf\r\nline", false},
		{"lone \r return\nand a line", false},
		{"control \x01 character\nline", false},
		{"bell \a, escape \x1b[0m", false},
		{"line separator \u2028 inside\nx", false},
		{"zero width \u200b space and BOM \ufeff inside\nx", true},
		{"no-break\u00a0space\nx", true},
	}
	for _, c := range cases {
		acc := smallAccount()
		acc.Live.Profile["description"] = c.text
		text := schema.JSTrim(c.text)
		acc.Live.PinnedNotes = []planner.LiveNote{{ID: "n1", Text: text, Visibility: "public"}}
		res, err := Generate(acc, Options{Kinds: map[string]bool{"profile": true, "pinned_notes": true}})
		if err != nil {
			t.Fatal(err)
		}
		src := string(res.Files[0].Content)
		if got := strings.Contains(src, "description = chomp(<<") || strings.Contains(src, "description = <<"); got != c.heredoc {
			t.Errorf("%q: heredoc %v, want %v:\n%s", c.text, got, c.heredoc, src)
		}
		cfg, ap, diags := loadAndPlan(t, res, acc.Live)
		if diags.HasErrors() {
			t.Errorf("%q: %v\n%s", c.text, diags, src)
			continue
		}
		if got := cfg.Accounts[0].Profile.Attrs["description"].Value; got != c.text {
			t.Errorf("description %q read back as %q:\n%s", c.text, got, src)
		}
		if got := cfg.Accounts[0].PinnedNotes[0].Text; got != text {
			t.Errorf("note %q read back as %q:\n%s", text, got, src)
		}
		if len(ap.Changes) != 0 {
			t.Errorf("%q: %d changes", c.text, len(ap.Changes))
		}
	}
}

func TestNoteLabel(t *testing.T) {
	cases := []struct {
		text string
		pos  int
		want string
	}{
		{"Good morning, world!", 1, "good_morning_world"},
		{"Hello", 2, "hello"},
		{"I post the weather every hour.", 1, "i_post_the_weather"},
		{"Supercalifragilisticexpialidocious-and-more words", 1, "supercalifragilisticexpialidocio"},
		{"café ☕ time", 1, "caf_time"},
		{"123 go", 1, "note_123_go"},
		{"2026", 3, "note_2026"},
		{"日本語のノート", 4, "note_4"},
		{"🎉🎉", 1, "note_1"},
		{"!!!", 2, "note_2"},
		{"${x} %{if}", 1, "x_if"},
	}
	for _, c := range cases {
		if got := NoteLabel(c.text, c.pos); got != c.want {
			t.Errorf("NoteLabel(%q, %d) = %q, want %q", c.text, c.pos, got, c.want)
		}
	}
}

// TestNoteLabelCollisions: same slugs get _2, _3; a natural slug that a
// suffix already took gets one of its own; every label loads.
func TestNoteLabelCollisions(t *testing.T) {
	acc := smallAccount()
	acc.Live.PinnedNotes = []planner.LiveNote{
		{ID: "a", Text: "Hello", Visibility: "public"},
		{ID: "b", Text: "hello!", Visibility: "home"},
		{ID: "c", Text: "Hello 2", Visibility: "public"},
		{ID: "d", Text: "HELLO", Visibility: "followers"},
		{ID: "e", Text: "Hello", Visibility: "public"}, // the same note twice
	}
	res, err := Generate(acc, Options{Kinds: map[string]bool{"pinned_notes": true}})
	if err != nil {
		t.Fatal(err)
	}
	cfg, ap, diags := loadAndPlan(t, res, acc.Live)
	if diags.HasErrors() || len(ap.Changes) != 0 {
		t.Fatalf("diags %v, changes %v\n%s", diags, ap.Changes, res.Files[0].Content)
	}
	var labels []string
	for _, n := range cfg.Accounts[0].PinnedNotes {
		labels = append(labels, n.Label)
	}
	if got, want := strings.Join(labels, " "), "hello hello_2 hello_2_2 hello_3 hello_4"; got != want {
		t.Errorf("labels %s, want %s", got, want)
	}
	if len(ap.Adopt) != 5 {
		t.Errorf("%d adoptions, want 5 (each note matched once)", len(ap.Adopt))
	}
}

func TestAccountLabel(t *testing.T) {
	for in, want := range map[string]string{"weatherbot": "weatherbot", "Weather_Bot": "weather_bot", "9lives": "account_9lives", "_x": "account__x", "@alice": "alice"} {
		if got := LabelFromUsername(in); got != want {
			t.Errorf("LabelFromUsername(%q) = %q, want %q", in, got, want)
		}
	}
	acc := smallAccount()
	res, err := Generate(acc, Options{Label: "news-bot", Kinds: map[string]bool{"profile": true}})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(res.Files[0].Content, []byte(`account "news-bot" {`)) {
		t.Errorf("label not used:\n%s", res.Files[0].Content)
	}
	if _, err := Generate(acc, Options{Label: "news bot"}); err == nil {
		t.Error("a label that is not an identifier was accepted")
	}
	if _, err := Generate(acc, Options{Kinds: map[string]bool{"mute": true}}); err == nil { // the kind is "mutes"
		t.Error("an unknown kind was accepted")
	}
	if _, err := Generate(Account{Host: "misskey.example", Username: "x"}, Options{}); err == nil {
		t.Error("an account without Live was accepted")
	}
	if _, err := Generate(Account{Host: "ftp://misskey.example", Username: "x", Live: acc.Live}, Options{}); err == nil {
		t.Error("a host Load refuses was accepted")
	}
}

// TestSkippedNotes: a note export cannot declare leaves a comment at its
// place and a note; the others keep their order.
func TestSkippedNotes(t *testing.T) {
	acc := smallAccount()
	acc.Live.PinnedNotes = []planner.LiveNote{
		{ID: "n1", Text: "first", Visibility: "public"},
		{ID: "n2", Text: "a renote", Visibility: "public", Unsupported: "it is a renote"},
		{ID: "n3", Text: "direct", Visibility: "specified"},
		{ID: "n4", Text: "", Visibility: "public"},
		{ID: "n5", Text: "empty cw", Visibility: "public", CW: ptr("")},
		{ID: "n6", Text: strings.Repeat("x", schema.MaxNoteText+1), Visibility: "public"},
		{ID: "n7", Text: "last", Visibility: "public"},
	}
	acc.Live.Policies = map[string]any{"pinLimit": 10.0}
	res, err := Generate(acc, Options{Kinds: map[string]bool{"pinned_notes": true}})
	if err != nil {
		t.Fatal(err)
	}
	src := string(res.Files[0].Content)
	for _, want := range []string{
		"# Pinned note 2 (id n2) is not exported: it is a renote.",
		"# Pinned note 3 (id n3) is not exported: its visibility \"specified\"",
		"# Pinned note 4 (id n4) is not exported: it has no text.",
		"# Pinned note 5 (id n5) is not exported: its content warning is empty",
		"# Pinned note 6 (id n6) is not exported: its text is longer than the 3000",
	} {
		if !strings.Contains(src, want) {
			t.Errorf("missing comment %q in\n%s", want, src)
		}
	}
	if strings.Index(src, `"first"`) > strings.Index(src, "id n2") || strings.Index(src, "id n6") > strings.Index(src, `"last"`) {
		t.Errorf("comments are not at the notes' places:\n%s", src)
	}
	if len(res.Notes) != 5 {
		t.Errorf("notes %q, want 5", res.Notes)
	}
	cfg, ap, diags := loadAndPlan(t, res, acc.Live)
	if diags.HasErrors() || len(ap.Changes) != 0 || len(cfg.Accounts[0].PinnedNotes) != 2 {
		t.Fatalf("diags %v, changes %v", diags, ap.Changes)
	}
}

// TestKinds: only the kinds asked for are written; a kind left out is
// not managed at all by the output.
func TestKinds(t *testing.T) {
	acc := smallAccount()
	for _, kind := range Kinds {
		res, err := Generate(acc, Options{Kinds: map[string]bool{kind: true}})
		if err != nil {
			t.Fatal(err)
		}
		cfg, _, diags := loadAndPlan(t, res, acc.Live)
		if cfg == nil {
			t.Fatalf("%s: %v", kind, diags)
		}
		a := cfg.Accounts[0]
		got := map[string]bool{
			"profile": a.Profile != nil, "pinned_notes": len(a.PinnedNotes) > 0, "follows": len(a.Follows) > 0,
			"drive_folders": len(a.DriveFolders) > 0, "antennas": len(a.Antennas) > 0, "user_lists": len(a.UserLists) > 0,
		}
		for k, present := range got {
			// The antennas bring the list one of them uses.
			if present != (k == kind || kind == "antennas" && k == "user_lists") {
				t.Errorf("kinds {%s}: %s present = %v", kind, k, present)
			}
		}
		if kind == "antennas" {
			if l := a.UserLists; len(l) != 1 || l[0].Name != "Weather people" || len(a.Antennas) != 2 {
				t.Errorf("kinds {antennas}: lists %v, %d antennas; want the list storms uses and both antennas", l, len(a.Antennas))
			}
		}
	}
}

// TestDeterministic: the same account read in another order gives the
// same bytes (pinned notes keep their order: it is meaningful).
func TestDeterministic(t *testing.T) {
	w := randWorld(7)
	first, err := Generate(w.acc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 5; i++ {
		l := *w.acc.Live
		l.Follows = shuffled(r, l.Follows)
		l.UserLists = shuffled(r, l.UserLists)
		l.Antennas = shuffled(r, l.Antennas)
		// Folders: parents before children is all the reader promises.
		acc := w.acc
		acc.Live = &l
		again, err := Generate(acc, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if dumpFiles(first) != dumpFiles(again) || strings.Join(first.Notes, "\n") != strings.Join(again.Notes, "\n") {
			t.Fatalf("output depends on the order of the live objects:\n%s\n---\n%s", dumpFiles(first), dumpFiles(again))
		}
	}
}

func shuffled[T any](r *rand.Rand, xs []T) []T {
	out := append([]T(nil), xs...)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// TestUnknownValueHook: a value export cannot read becomes a variable
// without a default, named in a note; with the variable set, the output
// loads.
func TestUnknownValueHook(t *testing.T) {
	writeOnlyProfileFields["followed_message"] = "Misskey does not return it"
	defer delete(writeOnlyProfileFields, "followed_message")
	acc := smallAccount()
	res, err := Generate(acc, Options{Kinds: map[string]bool{"profile": true}})
	if err != nil {
		t.Fatal(err)
	}
	src := string(res.Files[0].Content)
	if !regexp.MustCompile(`followed_message +\= var.profile_followed_message`).MatchString(src) || !strings.Contains(src, `variable "profile_followed_message" {`) {
		t.Fatalf("no variable for the unknown value:\n%s", src)
	}
	if strings.Contains(src[strings.Index(src, `variable "profile_followed_message"`):], "default") {
		t.Errorf("the variable has a default:\n%s", src)
	}
	if !strings.Contains(strings.Join(res.Notes, "\n"), `variable "profile_followed_message" has no value`) {
		t.Errorf("notes %q", res.Notes)
	}
	dir := t.TempDir()
	for _, f := range res.Files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, _, diags := schema.Load(dir, schema.LoadOptions{Vars: map[string]string{"profile_followed_message": "Thanks!"}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if got := cfg.Accounts[0].Profile.Attrs["followed_message"].Value; got != "Thanks!" {
		t.Errorf("followed_message = %v", got)
	}
}

// TestFreshProfileTable: every profile attribute has a default, so a new
// one cannot be exported by accident as "differs" forever unnoticed.
func TestFreshProfileTable(t *testing.T) {
	for _, f := range schema.ProfileFields {
		if _, ok := FreshProfile[f.API]; !ok {
			t.Errorf("FreshProfile has no default for %s (%s): add it from a new account's `i`", f.API, f.Name)
		}
	}
	// A new account exports no profile block at all.
	acc := Account{Host: "misskey.example", Username: "alice", Live: &planner.Live{Profile: freshI("alice")}}
	res, err := Generate(acc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(res.Files[0].Content, []byte("profile {")) {
		t.Errorf("a new account's profile was exported:\n%s", res.Files[0].Content)
	}
}

// TestDuplicates: of two lists, antennas or folders of one name none is
// exported (nor the folders in them, nor an antenna on such a list); one
// comment and one note name them all, and the export plans to no changes
// (planner/dedupe.go would stop at a declared name with copies it may not
// delete).
func TestDuplicates(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	kw := []any{[]any{"x"}}
	dupAccount := func() Account {
		acc := smallAccount()
		acc.Live.UserLists = []planner.LiveUserList{
			{ID: "young", Name: "dup", UserIDs: []string{}, CreatedAt: t0.Add(time.Hour)},
			{ID: "old", Name: "dup", UserIDs: []string{"b"}, CreatedAt: t0},
			{ID: "solo", Name: "solo", UserIDs: []string{"b"}, CreatedAt: t0},
		}
		acc.Live.Antennas = []planner.LiveAntenna{
			{ID: "a-young", Name: "dup", Fields: map[string]any{"src": "all", "keywords": kw}, CreatedAt: t0.Add(time.Hour)},
			{ID: "a-old", Name: "dup", Fields: map[string]any{"src": "list", "userListId": "solo", "keywords": kw}, CreatedAt: t0},
			{ID: "on-dup", Name: "on dup", Fields: map[string]any{"src": "list", "userListId": "young", "keywords": kw}, CreatedAt: t0},
			{ID: "on-solo", Name: "on solo", Fields: map[string]any{"src": "list", "userListId": "solo", "keywords": kw}, CreatedAt: t0},
		}
		// Two "media" in "top", the older holding "a" (holding "b"), the
		// younger "c"; a "media" elsewhere is a path of its own.
		acc.Live.DriveFolders = []planner.LiveFolder{
			{ID: "top", Name: "top", Path: "top", FilesCount: -1},
			{ID: "m2", Name: "media", ParentID: "top", Path: "top/media", FilesCount: -1, CreatedAt: t0.Add(time.Hour)},
			{ID: "m1", Name: "media", ParentID: "top", Path: "top/media", FilesCount: -1, CreatedAt: t0},
			{ID: "a", Name: "a", ParentID: "m1", Path: "top/media/a", FilesCount: -1},
			{ID: "b", Name: "b", ParentID: "a", Path: "top/media/a/b", FilesCount: -1},
			{ID: "c", Name: "c", ParentID: "m2", Path: "top/media/c", FilesCount: -1},
			{ID: "m3", Name: "media", Path: "media", FilesCount: -1},
			{ID: "z", Name: "z", ParentID: "top", Path: "top/z", FilesCount: -1},
		}
		return acc
	}

	acc := dupAccount()
	res, err := Generate(acc, Options{Kinds: map[string]bool{"drive_folders": true, "user_lists": true, "antennas": true}})
	if err != nil {
		t.Fatal(err)
	}
	src := string(res.Files[0].Content)
	for _, want := range []string{
		`# User lists "dup" (ids old, young) are not exported: Misskey has 2 lists of that name and mkctl finds lists by name, so it could not tell them apart. They stay as they are, not managed by mkctl; rename one in Misskey and export again to manage them.`,
		`# Antennas "dup" (ids a-old, a-young) are not exported: Misskey has 2 antennas of that name and mkctl finds antennas by name, so it could not tell them apart. They stay as they are, not managed by mkctl; rename one in Misskey and export again to manage them.`,
		`# Antenna "on dup" (id on-dup) is not exported: it uses the user list "dup" (id young), one of 2 lists of that name, which mkctl cannot tell apart, so none of them is exported; it stays as it is, not managed by mkctl.`,
		`# Drive folders "top/media" (ids m1, m2) are not exported, nor the 3 folders in them: Misskey has 2 folders of that name here and mkctl finds folders by path, so it could not tell them apart. They stay as they are, not managed by mkctl; rename one in Misskey and export again to manage them.`,
	} {
		if !strings.Contains(src, want) {
			t.Errorf("missing %q in\n%s", want, src)
		}
	}
	if len(res.Notes) != 4 {
		t.Errorf("notes %q, want 4", res.Notes)
	}
	cfg, ap, diags := loadAndPlan(t, res, acc.Live)
	if cfg == nil || diags.HasErrors() || len(ap.Changes) != 0 {
		t.Fatalf("diags %v, changes %v\n%s", diags, ap.Changes, src)
	}
	a := cfg.Accounts[0]
	var got []string
	for _, l := range a.UserLists {
		got = append(got, "list "+l.Name)
	}
	for _, an := range a.Antennas {
		got = append(got, "antenna "+an.Name)
	}
	for _, f := range a.DriveFolders {
		got = append(got, "folder "+f.Path)
	}
	sort.Strings(got)
	if want := "[antenna on solo folder media folder top folder top/z list solo]"; fmt.Sprint(got) != want {
		t.Errorf("declared %v, want %s", got, want)
	}
	if len(ap.Adopt) != len(got) {
		t.Errorf("%d adoptions, want %d", len(ap.Adopt), len(got))
	}

	// Antennas without user_lists: the lists they use come along, but not
	// a list whose name is shared, and the antenna on it stays out.
	res, err = Generate(acc, Options{Kinds: map[string]bool{"antennas": true}})
	if err != nil {
		t.Fatal(err)
	}
	src = string(res.Files[0].Content)
	if strings.Contains(src, `user_list "dup"`) || strings.Contains(src, `User lists "dup"`) || !strings.Contains(src, `user_list "solo"`) {
		t.Errorf("want user_list \"solo\" only, and no comment on the lists:\n%s", src)
	}
	if !strings.Contains(src, `# Antenna "on dup" (id on-dup) is not exported: it uses the user list "dup" (id young), one of 2 lists`) {
		t.Errorf("the antenna on the shared list is not explained:\n%s", src)
	}
	if len(res.Notes) != 2 {
		t.Errorf("notes %q, want 2 (the antennas dup, the antenna on dup)", res.Notes)
	}
	if _, ap, diags := loadAndPlan(t, res, acc.Live); diags.HasErrors() || len(ap.Changes) != 0 || len(ap.Adopt) != 2 {
		t.Fatalf("diags %v, changes %v, adoptions %v\n%s", diags, ap.Changes, ap.Adopt, src)
	}
}

// BenchmarkGenerate: a large account (5,000 follows, 200 folders, 10
// lists, 5 antennas).
func BenchmarkGenerate(b *testing.B) {
	live := &planner.Live{UserID: "u0", Username: "big", Profile: freshI("big")}
	accts := map[string]string{}
	for i := 0; i < 5000; i++ {
		f := planner.LiveFollow{UserID: fmt.Sprintf("id%05d", i), Acct: fmt.Sprintf("@user%05d@host%d.example", i, i%50), WithReplies: i%100 == 0}
		live.Follows = append(live.Follows, f)
		accts[f.UserID] = f.Acct
	}
	for i := 0; i < 200; i++ {
		f := planner.LiveFolder{ID: fmt.Sprintf("f%03d", i), Name: fmt.Sprintf("folder %d", i)}
		if i >= 20 {
			f.ParentID = fmt.Sprintf("f%03d", i%20)
		}
		live.DriveFolders = append(live.DriveFolders, f)
	}
	for i := 0; i < 10; i++ {
		l := planner.LiveUserList{ID: fmt.Sprintf("l%d", i), Name: fmt.Sprintf("list %d", i)}
		for j := 0; j < 50; j++ {
			l.UserIDs = append(l.UserIDs, fmt.Sprintf("id%05d", i*50+j))
		}
		live.UserLists = append(live.UserLists, l)
	}
	for i := 0; i < 5; i++ {
		live.Antennas = append(live.Antennas, planner.LiveAntenna{ID: fmt.Sprintf("a%d", i), Name: fmt.Sprintf("antenna %d", i),
			Fields: map[string]any{"src": "list", "userListId": fmt.Sprintf("l%d", i), "keywords": []any{[]any{"a", "b"}}}})
	}
	acc := Account{Host: "misskey.example", Username: "big", Live: live, UserAccts: accts}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Generate(acc, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestProfileSkips: a profile value Load would refuse or read as another
// value is left out (unmanaged) with a comment at its place and a note.
func TestProfileSkips(t *testing.T) {
	acc := smallAccount()
	p := acc.Live.Profile
	p["location"] = ""                                                      // Load reads "" as null
	p["lang"] = "xx-XX"                                                     // not a language Misskey knows
	p["fields"] = []any{map[string]any{"name": "Web", "value": " padded "}} // Misskey trims these
	p["alsoKnownAs"] = []any{"9zzz"}                                        // an id nobody resolved
	p["birthday"] = "2026-02-30"
	res, err := Generate(acc, Options{Kinds: map[string]bool{"profile": true}})
	if err != nil {
		t.Fatal(err)
	}
	src := string(res.Files[0].Content)
	for _, name := range []string{"location", "lang", "fields", "also_known_as", "birthday"} {
		if !strings.Contains(src, "# "+name+" is not exported: ") {
			t.Errorf("no comment for %s:\n%s", name, src)
		}
	}
	if len(res.Notes) != 5 {
		t.Errorf("notes %q, want 5", res.Notes)
	}
	if i, j := strings.Index(src, "# location"), strings.Index(src, "# birthday"); i > j {
		t.Errorf("comments are not in attribute order:\n%s", src)
	}
	cfg, ap, diags := loadAndPlan(t, res, acc.Live)
	if diags.HasErrors() || len(ap.Changes) != 0 {
		t.Fatalf("diags %v, changes %v", diags, ap.Changes)
	}
	if got := len(cfg.Accounts[0].Profile.Attrs); got != 4 {
		t.Errorf("%d profile attributes, want 4 (name, description, is_bot, following_visibility):\n%s", got, src)
	}
}

// TestSkippedNoteSameContent: a note of the same content as a note left
// out above it is left out too; declared, its block would be matched to
// the note above (the planner matches by content) and re-pinned.
func TestSkippedNoteSameContent(t *testing.T) {
	acc := smallAccount()
	acc.Live.PinnedNotes = []planner.LiveNote{
		{ID: "poll", Text: "Vote!", Visibility: "public", Unsupported: "it has a poll"},
		{ID: "other", Text: "Other", Visibility: "public"},
		{ID: "plain", Text: "Vote!", Visibility: "public"},
		{ID: "home", Text: "Vote!", Visibility: "home"}, // other content: declared
	}
	res, err := Generate(acc, Options{Kinds: map[string]bool{"pinned_notes": true}})
	if err != nil {
		t.Fatal(err)
	}
	if src := string(res.Files[0].Content); !strings.Contains(src, "# Pinned note 3 (id plain) is not exported: pinned note 1, which is not exported, has the same content") {
		t.Errorf("no comment for the note of the same content:\n%s", src)
	}
	cfg, ap, diags := loadAndPlan(t, res, acc.Live)
	if diags.HasErrors() || len(ap.Changes) != 0 {
		t.Fatalf("diags %v, changes %v", diags, ap.Changes)
	}
	if n := len(cfg.Accounts[0].PinnedNotes); n != 2 {
		t.Errorf("%d notes declared, want 2", n)
	}
	for _, a := range ap.Adopt {
		if a.ID == "poll" || a.ID == "plain" {
			t.Errorf("adopts %s", a.ID)
		}
	}
}

// TestSkippedFollows: a follow Load would refuse is a comment and a note.
func TestSkippedFollows(t *testing.T) {
	acc := smallAccount()
	acc.Live.Follows = append(acc.Live.Follows,
		planner.LiveFollow{UserID: "s", Acct: "@weatherbot"},
		planner.LiveFollow{UserID: "w", Acct: "@we ird@other.example"})
	res, err := Generate(acc, Options{Kinds: map[string]bool{"follows": true}})
	if err != nil {
		t.Fatal(err)
	}
	src := string(res.Files[0].Content)
	for _, want := range []string{`# Follow "@weatherbot" is not exported: it is the account itself`, `# Follow "@we ird@other.example" is not exported: "@we ird@other.example" contains spaces; it stays`} {
		if !strings.Contains(src, want) {
			t.Errorf("missing %q in\n%s", want, src)
		}
	}
	if len(res.Notes) != 2 {
		t.Errorf("notes %q", res.Notes)
	}
	if _, ap, diags := loadAndPlan(t, res, acc.Live); diags.HasErrors() || len(ap.Changes) != 0 || len(ap.Adopt) != 3 {
		t.Fatalf("diags %v, changes %v, adoptions %v", diags, ap.Changes, ap.Adopt)
	}
}

// TestNamesRoundTrip: names are block labels (and list references); each
// loads back as itself.
func TestNamesRoundTrip(t *testing.T) {
	names := []string{"${x}", "%{if true}", `"quoted"`, `back\slash`, "tab\there", "日本語 🎉", "$${y}", "a b"}
	acc := smallAccount()
	acc.Live.DriveFolders = nil
	acc.Live.UserLists = nil
	acc.Live.Antennas = nil
	for i, n := range names {
		acc.Live.DriveFolders = append(acc.Live.DriveFolders, planner.LiveFolder{ID: fmt.Sprintf("f%d", i), Name: n, Path: n, FilesCount: -1})
		acc.Live.UserLists = append(acc.Live.UserLists, planner.LiveUserList{ID: fmt.Sprintf("l%d", i), Name: n, UserIDs: []string{"b"}})
		if i < 5 {
			acc.Live.Antennas = append(acc.Live.Antennas, planner.LiveAntenna{ID: fmt.Sprintf("a%d", i), Name: n,
				Fields: map[string]any{"src": "list", "userListId": fmt.Sprintf("l%d", i), "keywords": []any{[]any{n}}}})
		}
	}
	acc.Live.Policies = map[string]any{"userListLimit": 20.0}
	res, err := Generate(acc, Options{Kinds: map[string]bool{"drive_folders": true, "user_lists": true, "antennas": true}})
	if err != nil {
		t.Fatal(err)
	}
	cfg, ap, diags := loadAndPlan(t, res, acc.Live)
	if diags.HasErrors() || len(ap.Changes) != 0 {
		t.Fatalf("diags %v, changes %v\n%s", diags, ap.Changes, res.Files[0].Content)
	}
	a := cfg.Accounts[0]
	got := map[string]bool{}
	for _, f := range a.DriveFolders {
		got["folder "+f.Name] = true
	}
	for _, l := range a.UserLists {
		got["list "+l.Name] = true
	}
	for _, an := range a.Antennas {
		got["antenna "+an.Name+" on "+an.UserList+" "+an.Keywords[0][0]] = true
	}
	for i, n := range names {
		for _, k := range []string{"folder " + n, "list " + n} {
			if !got[k] {
				t.Errorf("%s not declared", k)
			}
		}
		if k := "antenna " + n + " on " + n + " " + n; i < 5 && !got[k] {
			t.Errorf("%s not declared", k)
		}
	}
}
