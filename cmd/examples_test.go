package cmd

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExamples loads every configuration in examples/, applies it to a fresh
// sandbox and checks that a second plan reports no changes.
func TestExamples(t *testing.T) {
	dirs, err := filepath.Glob("../examples/*")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, src := range dirs {
		if files, _ := filepath.Glob(filepath.Join(src, "*.mk.hcl")); len(files) == 0 {
			continue
		}
		n++
		t.Run(filepath.Base(src), func(t *testing.T) {
			dir := t.TempDir()
			if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
				t.Fatal(err)
			}
			// Start from a fresh sandbox even when someone ran the README's
			// quick start (which keeps its state in examples/*/.mkctl).
			if err := os.RemoveAll(filepath.Join(dir, ".mkctl")); err != nil {
				t.Fatal(err)
			}
			out := runMkctl(t, 0, "validate", "--chdir", dir)
			if !strings.Contains(out, "Success!") {
				t.Fatalf("validate: %s", out)
			}
			out = runMkctl(t, 0, "apply", "--sandbox", "--auto-approve", "--chdir", dir)
			if !strings.Contains(out, "Apply complete!") {
				t.Fatalf("apply: %s", out)
			}
			out = runMkctl(t, 0, "plan", "--sandbox", "--detailed-exitcode", "--chdir", dir)
			if !strings.Contains(out, "No changes.") {
				t.Fatalf("second plan: %s", out)
			}
		})
	}
	if n == 0 {
		t.Fatal("no examples found")
	}
}

// runMkctl runs mkctl in-process and checks its exit code.
func runMkctl(t *testing.T, wantCode int, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	io := &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	if code := Main(io, args); code != wantCode {
		t.Fatalf("mkctl %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, wantCode, out.String(), errOut.String())
	}
	return out.String()
}
