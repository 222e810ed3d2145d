package cmd

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/mkctl/mkctl/schema"
)

// TestFmtExamplesCanonical keeps every HCL file under examples/ canonical:
// hclwrite.Format (and so mkctl fmt) leaves it unchanged.
func TestFmtExamplesCanonical(t *testing.T) {
	n := 0
	err := filepath.WalkDir("../examples", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir // .mkctl: the quick start's sandbox state
		}
		if d.IsDir() || !strings.HasSuffix(path, ".hcl") {
			return nil
		}
		n++
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if _, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos); diags.HasErrors() {
			t.Errorf("%s: %s", path, diags.Error())
		}
		if out := hclwrite.Format(src); !bytes.Equal(out, src) {
			t.Errorf("%s is not canonical; run mkctl fmt -recursive examples:\n%s", path, unifiedDiff("a/"+path, "b/"+path, src, out))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no HCL file found under examples/")
	}
}

// writeFiles writes name → content files under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// runMkctlIn is runMkctl with standard input.
func runMkctlIn(t *testing.T, stdin string, wantCode int, args ...string) (string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	io := &IOStreams{In: strings.NewReader(stdin), Out: &out, ErrOut: &errOut}
	if code := Main(io, args); code != wantCode {
		t.Fatalf("mkctl %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, wantCode, out.String(), errOut.String())
	}
	return out.String(), errOut.String()
}

func TestFmtExitCodes(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"ok/a.mk.hcl":     "a = 1\n",
		"ugly/a.mk.hcl":   "a  = 1\n",
		"broken/a.mk.hcl": "a = [\n",
		"both/a.mk.hcl":   "a = [\n",
		"both/b.mk.hcl":   "b  = 1\n",
	})
	d := func(name string) string { return filepath.Join(dir, name) }
	runMkctl(t, ExitOK, "fmt", d("ok"))
	runMkctl(t, ExitOK, "fmt", "-check", d("ok"))
	runMkctl(t, ExitFmtCheck, "fmt", "-check", d("ugly"))
	runMkctl(t, ExitFmtCheck, "fmt", "--check", d("ugly"))
	runMkctl(t, ExitOK, "fmt", d("ugly")) // rewritten: success
	runMkctl(t, ExitOK, "fmt", "-check", d("ugly"))
	runMkctl(t, ExitError, "fmt", d("broken"))
	// An error wins over a change.
	runMkctl(t, ExitError, "fmt", "-check", d("both"))
	runMkctlIn(t, "a  = 1\n", ExitFmtCheck, "fmt", "-check", "-")
	runMkctlIn(t, "a = 1\n", ExitOK, "fmt", "-check", "-")
	runMkctlIn(t, "a = [\n", ExitError, "fmt", "-")
}

// TestFmtKeepsModeAndLinks: a rewritten file keeps its mode, a symbolic
// link stays a link (its target is rewritten), and no temporary file is
// left behind.
func TestFmtKeepsModeAndLinks(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"cfg/a.mk.hcl":      "a  = 1\n",
		"shared/common.hcl": "c  = 1\n",
	})
	a := filepath.Join(dir, "cfg", "a.mk.hcl")
	if err := os.Chmod(a, 0o640); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "cfg", "common.mk.hcl")
	if err := os.Symlink(filepath.Join("..", "shared", "common.hcl"), link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	out := runMkctl(t, ExitOK, "fmt", filepath.Join(dir, "cfg"))
	if want := a + "\n" + link + "\n"; out != want {
		t.Errorf("stdout %q, want %q", out, want)
	}
	if got := readFile(t, a); got != "a = 1\n" {
		t.Errorf("a.mk.hcl = %q", got)
	}
	if info, err := os.Stat(a); err != nil || info.Mode().Perm() != 0o640 {
		t.Errorf("a.mk.hcl mode %v (%v), want 0640", info.Mode().Perm(), err)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("common.mk.hcl is no longer a symbolic link: %v %v", info.Mode(), err)
	}
	if got := readFile(t, filepath.Join(dir, "shared", "common.hcl")); got != "c = 1\n" {
		t.Errorf("the link's target = %q", got)
	}
	// A link to a directory, given as PATH, is formatted through.
	writeFiles(t, dir, map[string]string{"cfg/b.mk.hcl": "b  = 1\n"})
	dirLink := filepath.Join(dir, "cfglink")
	if err := os.Symlink("cfg", dirLink); err != nil {
		t.Fatal(err)
	}
	if out := runMkctl(t, ExitOK, "fmt", dirLink); out != filepath.Join(dirLink, "b.mk.hcl")+"\n" {
		t.Errorf("fmt through a link to a directory: stdout %q", out)
	}
	for _, sub := range []string{"cfg", "shared"} {
		entries, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") {
				t.Errorf("temporary file left behind: %s/%s", sub, e.Name())
			}
		}
	}
}

// TestFmtCRLF: a Windows checkout keeps its line endings; a canonical one
// is not reported as changed.
func TestFmtCRLF(t *testing.T) {
	dir := t.TempDir()
	canonical := "account \"a\" {\r\n  host     = \"misskey.example\"\r\n  username = \"a\"\r\n  profile {\r\n    description = <<-EOT\r\n      two  \r\n      lines\r\n    EOT\r\n  }\r\n}\r\n"
	writeFiles(t, dir, map[string]string{
		"ok/a.mk.hcl":   canonical,
		"ugly/a.mk.hcl": strings.ReplaceAll(canonical, "host     =", "host="),
	})
	runMkctl(t, ExitOK, "fmt", "-check", filepath.Join(dir, "ok"))
	runMkctl(t, ExitOK, "fmt", filepath.Join(dir, "ugly"))
	if got := readFile(t, filepath.Join(dir, "ugly", "a.mk.hcl")); got != canonical {
		t.Errorf("formatted CRLF file:\n%q\nwant\n%q", got, canonical)
	}
}

func TestFmtTooBig(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.mk.hcl")
	if err := os.WriteFile(big, bytes.Repeat([]byte("#\n"), schema.MaxFileBytes/2+1), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut := runMkctlIn(t, "", ExitError, "fmt", dir)
	if !strings.Contains(errOut, "larger than 4 MiB") {
		t.Errorf("stderr: %s", errOut)
	}
	_, errOut = runMkctlIn(t, strings.Repeat("#\n", schema.MaxFileBytes/2+1), ExitError, "fmt", "-")
	if !strings.Contains(errOut, "standard input is larger than 4 MiB") {
		t.Errorf("stderr: %s", errOut)
	}
}

// TestFmtFormatHCL: text between quotes and in heredocs is kept byte for
// byte, the layout around it is hclwrite's, and formatting is idempotent.
func TestFmtFormatHCL(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{
			name: "interpolation spaces kept",
			in:   "a=\"x ${ var.y }  z\"\nbb = \"$${ not }\"\n",
			want: "a  = \"x ${ var.y }  z\"\nbb = \"$${ not }\"\n",
		},
		{
			name: "nested strings",
			in:   "a  = \"${ join( \", \", [ \"${ x }\" ] ) }\"\n",
			want: "a = \"${ join( \", \", [ \"${ x }\" ] ) }\"\n",
		},
		{
			name: "heredoc with a multi-line interpolation and directives",
			in:   "b {\nc = <<-EOT\n    ${\n  upper(\"x\")\n        }\n  %{ for v in [1] }${ v }%{ endfor }\n    EOT\n}\n",
			want: "b {\n  c = <<-EOT\n    ${\n  upper(\"x\")\n        }\n  %{ for v in [1] }${ v }%{ endfor }\n    EOT\n}\n",
		},
		{
			name: "outside strings hclwrite decides",
			in:   "x = { a=1, bb = [ 1,2 ] }\n",
			want: "x = { a = 1, bb = [1, 2] }\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(formatHCL([]byte(tt.in)))
			if got != tt.want {
				t.Errorf("formatHCL:\n%s\nwant:\n%s", got, tt.want)
			}
			if again := string(formatHCL([]byte(got))); again != got {
				t.Errorf("not idempotent:\n%s\nthen:\n%s", got, again)
			}
			if _, diags := hclsyntax.ParseConfig([]byte(got), "x", hcl.InitialPos); diags.HasErrors() {
				t.Errorf("the result does not parse: %s", diags.Error())
			}
		})
	}
}
