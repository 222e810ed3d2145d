package cmd

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestArgsSingleDashLongFlags(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		// Terraform's spelling, as issue 10 writes it.
		{"fmt -check -diff -recursive accounts", "fmt --check --diff --recursive accounts"},
		{"plan -detailed-exitcode", "plan --detailed-exitcode"},
		// Two dashes stay as they are.
		{"fmt --check --diff", "fmt --check --diff"},
		// = values, and flags after a positional argument.
		{"fmt -check=false accounts -diff", "fmt --check=false accounts --diff"},
		// Persistent flags, before or after the command.
		{"-chdir=dir plan", "--chdir=dir plan"},
		{"-chdir dir plan -no-color", "--chdir dir plan --no-color"},
		{"plan -chdir dir", "plan --chdir dir"},
		// A flag's value is never rewritten, however it looks.
		{"plan --var -check", "plan --var -check"},
		{"plan -var -detailed-exitcode", "plan --var -detailed-exitcode"},
		{"plan -var x=-foo -var-file -v.hcl", "plan --var x=-foo --var-file -v.hcl"},
		{"-chdir -plan plan", "--chdir -plan plan"},
		// Nor anything after --.
		{"fmt -- -check -diff", "fmt -- -check -diff"},
		{"fmt -check -- -diff", "fmt --check -- -diff"},
		// Standard input and negative numbers are no flags.
		{"fmt -", "fmt -"},
		{"fmt -1 -.5", "fmt -1 -.5"},
		// Shorthands (and unknown names) are left to pflag.
		{"plan -h", "plan -h"},
		{"fmt -nope", "fmt -nope"},
		// A flag of another command is not one of this command's.
		{"validate -check", "validate -check"},
		{"validate -json", "validate --json"},
		// cobra's own flags.
		{"plan -help", "plan --help"},
		{"-version", "--version"},
		// Nested commands.
		{"sandbox serve -listen 127.0.0.1:0", "sandbox serve --listen 127.0.0.1:0"},
		// A positional argument that names a command is only an argument.
		{"fmt plan -check", "fmt plan --check"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			root := NewRootCmd(&IOStreams{In: strings.NewReader(""), Out: &strings.Builder{}, ErrOut: &strings.Builder{}})
			got := singleDashLongFlags(root, strings.Fields(tt.in))
			if want := strings.Fields(tt.want); !reflect.DeepEqual(got, want) {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}

// TestArgsPlanDetailedExitcodeSingleDash runs terraform's spelling end to
// end: `mkctl plan -detailed-exitcode` exits 2 when there are changes.
func TestArgsPlanDetailedExitcodeSingleDash(t *testing.T) {
	dir := t.TempDir()
	cfg := `account "demo" {
  host     = "misskey.invalid"
  username = "demo"
  profile {
    name = "Demo"
  }
}
`
	if err := os.WriteFile(filepath.Join(dir, "account.mk.hcl"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	out := runMkctl(t, ExitChanges, "plan", "-sandbox", "-detailed-exitcode", "-chdir="+dir)
	if !strings.Contains(out, "1 to change") {
		t.Fatalf("plan: %s", out)
	}
	runMkctl(t, ExitOK, "apply", "-sandbox", "-auto-approve", "-chdir", dir)
	runMkctl(t, ExitOK, "plan", "-sandbox", "-detailed-exitcode", "-chdir", dir)
}
