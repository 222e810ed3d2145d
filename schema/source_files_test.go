package schema

import (
	"path/filepath"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// The files Load returns answer the diagnostics' questions (the source
// bytes, the block around an offset) exactly as the parsed files do,
// without holding the syntax tree.
func TestSourceFilesNavigateLikeHCL(t *testing.T) {
	dir := t.TempDir()
	src := `variable "x" {
  default = 1
}

locals {
  a = 2
}

account "weather" {
  host     = "misskey.example"
  username = "bot"
  follow "@a@b.example" {}
}

account "with \"quotes\"" {
  host = "misskey.example"
}
`
	writeFile(t, filepath.Join(dir, "main.mk.hcl"), src)
	_, files, _ := Load(dir, LoadOptions{})
	path := filepath.Join(dir, "main.mk.hcl")
	light := files[path]
	if light == nil {
		t.Fatalf("no file %s in %v", path, files)
	}
	if _, ok := light.Body.(*hclsyntax.Body); ok || string(light.Bytes) != src {
		t.Fatalf("want the bytes without the tree; got body %T, %d bytes", light.Body, len(light.Bytes))
	}
	parsed, diags := hclsyntax.ParseConfig([]byte(src), path, hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	type nav interface {
		ContextString(int) string
		ContextDefRange(int) hcl.Range
	}
	want, got := parsed.Nav.(nav), light.Nav.(nav)
	seen := map[string]bool{}
	for off := 0; off <= len(src); off++ {
		if w, g := want.ContextString(off), got.ContextString(off); w != g {
			t.Errorf("offset %d: context %q, want %q", off, g, w)
		} else {
			seen[g] = true
		}
		if w, g := want.ContextDefRange(off), got.ContextDefRange(off); w != g {
			t.Errorf("offset %d: def range %v, want %v", off, g, w)
		}
	}
	for _, c := range []string{"", `variable "x"`, "locals", `account "weather"`, `account "with \"quotes\""`} {
		if !seen[c] {
			t.Errorf("no offset gave the context %q", c)
		}
	}
}
