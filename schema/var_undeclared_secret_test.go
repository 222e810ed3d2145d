package schema

import (
	"path/filepath"
	"strings"
	"testing"
)

// A --var for an undeclared (misspelt) variable is reported with its name,
// and its value appears neither in the diagnostic nor in the files the
// diagnostic's snippet is taken from.
func TestUndeclaredVarValueNotShown(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "main.mk.hcl"), `variable "hook" { sensitive = true }
account "a" {
  host     = "misskey.example"
  username = "a"
}
`)
	_, files, diags := Load(dir, LoadOptions{Vars: map[string]string{"hok": "s3cret-value-123"}})
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "hok") {
		t.Fatalf("want an error naming hok, got %v", diags)
	}
	if strings.Contains(diags.Error(), "s3cret") {
		t.Errorf("the value is in the diagnostic: %v", diags)
	}
	for name, f := range files {
		if strings.Contains(string(f.Bytes), "s3cret") {
			t.Errorf("the value is in %s, from which snippets are shown", name)
		}
	}
}
