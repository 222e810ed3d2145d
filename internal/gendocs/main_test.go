package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// TestGenerate: one man page per command a user can run (the completion
// command's too), each naming its command and every flag it takes; the
// four completion scripts.
func TestGenerate(t *testing.T) {
	dir := t.TempDir()
	date := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	if err := generate(dir, "v1.2.3", date); err != nil {
		t.Fatal(err)
	}
	var want []*cobra.Command
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		want = append(want, c)
		for _, s := range c.Commands() {
			if s.IsAvailableCommand() && !s.IsAdditionalHelpTopicCommand() {
				walk(s)
			}
		}
	}
	walk(newRoot())
	pages, _ := filepath.Glob(filepath.Join(dir, "man", "*.1"))
	if len(pages) != len(want) {
		t.Errorf("%d man pages, want one for each of the %d commands: %v", len(pages), len(want), pages)
	}
	seen := map[string]bool{}
	for _, c := range want {
		name := strings.ReplaceAll(c.CommandPath(), " ", "-")
		seen[name] = true
		data, err := os.ReadFile(filepath.Join(dir, "man", name+".1"))
		if err != nil {
			t.Errorf("no man page for %q: %v", c.CommandPath(), err)
			continue
		}
		page := string(data)
		// roff escapes the dashes of names and flags.
		plain := strings.ReplaceAll(page, `\-`, "-")
		if !strings.Contains(plain, `.TH "`+strings.ToUpper(name)+`" "1" "Nov 2026" "mkctl 1.2.3" "mkctl manual"`) {
			t.Errorf("%s.1: header %q", name, strings.SplitN(page, "\n", 3)[1])
		}
		if !strings.Contains(plain, name+" - "+c.Short) {
			t.Errorf("%s.1 lacks its NAME line %q", name, name+" - "+c.Short)
		}
		c.NonInheritedFlags().VisitAll(func(f *pflag.Flag) {
			if !f.Hidden && !strings.Contains(plain, `\fB--`+f.Name+`\fP`) {
				t.Errorf("%s.1 lacks its flag --%s", name, f.Name)
			}
		})
	}
	for _, must := range []string{"mkctl", "mkctl-plan", "mkctl-apply", "mkctl-completion-bash", "mkctl-sandbox-serve"} {
		if !seen[must] {
			t.Errorf("no command %s among %v", must, seen)
		}
	}
	plan, _ := os.ReadFile(filepath.Join(dir, "man", "mkctl-plan.1"))
	if !strings.Contains(string(plan), `\fB--target\fP`) || !strings.Contains(string(plan), `\fB--chdir\fP`) {
		t.Errorf("mkctl-plan.1 lacks --target or the inherited --chdir:\n%s", plan)
	}
	for file, marker := range map[string]string{
		"mkctl.bash": "__start_mkctl",
		"mkctl.zsh":  "#compdef mkctl",
		"mkctl.fish": "complete -c mkctl",
		"mkctl.ps1":  "Register-ArgumentCompleter",
	} {
		data, err := os.ReadFile(filepath.Join(dir, "completions", file))
		if err != nil || !strings.Contains(string(data), marker) || !strings.Contains(string(data), "__complete") {
			t.Errorf("completions/%s: %v, lacks %q or __complete", file, err, marker)
		}
	}
}

func TestChangelogSection(t *testing.T) {
	const log = "# Changelog\n\nintro\n\n## Unreleased\n\n- soon\n\n## [1.2.0] - 2026-12-01\n\n- new\n- more\n\n## v1.1.0\n\n- old\n\n## 1.0.0\n\n"
	for _, tc := range []struct{ name, want, err string }{
		{"Unreleased", "- soon\n", ""},
		{"1.2.0", "- new\n- more\n", ""},
		{"v1.2.0", "- new\n- more\n", ""},
		{"1.1.0", "- old\n", ""},
		{"1.1", "", `no section "## 1.1"`}, // a prefix of a version is not the version
		{"1.0.0", "", "is empty"},
		{"2.0.0", "", `no section "## 2.0.0"`},
	} {
		got, err := changelogSection(log, tc.name)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: %q, %v; want an error with %q", tc.name, got, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s: %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
}

// TestChangelog: the repository's CHANGELOG.md has the Unreleased section
// and a section with notes for the first release.
func TestChangelog(t *testing.T) {
	data, err := os.ReadFile("../../CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, section := range []string{"Unreleased", "0.1.0"} {
		if _, err := changelogSection(string(data), section); err != nil {
			t.Error(err)
		}
	}
	dir := t.TempDir()
	if err := writeNotes("../../CHANGELOG.md", "v0.1.0", filepath.Join(dir, "notes.md")); err != nil {
		t.Fatal(err)
	}
	if notes, _ := os.ReadFile(filepath.Join(dir, "notes.md")); !strings.HasPrefix(string(notes), "The first release.") {
		t.Errorf("release notes of 0.1.0: %q", notes)
	}
}
