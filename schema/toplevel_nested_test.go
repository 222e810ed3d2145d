package schema

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestResourceBlockAtTopLevel: a resource block written outside any
// account block says where it goes, with a hint, at the block's type.
func TestResourceBlockAtTopLevel(t *testing.T) {
	for _, typ := range []string{"clip", "scheduled_note", "pinned_note", "follow", "profile", "webhook"} {
		t.Run(typ, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "main.mk.hcl"), "account \"a\" {\n  host = \"misskey.example\"\n  username = \"a\"\n}\n\n"+typ+" \"x\" {}\n")
			_, _, diags := Load(dir, LoadOptions{})
			if len(diags) != 1 {
				t.Fatalf("diagnostics %v, want one", diags)
			}
			d := diags[0]
			if d.Subject == nil || d.Subject.Start.Line != 6 || d.Subject.Start.Column != 1 {
				t.Errorf("at %v, want main.mk.hcl:6:1", d.Subject)
			}
			if !strings.Contains(d.Detail, "inside an account block") || !strings.Contains(d.Detail, "Hint:") {
				t.Errorf("detail %q, want where the block goes and a hint", d.Detail)
			}
		})
	}
}
