package schema

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// thousandFollows writes a configuration following n accounts through one
// for_each block fed from a variable, as a real follow list would be.
func thousandFollows(tb testing.TB, n int) string {
	tb.Helper()
	dir := tb.TempDir()
	var b strings.Builder
	b.WriteString("variable \"friends\" {\n  type = list(string)\n  default = [\n")
	for i := range n {
		fmt.Fprintf(&b, "    \"@user%04d@host%d.example\",\n", i, i%7)
	}
	b.WriteString(`  ]
}

account "weather" {
  host     = "misskey.example"
  username = "weatherbot"
  follow "friends" {
    for_each     = toset(var.friends)
    account      = each.key
    with_replies = false
    notify       = each.key == "@user0001@host1.example"
  }
}
`)
	writeFile(tb, filepath.Join(dir, "main.mk.hcl"), b.String())
	return dir
}

func TestThousandFollows(t *testing.T) {
	dir := thousandFollows(t, 1000)
	cfg := mustLoad(t, dir, LoadOptions{})
	fs := cfg.Accounts[0].Follows
	if len(fs) != 1000 {
		t.Fatalf("got %d follows, want 1000", len(fs))
	}
	if fs[0].Acct != "@user0000@host0.example" || fs[999].Acct != "@user0999@host5.example" {
		t.Errorf("first %s, last %s", fs[0].Acct, fs[999].Acct)
	}
	if fs[1].Notify == nil || !*fs[1].Notify || fs[2].Notify == nil || *fs[2].Notify {
		t.Errorf("notify is not evaluated per instance: %v %v", fs[1].Notify, fs[2].Notify)
	}
}

func BenchmarkLoadThousandFollows(b *testing.B) {
	dir := thousandFollows(b, 1000)
	b.ReportAllocs()
	for b.Loop() {
		cfg, _, diags := Load(dir, LoadOptions{})
		if diags.HasErrors() || len(cfg.Accounts[0].Follows) != 1000 {
			b.Fatalf("load failed: %v", diags)
		}
	}
}

// BenchmarkLoadFollows loads a list(string) variable of n follows fed to a
// for_each (issue 9 item 3): the time per op must grow linearly with n.
func BenchmarkLoadFollows(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			dir := thousandFollows(b, n)
			b.ReportAllocs()
			for b.Loop() {
				cfg, _, diags := Load(dir, LoadOptions{})
				if diags.HasErrors() || len(cfg.Accounts[0].Follows) != n {
					b.Fatalf("load failed: %v", diags)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(n), "µs/follow")
		})
	}
}
