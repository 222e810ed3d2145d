package schema

import (
	"testing"
)

// A NUL character cannot be stored by Misskey's database: refused where it
// is written, wherever it comes from.
func TestNULRefused(t *testing.T) {
	for name, expr := range map[string]string{
		"literal":   `name = "a\u0000b"`,
		"file":      `description = file("nul.txt")`,
		"in fields": `fields = [{ name = "x", value = "\u0000" }]`,
	} {
		t.Run(name, func(t *testing.T) {
			_, _, diags := loadFiles(t, map[string]string{
				"main.mk.hcl": accountHead + "  profile {\n    " + expr + "\n  }\n}\n",
				"nul.txt":     "a\x00b",
			}, LoadOptions{})
			wantLocatedError(t, diags, "main.mk.hcl", 5, "Invalid character", "NUL")
		})
	}
	// A file can still be cleaned of its NULs.
	_, cfg, diags := loadFiles(t, map[string]string{
		"main.mk.hcl": accountHead + "  profile {\n    description = replace(file(\"nul.txt\"), \"\\u0000\", \"\")\n  }\n}\n",
		"nul.txt":     "a\x00b",
	}, LoadOptions{})
	if diags.HasErrors() || attrs(t, cfg.Accounts[0])["description"] != "ab" {
		t.Fatalf("replace of NUL: %v", diags)
	}
}

// Ports outside 1-65535 are refused by validate, not retried at runtime.
func TestHostPortRange(t *testing.T) {
	for _, host := range []string{"misskey.example:99999", "misskey.example:0", "https://misskey.example:65536"} {
		src := "account \"a\" {\n  host     = \"" + host + "\"\n  username = \"me\"\n}\n"
		_, _, diags := loadFiles(t, map[string]string{"main.mk.hcl": src}, LoadOptions{})
		wantLocatedError(t, diags, "main.mk.hcl", 2, "Invalid host", "1 to 65535")
	}
}

// Two spellings of one server (trailing dot, case, Unicode or punycode)
// managing the same account are one account twice.
func TestDuplicateAccountAcrossSpellings(t *testing.T) {
	for name, hosts := range map[string][2]string{
		"trailing dot": {"misskey.example", "misskey.example."},
		"case":         {"misskey.example", "MISSKEY.Example"},
		"idn":          {"bücher.example", "https://xn--bcher-kva.example/"},
	} {
		t.Run(name, func(t *testing.T) {
			src := "account \"a\" {\n  host     = \"" + hosts[0] + "\"\n  username = \"me\"\n}\n" +
				"account \"b\" {\n  host     = \"" + hosts[1] + "\"\n  username = \"Me\"\n}\n"
			_, _, diags := loadFiles(t, map[string]string{"main.mk.hcl": src}, LoadOptions{})
			wantLocatedError(t, diags, "main.mk.hcl", 7, "Duplicate account", "both manage")
		})
	}
}

// also_known_as naming the account itself fails at apply with
// FORBIDDEN_TO_SET_YOURSELF; validate says so first.
func TestAlsoKnownAsSelf(t *testing.T) {
	for _, self := range []string{"@me", "me", "@Me@misskey.example", "@me@MISSKEY.EXAMPLE."} {
		t.Run(self, func(t *testing.T) {
			src := accountHead + "  profile {\n    also_known_as = [\"@old@other.example\", \"" + self + "\"]\n  }\n}\n"
			_, _, diags := loadFiles(t, map[string]string{"main.mk.hcl": src}, LoadOptions{})
			wantLocatedError(t, diags, "main.mk.hcl", 5, "Account cannot be its own alias", "this account itself")
		})
	}
	// The same user name on another server is another account.
	src := accountHead + "  profile {\n    also_known_as = [\"@me@other.example\"]\n  }\n}\n"
	if _, _, diags := loadFiles(t, map[string]string{"main.mk.hcl": src}, LoadOptions{}); diags.HasErrors() {
		t.Fatal(diags)
	}
}
