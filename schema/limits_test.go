package schema

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// loadFiles writes files into a new directory and loads it.
func loadFiles(t *testing.T, files map[string]string, opts LoadOptions) (string, *Config, hcl.Diagnostics) {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		writeFile(t, filepath.Join(dir, name), content)
	}
	cfg, _, diags := Load(dir, opts)
	return dir, cfg, diags
}

// wantLocatedError checks that diags holds an error with summary at
// file:line of the configuration, whose detail contains detail.
func wantLocatedError(t *testing.T, diags hcl.Diagnostics, file string, line int, summary, detail string) {
	t.Helper()
	for _, d := range diags {
		if d.Severity == hcl.DiagError && d.Summary == summary && strings.Contains(d.Detail, detail) &&
			d.Subject != nil && filepath.Base(d.Subject.Filename) == file && d.Subject.Start.Line == line {
			return
		}
	}
	var got []string
	for _, d := range diags {
		got = append(got, "  "+diagString(d))
	}
	t.Fatalf("want an error %q at %s:%d mentioning %q; got:\n%s", summary, file, line, detail, strings.Join(got, "\n"))
}

const accountHead = `account "a" {
  host     = "misskey.example"
  username = "me"
`

// A chain of locals that doubles a string 40 times would need a terabyte;
// it stops at the first local over the limit.
func TestDoublingLocalsStop(t *testing.T) {
	var b strings.Builder
	b.WriteString("locals {\n  s0 = \"xxxxxxxxxxxxxxxx\"\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "  s%d = \"${local.s%d}${local.s%d}\"\n", i, i-1, i-1)
	}
	b.WriteString("}\n" + accountHead + "  profile { description = local.s40 }\n}\n")
	_, cfg, diags := loadFiles(t, map[string]string{"main.mk.hcl": b.String()}, LoadOptions{})
	if cfg != nil {
		t.Fatal("loaded")
	}
	// s18 is 16 × 2^18 = 4 MiB exactly; s19 is the first one over. Locals
	// are sorted by name in the block, but lines follow the source.
	wantLocatedError(t, diags, "main.mk.hcl", 21, "Value too large", "more than 4 MiB")
}

func TestHugeNumbersRefused(t *testing.T) {
	for name, tc := range map[string]struct {
		expr   string
		line   int
		sum    string
		detail string
	}{
		"literal":          {"name = 1e99999999", 4, "Number out of range", "1e99999999"},
		"tiny literal":     {"name = 1e-99999999", 4, "Number out of range", "1e-99999999"},
		"in a template":    {`name = "${1e99999999}"`, 4, "Number out of range", "±1e308"},
		"many digits":      {"name = 1" + strings.Repeat("0", 400), 4, "Number out of range", "…"},
		"tonumber":         {`name = tonumber("1e99999999")`, 4, "Error in function call", "±1e308"},
		"jsondecode":       {`name = jsondecode("1e99999999")`, 4, "Error in function call", "±1e308"},
		"parseint":         {`name = parseint("` + strings.Repeat("9", 2000) + `", 10)`, 4, "Error in function call", "1,100 digits"},
		"arithmetic":       {"name = 1e300 * 1e300 * 1e300 * 1e300", 4, "Value too large", "±1e308"},
		"many mul in expr": {"name = 1" + strings.Repeat(" * 1e300", 300), 4, "Expression too complex", "300 multiplications"},
	} {
		t.Run(name, func(t *testing.T) {
			_, _, diags := loadFiles(t, map[string]string{"main.mk.hcl": accountHead + "  profile {\n" + tc.expr + "\n}\n}\n"}, LoadOptions{})
			wantLocatedError(t, diags, "main.mk.hcl", 5, tc.sum, tc.detail)
		})
	}
}

// Functions whose result can be far larger than their arguments are
// refused before they run.
func TestAmplifyingFunctionsBounded(t *testing.T) {
	big := `local.big`
	for name, tc := range map[string]struct {
		expr, sum, detail string
	}{
		"join separator":   {`join(` + big + `, [for i in range(1000) : "x"])`, "Error in function call", "more than 4 MiB"},
		"join many":        {`join("", [for i in range(1000) : ` + big + `])`, "Invalid function argument", "more than 16 MiB"},
		"format width":     {`format("%999999999d", 1)`, "Error in function call", "width or precision"},
		"formatlist":       {`formatlist("${` + big + `}%s", [for i in range(100) : "x"])`, "Error in function call", "more than 4 MiB"},
		"replace":          {`replace(` + big + `, "x", "yyyyyyyy")`, "Invalid function argument", "more than 4 MiB"},
		"replace regexp":   {`replace(` + big + `, "/x/", "yyyyyyyy")`, "Invalid function argument", "more than 4 MiB"},
		"indent":           {`indent(100000000, "a\nb")`, "Error in function call", "more than 4 MiB"},
		"setproduct":       {`length(setproduct(range(1000), range(1000)))`, "Error in function call", "more than 100000 elements"},
		"for over strings": {`length([for i in range(1000) : ` + big + `])`, "Invalid function argument", "more than 16 MiB"},
		"templatefile":     {`templatefile("t.tpl", { big = ` + big + ` })`, "Error in function call", "more than 4 MiB"},
	} {
		t.Run(name, func(t *testing.T) {
			src := "locals { big = \"${join(\"\", [for i in range(1000) : \"" + strings.Repeat("x", 1000) + "\"])}\" }\n" +
				accountHead + "  profile {\n    description = " + tc.expr + "\n  }\n}\n"
			_, _, diags := loadFiles(t, map[string]string{
				"main.mk.hcl": src,
				"t.tpl":       "%{ for i in range(10) }${big}%{ endfor }",
			}, LoadOptions{})
			wantLocatedError(t, diags, "main.mk.hcl", 6, tc.sum, tc.detail)
		})
	}
}

func TestHugeVariableValues(t *testing.T) {
	src := `variable "n" { type = number }
variable "l" { type = list(string) }
` + accountHead + "}\n"
	_, _, diags := loadFiles(t, map[string]string{"main.mk.hcl": src}, LoadOptions{Vars: map[string]string{
		"n": "1e99999999",
		"l": `["${1e99999999}"]`,
	}})
	var n, l bool
	for _, d := range diags {
		n = n || (strings.Contains(d.Detail, "var.n") && strings.Contains(d.Detail, "±1e308"))
		l = l || d.Summary == "Number out of range"
	}
	if !n || !l {
		for _, d := range diags {
			t.Log(diagString(d))
		}
		t.Fatalf("want both --var values refused (n %v, l %v)", n, l)
	}
}

// file() and templatefile() read only regular files of at most
// MaxFileBytes; a device, a directory or a pipe would be read forever (or
// block in open).
func TestFileRefusesNonRegular(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "adir"), 0o755); err != nil {
		t.Fatal(err)
	}
	bigFile := filepath.Join(dir, "big.md")
	writeFile(t, bigFile, strings.Repeat("x", MaxFileBytes+1))
	cases := map[string]struct{ path, detail string }{
		"directory": {"adir", "is a directory"},
		"too big":   {"big.md", "larger than 4 MiB"},
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		cases["device"] = struct{ path, detail string }{"/dev/zero", "is a device"}
	}
	if fifo := makeFIFO(t, dir); fifo != "" {
		cases["fifo"] = struct{ path, detail string }{fifo, "is a named pipe"}
	}
	for name, tc := range cases {
		for _, call := range []string{`file(%q)`, `templatefile(%q, {})`} {
			t.Run(name+"/"+call[:4], func(t *testing.T) {
				src := accountHead + "  profile {\n    description = " + fmt.Sprintf(call, tc.path) + "\n  }\n}\n"
				writeFile(t, filepath.Join(dir, "main.mk.hcl"), src)
				_, _, diags := Load(dir, LoadOptions{})
				wantLocatedError(t, diags, "main.mk.hcl", 5, "Invalid function argument", tc.detail)
				wantLocatedError(t, diags, "main.mk.hcl", 5, "Invalid function argument", "Hint:")
			})
		}
	}
	t.Run("fileexists", func(t *testing.T) {
		src := accountHead + "  profile {\n    is_bot = fileexists(\"/dev/zero\")\n  }\n}\n"
		writeFile(t, filepath.Join(dir, "main.mk.hcl"), src)
		_, _, diags := Load(dir, LoadOptions{})
		wantLocatedError(t, diags, "main.mk.hcl", 5, "Invalid function argument", "not a regular file")
	})
}

// A configuration file or --var-file that is a pipe or a device is refused
// too, without blocking.
func TestConfigFileRefusesNonRegular(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "main.mk.hcl"), "variable \"x\" {\n  default = \"\"\n}\n"+accountHead+"}\n")
	_, _, diags := Load(dir, LoadOptions{VarFiles: []string{"/dev/zero"}})
	wantLocatedError(t, diags, "zero", 1, "Cannot read configuration file", "is a device")
	if fifo := makeFIFO(t, dir); fifo != "" {
		if err := os.Rename(fifo, filepath.Join(dir, "pipe.mk.hcl")); err != nil {
			t.Fatal(err)
		}
		_, _, diags := Load(dir, LoadOptions{})
		wantLocatedError(t, diags, "pipe.mk.hcl", 1, "Cannot read configuration file", "is a named pipe")
	}
}

// CRLF line endings (a Windows checkout) plan the same text as LF, in
// heredocs and in files read by file() and templatefile().
func TestCRLFIsLF(t *testing.T) {
	lf := accountHead + "  profile {\n    description = <<-EOT\n      one\n      two\n    EOT\n    location = file(\"loc.txt\")\n    followed_message = templatefile(\"t.tpl\", { x = \"y\" })\n  }\n}\n"
	files := func(nl string) map[string]string {
		return map[string]string{
			"main.mk.hcl": strings.ReplaceAll(lf, "\n", nl),
			"loc.txt":     strings.ReplaceAll("a\nb", "\n", nl),
			"t.tpl":       strings.ReplaceAll("hello\n${x}\n", "\n", nl),
		}
	}
	_, a, diags := loadFiles(t, files("\n"), LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	_, b, diags := loadFiles(t, files("\r\n"), LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	want := attrs(t, a.Accounts[0])
	if got := attrs(t, b.Accounts[0]); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("CRLF config: %q\nLF config: %q", got, want)
	}
	if want["description"] != "one\ntwo\n" || want["location"] != "a\nb" {
		t.Errorf("unexpected values %q", want)
	}
}
