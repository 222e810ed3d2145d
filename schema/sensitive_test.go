package schema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A sensitive variable's value, and whatever an attribute, a local, a
// function call or a template computes from it, is recorded; the resource
// decoders see plain values (no panic on marks).
func TestSensitiveVariablePropagates(t *testing.T) {
	dir := writeFiles(t, map[string]string{"main.mk.hcl": `
variable "token" {
  type      = string
  sensitive = true
}
variable "plain" { default = "visible" }
variable "words" {
  type      = list(string)
  sensitive = true
  default   = ["alpha-secret", "beta-secret"]
}
locals {
  bearer = "Bearer ${var.token}"
  upper  = upper(var.token)
}
account "a" {
  host     = "misskey.example"
  username = "bot"
  profile {
    name        = var.plain
    description = local.bearer
    location    = local.upper
    birthday    = null
    fields      = [{ name = "k", value = var.words[1] }]
  }
}
`})
	cfg := mustLoad(t, dir, LoadOptions{Vars: map[string]string{"token": "hunter2-secret"}})
	got := attrs(t, cfg.Accounts[0])
	if got["description"] != "Bearer hunter2-secret" {
		t.Fatalf("description = %#v", got["description"])
	}
	for _, want := range []string{"hunter2-secret", "Bearer hunter2-secret", "HUNTER2-SECRET", "alpha-secret", "beta-secret"} {
		if !cfg.Sensitive.Holds(want) {
			t.Errorf("%q is not recorded as sensitive; recorded: %q", want, cfg.Sensitive.Values())
		}
	}
	if cfg.Sensitive.Holds("visible") {
		t.Errorf("a plain variable is recorded as sensitive")
	}
	if got := cfg.Sensitive.Redact("token Bearer hunter2-secret."); got != "token (sensitive)." {
		t.Errorf("Redact = %q", got)
	}
}

// A diagnostic about a sensitive variable's value never quotes it: the
// value is in the set even when loading fails.
func TestSensitiveRecordedOnError(t *testing.T) {
	dir := writeFiles(t, map[string]string{"main.mk.hcl": `
variable "n" {
  type      = number
  sensitive = true
}
`})
	set := &Sensitive{}
	_, _, diags := Load(dir, LoadOptions{Vars: map[string]string{"n": "not-a-number-secret"}, Sensitive: set})
	if !diags.HasErrors() {
		t.Fatal("no error")
	}
	if !set.Holds("not-a-number-secret") {
		t.Fatalf("the raw value is not recorded: %q", set.Values())
	}
}

func TestSensitiveAttributeType(t *testing.T) {
	dir := writeFiles(t, map[string]string{"main.mk.hcl": `
variable "x" { sensitive = "yes" }
`})
	_, _, diags := Load(dir, LoadOptions{})
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "sensitive must be a bool") {
		t.Fatalf("diags = %v", diags)
	}
}

func TestSensitiveRedactShortWholeWord(t *testing.T) {
	set := &Sensitive{}
	set.Add("ab")
	if got := set.Redact("about ab, cab ab"); got != "about (sensitive), cab (sensitive)" {
		t.Errorf("Redact = %q", got)
	}
	if got := set.Redact("ab"); got != SensitiveText {
		t.Errorf("Redact = %q", got)
	}
	if set.RedactValue([]any{"x", map[string]any{"v": "ab"}}).([]any)[1].(map[string]any)["v"] != SensitiveText {
		t.Error("RedactValue")
	}
}

// A for_each key cannot come from a sensitive value: it would name the
// object in addresses and saved plans.
func TestSensitiveForEachRefused(t *testing.T) {
	dir := writeFiles(t, map[string]string{"main.mk.hcl": `
variable "who" {
  type      = list(string)
  sensitive = true
  default   = ["@hidden-friend@example.org"]
}
account "a" {
  host     = "misskey.example"
  username = "bot"
  follow "friends" {
    for_each = toset(var.who)
    account  = each.key
  }
}
`})
	_, _, diags := Load(dir, LoadOptions{})
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "A for_each key comes from a sensitive value") {
		t.Fatalf("diags = %v", diags)
	}
}
