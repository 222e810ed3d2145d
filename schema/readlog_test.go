package schema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Load with a ReadLog lists every input of the configuration: its files,
// the files it reads, what it uploads and each variable's value, hashed.
func TestReadLogListsEveryInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("main.mk.hcl", `
variable "secret" { type = string }
variable "motto" {
  type    = string
  default = "rain"
}
account "bot" {
  host     = "misskey.example"
  username = "bot"
  profile {
    description = file("texts/bio.txt")
    name        = templatefile("name.tpl", { motto = var.motto })
  }
  drive_file "notes.txt" { source = "img/notes.txt" }
  pinned_note "about" { text = "x${substr(var.secret, 0, 0)}" }
}
`)
	write("texts/bio.txt", "Bio.")
	write("name.tpl", "News ${motto}")
	write("img/notes.txt", "Notes.")
	varFile := filepath.Join(dir, "vars.hcl")
	write("vars.hcl", `motto = "sun"`)
	log := &ReadLog{}
	_, _, diags := Load(dir, LoadOptions{Vars: map[string]string{"secret": "hunter2-token"}, VarFiles: []string{varFile}, ReadLog: log})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	got := map[string]string{}
	for _, e := range log.Entries() {
		got[e.Kind+" "+e.Name] = e.Digest
		if strings.Contains(e.Digest, "hunter2") || strings.Contains(e.Name, "hunter2") {
			t.Errorf("a variable's value in the log: %+v", e)
		}
	}
	for _, want := range []string{
		"config main.mk.hcl", "file texts/bio.txt", "file name.tpl", "upload img/notes.txt",
		"variable var.secret", "variable var.motto", "var_file " + filepath.ToSlash(varFile),
	} {
		if got[want] == "" {
			t.Errorf("no entry %q in %v", want, got)
		}
	}
	if !strings.HasPrefix(got["upload img/notes.txt"], "md5:") || !strings.HasPrefix(got["config main.mk.hcl"], "sha256:") {
		t.Errorf("digests: %v", got)
	}

	// Another value of a variable, another digest for it alone.
	log2 := &ReadLog{}
	if _, _, diags := Load(dir, LoadOptions{Vars: map[string]string{"secret": "other"}, VarFiles: []string{varFile}, ReadLog: log2}); diags.HasErrors() {
		t.Fatal(diags)
	}
	for _, e := range log2.Entries() {
		k := e.Kind + " " + e.Name
		if (got[k] != e.Digest) != (k == "variable var.secret") {
			t.Errorf("%s: digest %s, was %s", k, e.Digest, got[k])
		}
	}
}
