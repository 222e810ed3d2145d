package schema

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestNameLabelNUL: a NUL character (U+0000) in a clip's (or a list's,
// antenna's, webhook's, folder's) name is a located error at the label:
// Misskey answers 500 INTERNAL_ERROR for it (PostgreSQL: invalid byte
// sequence), as every value with one already is.
func TestNameLabelNUL(t *testing.T) {
	for _, kind := range []string{"clip", "user_list", "webhook"} {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "main.mk.hcl"), "account \"a\" {\n  host = \"misskey.example\"\n  username = \"a\"\n  "+kind+" \"a\\u0000b\" {}\n}\n")
			_, _, diags := Load(dir, LoadOptions{})
			found := false
			for _, d := range diags {
				if strings.Contains(d.Detail, "NUL") && d.Subject != nil && d.Subject.Start.Line == 4 {
					found = true
				}
			}
			if !found {
				t.Fatalf("diagnostics %v, want a NUL error at the label", diags)
			}
		})
	}
}
