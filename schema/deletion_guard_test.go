package schema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func loadGuard(t *testing.T, src string) (*Config, string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.mk.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, _, diags := Load(dir, LoadOptions{})
	var msgs []string
	for _, d := range diags {
		msgs = append(msgs, d.Summary+": "+d.Detail)
	}
	return cfg, strings.Join(msgs, "\n")
}

func TestDeletionGuardBlock(t *testing.T) {
	cfg, diags := loadGuard(t, `
account "a" {
  host     = "misskey.example"
  username = "a"
}
account "b" {
  host     = "misskey.example"
  username = "b"
  deletion_guard {
    max_objects = 50
    max_percent = 10
  }
}
account "c" {
  for_each = toset(["x"])
  host     = "misskey.example"
  username = each.key
  deletion_guard {
    enabled = false
  }
}
`)
	if diags != "" {
		t.Fatal(diags)
	}
	a, b, c := cfg.Accounts[0].Guard(), cfg.Accounts[1].Guard(), cfg.Accounts[2].Guard()
	if !a.Enabled || a.MaxObjects != DefaultGuardMaxObjects || a.MaxPercent != DefaultGuardMaxPercent || a.DeclRange.Start.Line != 2 {
		t.Errorf("defaults: %+v", a)
	}
	if !b.Enabled || b.MaxObjects != 50 || b.MaxPercent != 10 || b.DeclRange.Start.Line != 9 {
		t.Errorf("b: %+v", b)
	}
	if c.Enabled || c.MaxObjects != DefaultGuardMaxObjects {
		t.Errorf("c: %+v", c)
	}
}

func TestDeletionGuardDiagnostics(t *testing.T) {
	_, diags := loadGuard(t, `
account "a" {
  host     = "misskey.example"
  username = "a"
  deletion_guard {
    max_objects = -1
    max_percent = 101
    enabled     = "no"
    max_count   = 3
  }
  deletion_guard {
    max_percent = 5
  }
}
account "b" {
  host     = "misskey.example"
  username = "b"
  deletion_guard {
    max_percent = 2.5
  }
}
`)
	for _, want := range []string{
		`Invalid deletion_guard value: max_objects must be a whole number 0 or more; got the number -1.`,
		`max_percent must be a whole number from 0 to 100; got the number 101.`,
		`enabled must be a bool`,
		`Did you mean "max_objects"?`,
		`Duplicate deletion_guard block: An account block has at most one deletion_guard block`,
		`max_percent must be a whole number from 0 to 100; got the number 2.5.`,
	} {
		if !strings.Contains(diags, want) {
			t.Errorf("missing %q in\n%s", want, diags)
		}
	}
}
