package schema

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// forEachFollows loads an account whose follow block iterates over three
// accounts with the given attribute lines.
func forEachFollows(t *testing.T, attrs string) (*Config, hcl.Diagnostics) {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "main.mk.hcl"), `
variable "friends" {
  default = ["@a@x.example", "@b@x.example", "@c@x.example"]
}
account "main" {
  host     = "misskey.example"
  username = "bot"
  follow "friends" {
    for_each = toset(var.friends)
`+attrs+`
  }
}
`)
	cfg, _, diags := Load(dir, LoadOptions{})
	return cfg, diags
}

// The instances of a for_each share the work that does not depend on each
// (scope.forInstances): a problem that is the same for every instance is
// reported once, values that depend on each are per instance, and a
// diagnostic about one instance shows that instance's each.
func TestForEachInstancesShareConstantWork(t *testing.T) {
	t.Run("per-instance values", func(t *testing.T) {
		cfg, diags := forEachFollows(t, `
    account      = each.value
    with_replies = false
    notify       = endswith(each.key, "b@x.example")`)
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		fs := cfg.Accounts[0].Follows
		if len(fs) != 3 {
			t.Fatalf("got %d follows", len(fs))
		}
		for i, want := range []bool{false, true, false} {
			if fs[i].Notify == nil || *fs[i].Notify != want || fs[i].WithReplies == nil || *fs[i].WithReplies {
				t.Errorf("%s: notify %v with_replies %v", fs[i].Acct, fs[i].Notify, fs[i].WithReplies)
			}
		}
	})
	for name, tc := range map[string]struct{ attrs, want string }{
		"undeclared variable": {`
    account      = each.key
    with_replies = var.nope`, "Reference to undeclared input variable"},
		"wrong type": {`
    account      = each.key
    with_replies = "yes"`, "Incorrect attribute value type"},
		"each in a failing function": {`
    account = each.key
    notify  = tobool(each.key)`, "Invalid function argument"},
	} {
		t.Run(name, func(t *testing.T) {
			_, diags := forEachFollows(t, tc.attrs)
			n := 0
			for _, d := range diags {
				if d.Summary == tc.want {
					n++
				}
			}
			want := 1
			if name == "each in a failing function" {
				want = 3 // depends on each: one per instance
			}
			if n != want {
				t.Errorf("%d diagnostics %q, want %d: %v", n, tc.want, want, diags)
			}
		})
	}
	t.Run("diagnostic shows its own instance", func(t *testing.T) {
		_, diags := forEachFollows(t, `
    account = "${each.key}!"`)
		var got []string
		for _, d := range diags {
			if d.EvalContext == nil {
				t.Fatalf("no context: %v", d)
			}
			v := d.EvalContext.Variables["each"]
			if v.IsNull() {
				// a child context: its parent holds var, it holds each
				t.Fatalf("no each in the context of %v", d)
			}
			got = append(got, v.GetAttr("key").AsString())
		}
		if strings.Join(got, " ") != "@a@x.example @b@x.example @c@x.example" {
			t.Errorf("diagnostics are about %v", got)
		}
	})
}
