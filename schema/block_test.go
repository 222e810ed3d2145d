package schema

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// blocklistDir writes a blocklist.txt of n accounts and a configuration
// that blocks them with for_each over the file's lines, as the README and
// examples/moderation do.
func blocklistDir(tb testing.TB, n int, extra string) string {
	tb.Helper()
	dir := tb.TempDir()
	var list strings.Builder
	for i := range n {
		fmt.Fprintf(&list, "@spam%05d@host%d.example\n", i, i%7)
	}
	writeFile(tb, filepath.Join(dir, "blocklist.txt"), list.String())
	writeFile(tb, filepath.Join(dir, "main.mk.hcl"), `
account "mod" {
  host     = "misskey.example"
  username = "mod"
  block "list" {
    for_each = toset(split("\n", trimspace(file("blocklist.txt"))))
    account  = each.key
  }
`+extra+`
}
`)
	return dir
}

func TestBlocklistFromFile(t *testing.T) {
	dir := blocklistDir(t, 1000, `
  mute "@noisy@other.example" { expires_at = "2099-12-31T00:00:00Z" }
  renote_mute "@Echo" {}
  block "@lone@b.example" {
    lifecycle {
      prevent_destroy = true
    }
  }
`)
	cfg := mustLoad(t, dir, LoadOptions{})
	a := cfg.Accounts[0]
	if len(a.Blocks) != 1001 || len(a.Mutes) != 1 || len(a.RenoteMutes) != 1 {
		t.Fatalf("%d blocks, %d mutes, %d renote mutes", len(a.Blocks), len(a.Mutes), len(a.RenoteMutes))
	}
	if b := a.Blocks[0]; b.Acct != "@spam00000@host0.example" || b.Name != "list" || b.Key != b.Acct {
		t.Errorf("first block %+v", b)
	}
	if !a.Blocks[1000].Lifecycle.PreventDestroy {
		t.Error("prevent_destroy lost")
	}
	want := time.Date(2099, 12, 31, 0, 0, 0, 0, time.UTC)
	if m := a.Mutes[0]; m.ExpiresAt == nil || !m.ExpiresAt.Equal(want) {
		t.Errorf("expires_at %v", m.ExpiresAt)
	}
	if a.RenoteMutes[0].ExpiresAt != nil || a.RenoteMutes[0].Acct != "@Echo" {
		t.Errorf("renote mute %+v", a.RenoteMutes[0])
	}
}

func TestBlockDiagnostics(t *testing.T) {
	cases := []struct{ name, body, want string }{
		{"past expiry", `mute "@a@b.example" { expires_at = "2001-01-01T00:00:00Z" }`, "expires_at is in the past"},
		{"not RFC 3339", `mute "@a@b.example" { expires_at = "2099-12-31" }`, "Invalid expires_at"},
		{"expiry on a block", `block "@a@b.example" { expires_at = "2099-12-31T00:00:00Z" }`, "expires_at"},
		{"self", `block "@mod" {}`, "Cannot block yourself"},
		{"self mute", `mute "@MOD@misskey.example" {}`, "MUTEE_IS_YOURSELF"},
		{"duplicate", "block \"@a@b.example\" {}\n  block \"@A@B.example\" {}", "Duplicate block"},
		{"followed", "block \"@a@b.example\" {}\n  follow \"@a@b.example\" {}", "Block of a followed account"},
		{"followed, other side", "block \"@a@b.example\" {}\n  follow \"@a@b.example\" {}", "Follow of a blocked account"},
		{"bad address", `renote_mute "https://b.example/@a" {}`, "is a URL"},
		{"for_each without account", `block "list" { for_each = toset(["@a"]) }`, `"account" is required`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "main.mk.hcl"), "account \"mod\" {\n  host = \"misskey.example\"\n  username = \"mod\"\n  "+c.body+"\n}\n")
			_, _, diags := Load(dir, LoadOptions{})
			var all strings.Builder
			for _, d := range diags {
				all.WriteString(d.Summary + ": " + d.Detail + "\n")
			}
			if !diags.HasErrors() || !strings.Contains(all.String(), c.want) {
				t.Fatalf("diagnostics %v, want one containing %q", diags, c.want)
			}
			for _, d := range diags {
				if d.Subject == nil || d.Subject.Filename == "" {
					t.Errorf("unlocated diagnostic %s", d.Error())
				}
			}
		})
	}
}

// BenchmarkLoadBlocklist: a 10,000-line blocklist file through for_each
// (issue 13 item 2 "must be fast for 10,000 entries").
func BenchmarkLoadBlocklist(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			dir := blocklistDir(b, n, "")
			b.ReportAllocs()
			for b.Loop() {
				cfg, _, diags := Load(dir, LoadOptions{})
				if diags.HasErrors() || len(cfg.Accounts[0].Blocks) != n {
					b.Fatalf("load failed: %v", diags)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(n), "µs/block")
		})
	}
}

// TestMuteEndedHint: a mute whose expires_at has passed (one that ended
// since it was applied) is refused, located, with the hint to remove it.
func TestMuteEndedHint(t *testing.T) {
	src := `account "a" {
  host     = "misskey.example"
  username = "bot"
  mute "@loud" { expires_at = "2020-01-01T00:00:00Z" }
}
`
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.mk.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, diags := Load(dir, LoadOptions{})
	if !diags.HasErrors() || diags[0].Summary != "expires_at is in the past" || diags[0].Subject == nil || diags[0].Subject.Start.Line != 4 ||
		!strings.Contains(diags[0].Detail, "if this mute has ended, remove its block") {
		t.Fatalf("%v", diags)
	}
}
