package schema

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// wantDiag is one expected error: where it points and what it says.
// file is the base name of the subject's file ("" for a diagnostic without
// a source range); detail is a substring of the detail.
type wantDiag struct {
	file      string
	line, col int
	summary   string
	detail    string
}

func (w wantDiag) String() string {
	return fmt.Sprintf("%s:%d:%d %s (%q)", w.file, w.line, w.col, w.summary, w.detail)
}

func diagString(d *hcl.Diagnostic) string {
	if d.Subject == nil {
		return fmt.Sprintf("<no subject> %s: %s", d.Summary, d.Detail)
	}
	return fmt.Sprintf("%s:%d:%d %s: %s", filepath.Base(d.Subject.Filename), d.Subject.Start.Line, d.Subject.Start.Column, d.Summary, d.Detail)
}

// assertDiags checks that diags holds exactly the wanted errors, in order.
func assertDiags(t *testing.T, diags hcl.Diagnostics, want []wantDiag) {
	t.Helper()
	errs := diags.Errs()
	if len(errs) != len(want) {
		var got []string
		for _, d := range diags {
			got = append(got, "  "+diagString(d))
		}
		t.Fatalf("got %d errors, want %d:\n%s", len(errs), len(want), strings.Join(got, "\n"))
	}
	for i, w := range want {
		d := diags[i]
		if d.Severity != hcl.DiagError {
			t.Errorf("diag %d is not an error: %s", i, diagString(d))
			continue
		}
		if w.file == "" {
			if d.Subject != nil {
				t.Errorf("diag %d: want no subject, got %s", i, diagString(d))
			}
		} else if d.Subject == nil || filepath.Base(d.Subject.Filename) != w.file ||
			d.Subject.Start.Line != w.line || d.Subject.Start.Column != w.col {
			t.Errorf("diag %d: want at %s:%d:%d, got %s", i, w.file, w.line, w.col, diagString(d))
		}
		if d.Summary != w.summary {
			t.Errorf("diag %d: want summary %q, got %s", i, w.summary, diagString(d))
		}
		if !strings.Contains(d.Detail, w.detail) {
			t.Errorf("diag %d: want detail containing %q, got %s", i, w.detail, diagString(d))
		}
	}
}

func TestDiagnostics(t *testing.T) {
	tests := []struct {
		dir  string
		opts LoadOptions
		want []wantDiag
	}{
		{dir: "no_files", want: []wantDiag{
			{"", 0, 0, "No configuration files", "found main.hcl"},
		}},
		{dir: "does_not_exist", want: []wantDiag{
			{"", 0, 0, "Configuration directory not found", "testdata/diag/does_not_exist"},
		}},
		{dir: "syntax", want: []wantDiag{
			{"main.mk.hcl", 2, 9, "Invalid expression", "Expected the start of an expression"},
		}},
		{dir: "top_level", want: []wantDiag{
			{"main.mk.hcl", 3, 1, "Unsupported argument", "Only blocks (variable, locals, account) may appear here."},
			{"main.mk.hcl", 1, 1, "Unsupported block type", `Did you mean "account"?`},
		}},
		{dir: "account_labels", want: []wantDiag{
			{"main.mk.hcl", 1, 1, "Missing name for account", `account "weather" { ... }`},
			{"main.mk.hcl", 5, 13, "Extraneous label for account", "exactly 1 label"},
			{"main.mk.hcl", 9, 9, "Invalid account name", `"1st" is not a valid account name`},
		}},
		{dir: "account_duplicate", want: []wantDiag{
			{"b.mk.hcl", 2, 9, "Duplicate account block", "a.mk.hcl:1,1"},
		}},
		{dir: "account_attrs", want: []wantDiag{
			{"main.mk.hcl", 2, 3, "Unsupported argument", `Did you mean "host"?`},
			{"main.mk.hcl", 4, 3, "Unsupported argument", `"profile" is a block, not an argument`},
			{"main.mk.hcl", 1, 1, "Missing required argument", `The argument "host" is required`},
		}},
		{dir: "profile_structure", want: []wantDiag{
			{"main.mk.hcl", 5, 5, "Unsupported argument", `Did you mean "is_bot"?`},
			{"main.mk.hcl", 6, 5, "Unsupported argument", `Did you mean "description"?`},
			{"main.mk.hcl", 7, 5, "Unsupported block type", `"fields" is an argument, not a block`},
			{"main.mk.hcl", 10, 3, "Duplicate profile block", "main.mk.hcl:4,3"},
		}},
		{dir: "profile_types", want: []wantDiag{
			{"main.mk.hcl", 5, 21, "Incorrect attribute value type", `is_bot must be a bool (true or false); got the string "yes". Hint: write is_bot = true`},
			{"main.mk.hcl", 6, 21, "Incorrect attribute value type", "name must be a string; got the bool true"},
			{"main.mk.hcl", 7, 21, "Incorrect attribute value type", "lang must be a string; got a list"},
			{"main.mk.hcl", 8, 21, "Incorrect attribute value type", "fields must be a list of {name, value} objects"},
			{"main.mk.hcl", 9, 21, "Incorrect attribute value type", "also_known_as must be a list of account addresses"},
			{"main.mk.hcl", 10, 21, "Null value not allowed", "is_cat cannot be null"},
			{"main.mk.hcl", 11, 21, "Null value not allowed", `chat_scope cannot be null: Misskey has no empty state for it. Hint: set one of "everyone"`},
			{"main.mk.hcl", 18, 21, "Null value not allowed", "fields = [] removes every field"},
			{"main.mk.hcl", 19, 21, "Null value not allowed", "also_known_as = [] removes every alias"},
		}},
		{dir: "profile_limits", want: []wantDiag{
			{"main.mk.hcl", 9, 24, "Value too long", "name is 51 characters long, but Misskey accepts at most 50"},
			{"main.mk.hcl", 10, 24, "Value too long", "description is 1501 characters long, but Misskey accepts at most 1500"},
			{"main.mk.hcl", 11, 24, "Value too long", "location is 51 characters long, but Misskey accepts at most 50"},
			{"main.mk.hcl", 12, 24, "Value too long", "followed_message is 257 characters long, but Misskey accepts at most 256"},
			{"main.mk.hcl", 13, 24, "Too many items", "fields has 17 items, but Misskey accepts at most 16. Hint: remove 1."},
			{"main.mk.hcl", 14, 24, "Too many items", "also_known_as has 11 items, but Misskey accepts at most 10"},
		}},
		{dir: "profile_values", want: []wantDiag{
			{"main.mk.hcl", 5, 28, "Unsupported value", `got "en_US". Did you mean "en-US"?`},
			{"main.mk.hcl", 6, 28, "Unsupported value", `chat_scope must be one of "everyone", "followers", "following", "mutual", "none"; got "mutuals". Did you mean "mutual"?`},
			{"main.mk.hcl", 7, 28, "Unsupported value", `following_visibility must be one of "public", "followers", "private"; got "everyone".`},
			{"main.mk.hcl", 8, 28, "Unsupported value", `Did you mean "public"?`},
			{"main.mk.hcl", 9, 28, "Invalid birthday", "YYYY-MM-DD"},
			{"main.mk.hcl", 16, 16, "Invalid birthday", `"2023-02-29" is not a date in the calendar`},
			{"main.mk.hcl", 17, 16, "Unsupported value", `got "xx". Hint: valid codes are "ach"`},
		}},
		{dir: "profile_fields", want: []wantDiag{
			{"main.mk.hcl", 7, 33, "Empty profile field", "fields[1].value is empty after trimming spaces. Misskey silently drops such an item"},
			{"main.mk.hcl", 8, 38, "Invalid profile field", `fields[2] has the key "note"`},
			{"main.mk.hcl", 9, 7, "Invalid profile field", "fields[3] has no value"},
			{"main.mk.hcl", 10, 32, "Incorrect attribute value type", "fields[4].value must be a string; got the bool true"},
			{"main.mk.hcl", 11, 7, "Invalid profile field", `fields[5] must be an object with name and value; got the string "plain"`},
		}},
		{dir: "profile_accts", want: []wantDiag{
			{"main.mk.hcl", 7, 7, "Duplicate account address", "also_known_as[1] (@OLD@mastodon.example) is the same account as also_known_as[0]"},
			{"main.mk.hcl", 8, 7, "Invalid account address", "is a URL"},
			{"main.mk.hcl", 9, 7, "Invalid account address", "too many @"},
			{"main.mk.hcl", 10, 7, "Invalid account address", "has no user name"},
			{"main.mk.hcl", 11, 7, "Invalid account address", "has no host"},
		}},
		{dir: "host", want: []wantDiag{
			{"main.mk.hcl", 2, 14, "Insecure host URL", `Hint: write host = "https://misskey.example"`},
			{"main.mk.hcl", 6, 14, "Host URL has a path", `Hint: write host = "https://misskey.example"`},
			{"main.mk.hcl", 10, 14, "Unsupported URL scheme", "ftp://"},
			{"main.mk.hcl", 14, 14, "Host URL has a path", "query"},
			{"main.mk.hcl", 18, 14, "Invalid host", "host is empty"},
			{"main.mk.hcl", 22, 14, "Incorrect attribute value type", "host must be a string; got a list"},
		}},
		{dir: "username", want: []wantDiag{
			{"main.mk.hcl", 3, 14, "Invalid username", "only letters, digits and underscores"},
			{"main.mk.hcl", 7, 14, "Invalid username", `includes a server. Hint: write only the user name, username = "weatherbot"`},
		}},
		{dir: "for_each", want: []wantDiag{
			{"main.mk.hcl", 2, 14, "Invalid for_each argument", "got a list"},
			{"main.mk.hcl", 7, 14, "Invalid for_each argument", "got a set of number"},
			{"main.mk.hcl", 12, 14, "Invalid for_each argument", "empty key"},
			{"main.mk.hcl", 17, 14, "Invalid for_each argument", "got null"},
		}},
		// A mistake that does not depend on the key is reported once; one
		// that does is reported per key, in key order.
		{dir: "for_each_instances", want: []wantDiag{
			{"main.mk.hcl", 4, 14, "Invalid username", `username "also bad"`},
			{"main.mk.hcl", 6, 14, "Incorrect attribute value type", "is_bot must be a bool"},
			{"main.mk.hcl", 4, 14, "Invalid username", `username "bad one"`},
		}},
		{dir: "references", want: []wantDiag{
			{"main.mk.hcl", 5, 15, "Reference to undeclared input variable", `An input variable named "ownr" is not declared. Did you mean "owner"?`},
			{"main.mk.hcl", 6, 9, "Reference to undeclared local value", `Did you mean "tag"?`},
			{"main.mk.hcl", 10, 14, `Reference to "each" in context without for_each`, "add for_each"},
			{"main.mk.hcl", 12, 19, "Unknown variable", "Did you mean var.owner?"},
			{"main.mk.hcl", 13, 19, "Unknown variable", "Did you mean var.owner?"},
		}},
		{dir: "locals_cycle", want: []wantDiag{
			{"main.mk.hcl", 2, 13, "Circular reference between local values", "local.a → local.b → local.c → local.a"},
			{"main.mk.hcl", 5, 10, "Circular reference between local values", "local.self → local.self"},
		}},
		{dir: "variables_errors", want: []wantDiag{
			{"main.mk.hcl", 3, 13, "Invalid default value for variable", "a number is required"},
			{"main.mk.hcl", 8, 10, "Duplicate variable declaration", "main.mk.hcl:5,1"},
			{"main.mk.hcl", 11, 15, "Invalid type specification", "strin"},
			{"main.mk.hcl", 13, 10, "Invalid variable name", `"bad name!" is not a valid variable name`},
			{"main.mk.hcl", 14, 3, "Unsupported argument", `An argument named "defualt" is not expected in a variable block. Did you mean "default"?`},
			{"main.mk.hcl", 5, 1, "No value for required variable", "--var owner=VALUE"},
			{"main.mk.hcl", 10, 1, "No value for required variable", "MKCTL_VAR_tags"},
			{"main.mk.hcl", 13, 1, "No value for required variable", "bad name!"},
		}},
		{dir: "var_options", opts: LoadOptions{Vars: map[string]string{"ownr": "x"}}, want: []wantDiag{
			{"<value for var.ownr from --var>", 1, 1, "Value for undeclared variable", `Did you mean "owner"?`},
		}},
		{dir: "var_options", opts: LoadOptions{Vars: map[string]string{"count": "many"}}, want: []wantDiag{
			{"<value for var.count from --var>", 1, 1, "Invalid value for variable", "a number is required"},
		}},
		{dir: "var_options", opts: LoadOptions{Env: []string{"MKCTL_VAR_tags=[a]"}}, want: []wantDiag{
			{"<value for var.tags from MKCTL_VAR_tags>", 1, 2, "Variables not allowed", "Hint: the value of var.tags from MKCTL_VAR_tags is read as an HCL expression"},
		}},
		{dir: "var_options", opts: LoadOptions{VarFiles: []string{"testdata/diag/var_options/bad.vars.hcl"}}, want: []wantDiag{
			{"bad.vars.hcl", 2, 1, "Value for undeclared variable", `Did you mean "owner"?`},
			{"bad.vars.hcl", 3, 9, "Invalid value for variable", "from --var-file testdata/diag/var_options/bad.vars.hcl is not a valid number"},
		}},
		{dir: "var_options", opts: LoadOptions{VarFiles: []string{"testdata/diag/var_options/missing.hcl"}}, want: []wantDiag{
			{"", 0, 0, "Variable file not found", "testdata/diag/var_options/missing.hcl"},
		}},
		{dir: "functions", want: []wantDiag{
			// hcl points at the start of a string argument's text, inside the quote.
			{"main.mk.hcl", 5, 30, "Invalid function argument", `no file exists at "missing.md": looked for testdata/diag/functions/missing.md`},
			{"main.mk.hcl", 6, 51, "Invalid function argument", `vars has no key "name", which the template uses at testdata/diag/functions/hello.tmpl:1,9`},
			{"main.mk.hcl", 7, 34, "Too many function arguments", "upper"},
			{"main.mk.hcl", 8, 24, "Call to unknown function", `Did you mean "length"?`},
		}},
		{dir: "account_conflicts", want: []wantDiag{
			{"main.mk.hcl", 6, 1, "Conflicting token variable", `account.fleet_rain and account.fleet["rain"] (at testdata/diag/account_conflicts/main.mk.hcl:1,1) would both read their token from MKCTL_TOKEN_FLEET_RAIN`},
			{"main.mk.hcl", 12, 14, "Duplicate account", `account.again and account.fleet["rain"]`},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			cfg, _, diags := Load(filepath.Join("testdata", "diag", tt.dir), tt.opts)
			if cfg != nil {
				t.Errorf("Load returned a config despite errors")
			}
			assertDiags(t, diags, tt.want)
			for _, d := range diags {
				if d.Detail == "" {
					t.Errorf("diagnostic without detail: %s", diagString(d))
				}
			}
		})
	}
}

// TestValueDiagnosticsCarryContext checks that value errors record the
// expression and EvalContext, which lets the CLI print "each.key is …".
func TestValueDiagnosticsCarryContext(t *testing.T) {
	l := NewLoader()
	_, diags := l.Load("testdata/diag/for_each_instances", LoadOptions{})
	if len(diags) == 0 {
		t.Fatal("want diagnostics")
	}
	d := diags[0]
	if d.Expression == nil || d.EvalContext == nil {
		t.Fatalf("diagnostic lacks Expression/EvalContext: %s", diagString(d))
	}
	var buf strings.Builder
	if err := hcl.NewDiagnosticTextWriter(&buf, l.Files(), 100, false).WriteDiagnostic(d); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `with each.key as "also bad"`) {
		t.Errorf("rendered diagnostic does not show each.key:\n%s", buf.String())
	}
}
