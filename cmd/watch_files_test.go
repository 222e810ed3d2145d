package cmd

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A relative --var-file is read from the working directory, not from
// --chdir (schema.LoadOptions.VarFiles): the file watcher must watch that
// file, and must not refuse to start because --chdir has no such
// directory.
func TestWatchConfigFilesVarFileRelativeToWorkingDirectory(t *testing.T) {
	cwd := t.TempDir()
	conf := filepath.Join(cwd, "conf")
	if err := os.MkdirAll(filepath.Join(cwd, "vars"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(conf, 0o755); err != nil {
		t.Fatal(err)
	}
	varFile := filepath.Join(cwd, "vars", "prod.vars.hcl")
	if err := os.WriteFile(varFile, []byte("a = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(cwd)
	reload := make(chan string, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// conf/vars does not exist: the var file is ./vars/prod.vars.hcl.
	stop, err := watchConfigFiles(ctx, conf, []string{"vars/prod.vars.hcl"}, reload, func(err error) { t.Error(err) })
	if err != nil {
		t.Fatalf("watching --chdir conf --var-file vars/prod.vars.hcl: %v", err)
	}
	defer stop()
	if err := os.WriteFile(varFile, []byte("a = 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-reload:
		if r != "prod.vars.hcl changed" {
			t.Fatalf("reload reason %q", r)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("an edit of the --var-file made no reload")
	}
}
