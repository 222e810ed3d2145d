package schema

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func scheduledDir(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "main.mk.hcl"), "account \"bot\" {\n  host = \"misskey.example\"\n  username = \"bot\"\n  drive_file \"notes.txt\" { source = \"notes.txt\" }\n  "+body+"\n}\n")
	writeFile(t, filepath.Join(dir, "notes.txt"), "hello\n")
	return dir
}

func TestScheduledNoteBlock(t *testing.T) {
	dir := scheduledDir(t, `scheduled_note "xmas" {
    text       = "  Merry Christmas!  "
    at         = "2099-12-24T09:00:00+09:00"
    visibility = "home"
    cw         = "holiday"
    local_only = true
    files      = [drive_file["notes.txt"]]
  }`)
	cfg := mustLoad(t, dir, LoadOptions{})
	ns := cfg.Accounts[0].ScheduledNotes
	if len(ns) != 1 {
		t.Fatalf("%d scheduled notes", len(ns))
	}
	n := ns[0]
	want := time.Date(2099, 12, 24, 0, 0, 0, 0, time.UTC)
	if n.Label != "xmas" || n.Text != "Merry Christmas!" || !n.At.Equal(want) || n.Visibility != "home" || n.CW == nil || *n.CW != "holiday" ||
		!n.LocalOnly || len(n.Files) != 1 || n.Files[0] != "notes.txt" {
		t.Errorf("scheduled note %+v", n)
	}
	if diags := PastScheduledNotes(cfg, time.Date(2099, 12, 23, 0, 0, 0, 0, time.UTC)); len(diags) != 0 {
		t.Errorf("a future time refused: %v", diags)
	}
	// After its time, validate refuses it, pointing at at.
	diags := PastScheduledNotes(cfg, want)
	if len(diags) != 1 || diags[0].Subject == nil || diags[0].Subject.Start.Line != 7 || !strings.Contains(diags[0].Detail, "remove the block") {
		t.Fatalf("past time: %v", diags)
	}
}

func TestScheduledNoteDiagnostics(t *testing.T) {
	cases := []struct{ name, body, want string }{
		{"no at", `scheduled_note "a" { text = "x" }`, `"at" is required`},
		{"not RFC 3339", `scheduled_note "a" {
    text = "x"
    at = "2099-12-24"
  }`, "Invalid at"},
		{"null at", `scheduled_note "a" {
    text = "x"
    at = null
  }`, "at cannot be null"},
		{"no text", `scheduled_note "a" { at = "2099-12-24T09:00:00Z" }`, `"text" is required`},
		// The body is a pinned note's, but a scheduled note's error must
		// not call it one.
		{"null text", `scheduled_note "a" {
    text = null
    at = "2099-12-24T09:00:00Z"
  }`, "text cannot be null: a note needs text."},
		{"undeclared file", `scheduled_note "a" {
    text = "x"
    at = "2099-12-24T09:00:00Z"
    files = ["nope.png"]
  }`, "Undeclared drive_file"},
		{"duplicate", "scheduled_note \"a\" {\n    text = \"x\"\n    at = \"2099-12-24T09:00:00Z\"\n  }\n  scheduled_note \"a\" {\n    text = \"y\"\n    at = \"2099-12-24T09:00:00Z\"\n  }", "Duplicate scheduled_note block"},
		{"misspelt", `scheduled_note "a" {
    text = "x"
    scheduled_at = "2099-12-24T09:00:00Z"
  }`, `"at"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, diags := Load(scheduledDir(t, c.body), LoadOptions{})
			var all strings.Builder
			for _, d := range diags {
				all.WriteString(d.Summary + ": " + d.Detail + "\n")
			}
			if !diags.HasErrors() || !strings.Contains(all.String(), c.want) {
				t.Fatalf("diagnostics %v, want one containing %q", diags, c.want)
			}
			for _, d := range diags {
				if d.Subject == nil || d.Subject.Filename == "" {
					t.Errorf("unlocated diagnostic %s", d.Error())
				}
			}
		})
	}
}
