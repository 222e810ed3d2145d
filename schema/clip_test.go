package schema

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestClipDecode(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "main.mk.hcl"), `
account "a" {
  host     = "misskey.example"
  username = "a"
  pinned_note "welcome" { text = "hi" }
  clip "reading list" {
    description = "to read later"
    public      = true
    notes       = [pinned_note.welcome, "9xyz0123ab"]
  }
  clip "bare" {}
  clip "empty" { notes = [] }
}
`)
	cfg := mustLoad(t, dir, LoadOptions{})
	cs := cfg.Accounts[0].Clips
	if len(cs) != 3 {
		t.Fatalf("%d clips", len(cs))
	}
	c := cs[0]
	if c.Name != "reading list" || c.Description != "to read later" || !c.Public || !c.ManageNotes {
		t.Fatalf("clip %+v", c)
	}
	if len(c.Notes) != 2 || c.Notes[0].PinnedNote != "welcome" || c.Notes[0].ID != "" || c.Notes[1].ID != "9xyz0123ab" || c.Notes[0].String() != "pinned_note.welcome" {
		t.Fatalf("notes %+v", c.Notes)
	}
	if cs[1].ManageNotes || cs[1].Public || cs[1].Description != "" {
		t.Fatalf("bare clip %+v: without notes mkctl leaves the clip's notes alone", cs[1])
	}
	if !cs[2].ManageNotes || len(cs[2].Notes) != 0 {
		t.Fatalf("empty clip %+v: notes = [] empties the clip", cs[2])
	}
}

func TestClipDiagnostics(t *testing.T) {
	cases := []struct{ name, body, want string }{
		{"unknown pinned note", `pinned_note "welcome" { text = "hi" }
  clip "c" { notes = [pinned_note.welcom] }`, `Did you mean "welcome"?`},
		{"no pinned notes", `clip "c" { notes = [pinned_note.x] }`, "declares no pinned_note blocks"},
		{"unknown scheduled note", `clip "c" { notes = [scheduled_note.later] }`, "declares no scheduled_note blocks"},
		{"bad id", `clip "c" { notes = ["https://misskey.example/notes/9xyz"] }`, "not a Misskey note id"},
		{"duplicate id", `clip "c" { notes = ["9xyz", "9xyz"] }`, "Duplicate clip note"},
		{"duplicate ref", `pinned_note "w" { text = "hi" }
  clip "c" { notes = [pinned_note.w, pinned_note.w] }`, "Duplicate clip note"},
		{"string ref to a missing pin", `clip "c" { notes = ["pinned_note.nope"] }`, "Unknown pinned note"},
		{"string ref to a missing scheduled note", `scheduled_note "later" {
    text = "hi"
    at   = "2099-01-01T00:00:00Z"
  }
  clip "c" { notes = ["scheduled_note.latr"] }`, `no scheduled_note "latr". Did you mean "later"? Hint: refer to a scheduled note of this account as scheduled_note.LABEL.`},
		{"string ref to a scheduled note", `scheduled_note "later" {
    text = "hi"
    at   = "2099-01-01T00:00:00Z"
  }
  clip "c" { notes = ["scheduled_note.later", scheduled_note.later] }`, "Duplicate clip note"},
		{"duplicate clip", "clip \"c\" {}\n  clip \"c\" {}", "Duplicate clip block"},
		{"long name", `clip "` + strings.Repeat("x", 101) + `" {}`, "at most 100"},
		{"empty name", `clip "" {}`, "cannot be empty"},
		{"long description", `clip "c" { description = "` + strings.Repeat("d", 2049) + `" }`, "at most 2048"},
		{"public as string", `clip "c" { public = "true" }`, "must be a bool"},
		{"notes not a list", `clip "c" { notes = "9xyz" }`, "must be a list of strings"},
		{"name attribute", `clip "c" { name = "c" }`, "label"},
		{"pinned_note outside a clip's account", `clip "c" { notes = [pinned_note] }`, "not a value by itself"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "main.mk.hcl"), "account \"a\" {\n  host = \"misskey.example\"\n  username = \"a\"\n  "+c.body+"\n}\n")
			_, _, diags := Load(dir, LoadOptions{})
			var all strings.Builder
			for _, d := range diags {
				all.WriteString(d.Summary + ": " + d.Detail + "\n")
			}
			if !diags.HasErrors() || !strings.Contains(all.String(), c.want) {
				t.Fatalf("diagnostics %v, want one containing %q", diags, c.want)
			}
			for _, d := range diags {
				if d.Subject == nil || d.Subject.Filename == "" || d.Subject.Start.Line < 4 {
					t.Errorf("unlocated diagnostic %s", d.Error())
				}
			}
		})
	}
}

// clips { } and bookmark { } point to clip, and an empty clip name shows a
// clip example.
func TestClipBlockHints(t *testing.T) {
	for body, want := range map[string]string{
		`clips "c" {}`:    `Did you mean "clip"?`,
		`bookmark "c" {}`: `"clip"`,
		`clip "" {}`:      `clip "reading list" { ... }`,
	} {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "main.mk.hcl"), "account \"a\" {\n  host = \"misskey.example\"\n  username = \"a\"\n  "+body+"\n}\n")
		_, _, diags := Load(dir, LoadOptions{})
		if !diags.HasErrors() || !strings.Contains(diags.Error(), want) {
			t.Errorf("%s: %v, want %q", body, diags, want)
		}
	}
}
