package view

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mkctl/mkctl/planner"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/NAME, or writes it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/view -run %s -update)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("%s differs (go test ./cmd/view -run %s -update rewrites it)\ngot:\n%s\nwant:\n%s", path, t.Name(), got, want)
	}
}

func markdown(t *testing.T, p *planner.Plan, opts MarkdownOptions) string {
	t.Helper()
	var b bytes.Buffer
	if err := MarkdownPlan(&b, p, opts); err != nil {
		t.Fatal(err)
	}
	checkMarkdown(t, b.String())
	return b.String()
}

const md5a, md5b = "3f2a0000000000000000000000000000", "9c1e1111111111111111111111111111"

// fleetPlan has every kind of change and note, over three accounts.
func fleetPlan() *planner.Plan {
	return planner.New(
		&planner.AccountPlan{
			Address: "account.weather", Host: "https://misskey.example", Username: "weatherbot",
			Changes: []*planner.Change{
				{Address: "account.weather.profile", Type: planner.TypeProfile, Action: planner.ActionUpdate,
					Attrs: []planner.AttrChange{
						{Name: "name", Before: "Old", After: "New"},
						{Name: "description", Before: "line one\nold line", After: "line one\nnew line"},
						{Name: "avatar",
							Before: map[string]any{"md5": md5a, "size": int64(18 * 1024)},
							After:  map[string]any{"md5": md5b, "size": float64(21 * 1024), "path": "images/avatar.png"}},
						{Name: "birthday", Before: "2000-01-01", After: nil},
					}},
				{Address: `account.weather.drive_folder["media"]`, Type: planner.TypeDriveFolder, Action: planner.ActionCreate, Key: `drive_folder["media"]`,
					Attrs: []planner.AttrChange{{Name: "path", After: "media"}}},
				{Address: `account.weather.drive_file["media/logo.png"]`, Type: planner.TypeDriveFile, Action: planner.ActionCreate, Key: `drive_file["media/logo.png"]`,
					Attrs: []planner.AttrChange{{Name: "content", After: map[string]any{"md5": md5b, "size": int64(812), "path": "media/logo.png"}}, {Name: "comment", After: "Logo"}}},
				{Address: `account.weather.follow["@alice@example.social"]`, Type: planner.TypeFollow, Action: planner.ActionCreate, Key: `follow["@alice@example.social"]`,
					Attrs: []planner.AttrChange{{Name: "account", After: "@alice@example.social"}, {Name: "with_replies", After: true}}},
				{Address: `account.weather.follow["@bob@example.social"]`, Type: planner.TypeFollow, Action: planner.ActionDelete, Key: `follow["@bob@example.social"]`, Pending: true,
					Reason: "cancels the pending follow request", Attrs: []planner.AttrChange{{Name: "account", Before: "@bob@example.social"}}},
				{Address: "account.weather.pinned_note.hello", Type: planner.TypePinnedNote, Action: planner.ActionReplace, Key: "pinned_note.hello",
					Reason: "notes cannot be edited: a new note is posted and the old one deleted",
					Attrs:  []planner.AttrChange{{Name: "text", Before: "Hello!", After: "Hello,\nworld!"}, {Name: "visibility", Before: "home", After: "public"}}},
				{Address: "account.weather.user_list.friends", Type: planner.TypeUserList, Action: planner.ActionUpdate, Key: "user_list.friends",
					Attrs: []planner.AttrChange{{Name: "members", Before: []any{"@a@x.example", "@b@x.example"}, After: []any{"@a@x.example", "@c@x.example"}}}},
				{Address: `account.weather.drive_file["old.png"]`, Type: planner.TypeDriveFile, Action: planner.ActionDelete, Key: `drive_file["old.png"]`,
					Attrs: []planner.AttrChange{{Name: "path", Before: "old.png"}, {Name: "content", Before: map[string]any{"md5": md5a, "size": 3 << 20}}}},
				{Address: "account.weather.profile.avatar~f0", Type: planner.TypeDriveFile, Action: planner.ActionDelete, Key: "profile.avatar~f0", Followup: true,
					Reason: "the old avatar, replaced above"},
			},
			Notes: []string{
				"3 follow(s) not managed by this configuration (left alone).",
				"Rate limits: the apply will wait about 2m30s.",
			},
		},
		&planner.AccountPlan{
			Address: "account.news", Host: "https://news.example", Username: "news",
			Adopt:  []planner.Owned{{Key: "follow[\"@x@y.example\"]"}, {Key: "antenna.tech"}},
			Forget: []string{"user_list.gone"},
		},
		&planner.AccountPlan{
			Address: "account.quiet", Host: "https://misskey.example", Username: "quiet",
			Notes: []string{"12 follow(s) not managed by this configuration (left alone)."},
		},
	)
}

func TestMarkdownGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		plan *planner.Plan
		opts MarkdownOptions
	}{
		{"profile.md", samplePlan(), MarkdownOptions{Version: "1.2.3"}},
		{"truncated_diff.md", fleetPlan(), MarkdownOptions{Version: "1.2.3", PlanFileHash: "sha256:5e0b9c", MaxBytes: 1400}},
		{"fleet.md", fleetPlan(), MarkdownOptions{Version: "1.2.3", PlanFileHash: "sha256:5e0b9c"}},
		{"no_changes.md", planner.New(&planner.AccountPlan{Address: "account.x", Host: "https://misskey.example", Username: "x"}), MarkdownOptions{}},
		{"no_changes_fleet.md", planner.New(fleetPlan().Accounts[1:]...), MarkdownOptions{Version: "1.2.3"}},
		{"hostile.md", hostilePlan(), MarkdownOptions{Version: "1.2.3", Diagnostics: []string{"variable `x` is </details> *unused*"}}},
		{"partial.md", partialPlan(), MarkdownOptions{Version: "1.2.3"}},
		{"truncated.md", fleetPlan(), MarkdownOptions{Version: "1.2.3", PlanFileHash: "sha256:5e0b9c", MaxBytes: 2500}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := markdown(t, tc.plan, tc.opts)
			golden(t, tc.name, got)
			if again := markdown(t, tc.plan, tc.opts); again != got {
				t.Error("a second rendering differs: the output is not stable")
			}
		})
	}
}

// The first line is the summary line, as `plan` prints it.
func TestMarkdownSummaryFirst(t *testing.T) {
	for _, tc := range []struct {
		plan *planner.Plan
		want string
	}{
		{fleetPlan(), "**Plan:** 4 to add, 2 to change, 3 to destroy.\n"},
		{samplePlan(), "**Plan:** 0 to add, 1 to change, 0 to destroy.\n"},
		{planner.New(&planner.AccountPlan{Address: "account.x"}), "**No changes.** The account matches the configuration.\n"},
	} {
		got := markdown(t, tc.plan, MarkdownOptions{})
		if first, _, _ := strings.Cut(got, "\n"); first+"\n" != tc.want {
			t.Errorf("first line %q, want %q", first, tc.want)
		}
	}
}

// An account opens when apply does something for it; one with nothing to
// do, notes or not, stays closed.
func TestMarkdownDetailsOpen(t *testing.T) {
	got := markdown(t, fleetPlan(), MarkdownOptions{})
	for addr, open := range map[string]bool{"account.weather": true, "account.news": true, "account.quiet": false} {
		tag := "<details><summary><code>" + addr + "</code>"
		if open {
			tag = "<details open><summary><code>" + addr + "</code>"
		}
		if !strings.Contains(got, tag) {
			t.Errorf("missing %q", tag)
		}
	}
}

// hostilePlan carries user text written to break Markdown out of its place.
func hostilePlan() *planner.Plan {
	bio := "```\n</details>\n<script>alert(1)</script>\n````more\r```\ninjected\x00 \xff end"
	return planner.New(&planner.AccountPlan{
		Address: "account.evil", Host: "https://misskey.example", Username: "evil",
		Changes: []*planner.Change{
			{Address: "account.evil.profile", Type: planner.TypeProfile, Action: planner.ActionUpdate,
				Attrs: []planner.AttrChange{
					{Name: "description", Before: "plain", After: bio},
					{Name: "name", Before: "a", After: "</summary></details><img src=x onerror=alert(1)>"},
				}},
			{Address: "account.evil.pinned_note.p", Type: planner.TypePinnedNote, Action: planner.ActionCreate, Key: "pinned_note.p",
				Attrs: []planner.AttrChange{{Name: "text", After: "`````\nfenced\n`````"}}},
		},
		Notes: []string{
			"folder \"``` </details>\" keeps 2 file(s)",
			"follow request to @octocat@github.com pending; see [link](javascript:alert(1)) & <b>bold</b> *em* $x$ | ~~s~~ #1",
			"line\nbreak\r\n# heading",
		},
	})
}

func TestMarkdownEscaping(t *testing.T) {
	got := markdown(t, hostilePlan(), MarkdownOptions{Diagnostics: []string{"variable `x` is </details> *unused*"}})
	// Only mkctl's own tags are HTML: every <details>, </details>,
	// <summary> is at the start of a line outside code.
	outside := textOutsideFences(got)
	for _, bad := range []string{"<script", "<img", "<b>", "](javascript", " *em*", "$x$", "~~s~~"} {
		if strings.Contains(outside, bad) {
			t.Errorf("outside code, the Markdown holds %q:\n%s", bad, outside)
		}
	}
	if n, m := strings.Count(outside, "<details"), strings.Count(outside, "</details>"); n != 1 || m != 1 {
		t.Errorf("%d <details> and %d </details> outside code, want 1 and 1:\n%s", n, m, outside)
	}
	// A Misskey handle is a code span, not a GitHub mention.
	if !strings.Contains(got, "`@octocat@github.com`") {
		t.Errorf("the handle is not a code span:\n%s", got)
	}
	// A note stays on its line: a heading cannot start.
	if regexp.MustCompile(`(?m)^#`).MatchString(outside) {
		t.Errorf("a note started a line of its own:\n%s", outside)
	}
	// The diff fence is longer than any backtick run in the bio.
	if !strings.Contains(got, "\n``````diff\n") {
		t.Errorf("the fence is not longer than the content's backticks:\n%s", got)
	}
	if strings.ContainsAny(got, "\r\x00") || !utf8.ValidString(got) {
		t.Errorf("control characters or invalid UTF-8 in the output: %q", got)
	}
}

// Whatever the bound, the output fits it, is valid UTF-8, closes every
// fence and <details>, keeps the summary line and the trailer, and says
// what it left out.
func TestMarkdownTruncation(t *testing.T) {
	p := bigPlan(40)
	full := markdown(t, p, MarkdownOptions{MaxBytes: -1, Version: "1.2.3", PlanFileHash: "sha256:feed"})
	if len(full) < 20000 {
		t.Fatalf("the plan is only %d bytes", len(full))
	}
	if got := markdown(t, p, MarkdownOptions{MaxBytes: len(full), Version: "1.2.3", PlanFileHash: "sha256:feed"}); got != full {
		t.Error("an output that fits exactly is not the full output")
	}
	for limit := 800; limit < len(full); limit += 97 {
		got := markdown(t, p, MarkdownOptions{MaxBytes: limit, Version: "1.2.3", PlanFileHash: "sha256:feed"})
		if len(got) > limit {
			t.Fatalf("limit %d: %d bytes", limit, len(got))
		}
		if !strings.HasPrefix(got, "**Plan:** 40 to add, 40 to change, 0 to destroy.\n") {
			t.Fatalf("limit %d: the summary line is not first:\n%s", limit, got)
		}
		if !strings.Contains(got, "> **Truncated:** this comment shows ") || !strings.Contains(got, "`sha256:feed`") {
			t.Fatalf("limit %d: no truncation notice with the hash:\n%s", limit, got)
		}
		if !strings.HasSuffix(got, "<sub>mkctl 1.2.3 · plan file <code>sha256:feed</code></sub>\n") {
			t.Fatalf("limit %d: the trailer is missing:\n%s", limit, got)
		}
		m := regexp.MustCompile(`shows \d+ of 40 accounts in full and (\d+) of 80 resource changes; the rest, from ` + "`" + `(account\.a\d+)` + "`" + ` on`).FindStringSubmatch(got)
		if m == nil {
			t.Fatalf("limit %d: notice:\n%s", limit, got)
		}
		var shown int
		fmt.Sscan(m[1], &shown)
		// Every change counted as shown is there whole: its closing brace
		// follows its header.
		if c := strings.Count(got, "\n  }\n"); c != shown {
			t.Fatalf("limit %d: %d changes shown whole, the notice says %d", limit, c, shown)
		}
	}
	// The default bound is GitHub's comment limit, less a margin.
	huge := markdown(t, bigPlan(400), MarkdownOptions{PlanFileHash: "sha256:feed"})
	if len(huge) > DefaultMarkdownMaxBytes || utf8.RuneCountInString(huge) > 65535 {
		t.Fatalf("default bound: %d bytes", len(huge))
	}
	if !strings.Contains(huge, "did not fit in 65000 bytes") {
		t.Fatal("the default bound did not truncate a huge plan")
	}
}

// A line that does not fit is left out whole: the cut never falls inside
// a multi-byte character (the texts below are all 3- and 4-byte runes).
func TestMarkdownTruncationMultiByte(t *testing.T) {
	p := bigPlan(10)
	for limit := 700; limit < 9000; limit++ {
		var b bytes.Buffer
		if err := MarkdownPlan(&b, p, MarkdownOptions{MaxBytes: limit}); err != nil {
			t.Fatal(err)
		}
		got := b.String()
		if len(got) > limit || !utf8.ValidString(got) {
			t.Fatalf("limit %d: %d bytes, valid UTF-8 %v", limit, len(got), utf8.ValidString(got))
		}
		checkMarkdown(t, got)
	}
}

// A bound smaller than the summary line and the notice still writes them.
func TestMarkdownTinyBound(t *testing.T) {
	got := markdown(t, bigPlan(3), MarkdownOptions{MaxBytes: 10})
	if !strings.HasPrefix(got, "**Plan:**") || !strings.Contains(got, "shows 0 of 3 accounts in full and 0 of 6 resource changes") {
		t.Fatalf("got:\n%s", got)
	}
}

// bigPlan has n accounts, each with a profile update whose bio is
// Japanese and emoji and a follow.
func bigPlan(n int) *planner.Plan {
	var accts []*planner.AccountPlan
	for i := range n {
		addr := fmt.Sprintf("account.a%d", i)
		bio := strings.Repeat("天気予報ボット🌦️です。\n", 8+i%5)
		accts = append(accts, &planner.AccountPlan{
			Address: addr, Host: "https://misskey.example", Username: fmt.Sprintf("a%d", i),
			Changes: []*planner.Change{
				{Address: addr + ".profile", Type: planner.TypeProfile, Action: planner.ActionUpdate,
					Attrs: []planner.AttrChange{{Name: "description", Before: "古い🌧️", After: bio}}},
				{Address: addr + `.follow["@天気@example.social"]`, Type: planner.TypeFollow, Action: planner.ActionCreate,
					Attrs: []planner.AttrChange{{Name: "account", After: "@天気@example.social"}}},
			},
			Notes: []string{"🌈 2 follow(s) not managed by this configuration (left alone)."},
		})
	}
	return planner.New(accts...)
}

var fenceRE = regexp.MustCompile("^(`{3,})(.*)$")

// checkMarkdown fails when a fence or a <details> is left open, when
// mkctl's tags are unbalanced, or when the text is not valid UTF-8.
func checkMarkdown(t *testing.T, md string) {
	t.Helper()
	if !utf8.ValidString(md) {
		t.Fatalf("invalid UTF-8:\n%q", md)
	}
	if !strings.HasSuffix(md, "\n") {
		t.Fatalf("no final newline:\n%s", md)
	}
	fence := ""
	depth := 0
	for i, line := range strings.Split(md, "\n") {
		if fence != "" {
			if strings.TrimRight(line, "`") == "" && len(line) >= len(fence) {
				fence = ""
			}
			continue
		}
		if m := fenceRE.FindStringSubmatch(line); m != nil {
			fence = m[1]
			continue
		}
		switch {
		case strings.HasPrefix(line, "<details"):
			depth++
			if depth > 1 {
				t.Fatalf("line %d: nested <details>:\n%s", i+1, md)
			}
		case line == "</details>":
			depth--
			if depth < 0 {
				t.Fatalf("line %d: </details> without <details>:\n%s", i+1, md)
			}
		}
	}
	if fence != "" || depth != 0 {
		t.Fatalf("left open: fence %q, <details> depth %d:\n%s", fence, depth, md)
	}
}

// textOutsideFences is md without the content of its fenced code blocks.
func textOutsideFences(md string) string {
	var b strings.Builder
	fence := ""
	for _, line := range strings.Split(md, "\n") {
		if fence != "" {
			if strings.TrimRight(line, "`") == "" && len(line) >= len(fence) {
				fence = ""
			}
			continue
		}
		if m := fenceRE.FindStringSubmatch(line); m != nil {
			fence = m[1]
			continue
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

// partialPlan is a plan limited by --target and --exclude.
func partialPlan() *planner.Plan {
	p := planner.New(fleetPlan().Accounts[0])
	p.Accounts[0].Changes = p.Accounts[0].Changes[3:4]
	p.Accounts[0].Notes = nil
	p.Partial = &planner.Partial{Targets: []string{`account.weather.follow["@alice@example.social"]`}, Excludes: []string{"account.news"}}
	return p
}

// A partial plan says so right under the summary line, the handle in it a
// code span.
func TestMarkdownPartial(t *testing.T) {
	got := markdown(t, partialPlan(), MarkdownOptions{})
	want := "**Plan:** 1 to add, 0 to change, 0 to destroy.\n\n> **Note:** this plan is partial: --target `account.weather.follow[\"@alice@example.social\"]` --exclude account.news limited it;"
	if !strings.HasPrefix(got, want) {
		t.Errorf("got:\n%s\nwant it to start with:\n%s", got, want)
	}
}
