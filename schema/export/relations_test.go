package export

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/planner"
)

// TestExportRelations: labels "@user@host" ("@user" for local users), a
// mute's end as RFC 3339 with its milliseconds, an expired mute Misskey
// still lists left out with a comment, a follow request to a blocked
// account left out (validate refuses both), and the export plans to no
// changes with every relation adopted.
func TestExportRelations(t *testing.T) {
	p := freshI("alice")
	end := time.Date(2030, 5, 1, 12, 0, 0, 123e6, time.UTC)
	past := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	live := &planner.Live{UserID: "u0", Username: "alice", Profile: p,
		Follows: []planner.LiveFollow{{UserID: "s", Acct: "@spam@bad.example", Pending: true}, {UserID: "b", Acct: "@bob"}},
		Blocks:  []planner.LiveRelation{{UserID: "s", Acct: "@spam@bad.example"}, {UserID: "t", Acct: "@Troll"}},
		Mutes: []planner.LiveRelation{{UserID: "n", Acct: "@noisy@loud.example", ExpiresAt: &end},
			{UserID: "o", Acct: "@old", ExpiresAt: &past}, {UserID: "q", Acct: "@quiet"}},
		RenoteMutes: []planner.LiveRelation{{UserID: "r", Acct: "@renoter@x.example"}},
	}
	acc := Account{Host: "misskey.example", Username: "alice", Live: live, UserAccts: map[string]string{}}
	res, err := Generate(acc, Options{Now: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	main := string(res.Files[0].Content)
	for _, want := range []string{
		`block "@spam@bad.example" {
  }`, `block "@Troll" {
  }`,
		`mute "@noisy@loud.example" {` + "\n    expires_at = \"2030-05-01T12:00:00.123Z\"",
		`mute "@quiet" {
  }`, `renote_mute "@renoter@x.example" {
  }`,
		`# Mute "@old" is not exported: it expired at 2026-11-30T10:00:00Z`,
		`# Follow "@spam@bad.example" is not exported: the account also blocks it`,
		`follow "@bob" {`,
	} {
		if !strings.Contains(main, want) {
			t.Errorf("missing %q in\n%s", want, main)
		}
	}
	if strings.Contains(main, `mute "@old"`) || strings.Contains(main, `follow "@spam`) {
		t.Errorf("an expired mute or a follow of a blocked account was declared:\n%s", main)
	}
	checkCountsMatchBlocks(t, res)
	for kind, want := range map[string]KindCount{
		"blocks": {Kind: "blocks", Declared: 2}, "mutes": {Kind: "mutes", Declared: 2, Skipped: 1},
		"renote_mutes": {Kind: "renote_mutes", Declared: 1}, "follows": {Kind: "follows", Declared: 1, Skipped: 1},
	} {
		if got, _ := res.Count(kind); got != want {
			t.Errorf("Count(%s) = %+v, want %+v", kind, got, want)
		}
	}
	cfg, ap, diags := loadAndPlan(t, res, live)
	if cfg == nil || errorsOnly(diags).HasErrors() {
		t.Fatalf("%v\n%s", diags, dumpFiles(res))
	}
	for _, c := range ap.Changes {
		t.Errorf("change %s %s %+v", c.Action, c.Address, c.Attrs)
	}
	if len(ap.Adopt) != 6 {
		t.Errorf("%d adoptions, want 6 (2 blocks, 2 mutes, 1 renote mute, 1 follow)", len(ap.Adopt))
	}

	// Only follows: the follow request is declared (no block conflicts).
	res, err = Generate(acc, Options{Kinds: map[string]bool{"follows": true}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(res.Files[0].Content), `follow "@spam@bad.example"`) {
		t.Errorf("--kinds follows left out a follow request:\n%s", res.Files[0].Content)
	}
}

// TestExportRelationsMany: above RelationsInline, each kind's plain
// entries go into a list file behind one for_each block; mutes with an end
// keep a block each.
func TestExportRelationsMany(t *testing.T) {
	live := &planner.Live{UserID: "u0", Username: "alice", Profile: freshI("alice")}
	end := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < RelationsInline+5; i++ {
		live.Blocks = append(live.Blocks, planner.LiveRelation{UserID: fmt.Sprint("b", i), Acct: fmt.Sprintf("@spam%d@bad.example", i)})
		m := planner.LiveRelation{UserID: fmt.Sprint("m", i), Acct: fmt.Sprintf("@m%d", i)}
		if i == 0 {
			m.ExpiresAt = &end
		}
		live.Mutes = append(live.Mutes, m)
	}
	res, err := Generate(Account{Host: "misskey.example", Username: "alice", Live: live}, Options{Kinds: map[string]bool{"blocks": true, "mutes": true}})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, f := range res.Files {
		names[f.Name] = string(f.Content)
	}
	if !strings.Contains(names["blocks.mk.hcl"], "blocks = [\n    \"@spam0@bad.example\",") ||
		strings.Count(names["mutes.mk.hcl"], "\"@m") != RelationsInline+4 {
		t.Fatalf("list files:\n%s", dumpFiles(res))
	}
	main := names[MainFile]
	if !strings.Contains(main, `block "all" {`+"\n    for_each = toset(local.blocks)\n    account  = each.key") ||
		!strings.Contains(main, `mute "@m0" {`) {
		t.Errorf("main file:\n%s", main)
	}
	checkCountsMatchBlocks(t, res)
	cfg, ap, diags := loadAndPlan(t, res, live)
	if cfg == nil || errorsOnly(diags).HasErrors() {
		t.Fatalf("%v\n%s", diags, dumpFiles(res))
	}
	if len(ap.Changes) != 0 || len(ap.Adopt) != 2*(RelationsInline+5) {
		t.Errorf("%d changes, %d adoptions", len(ap.Changes), len(ap.Adopt))
	}
}

// BenchmarkExportBlocklist: Generate of an account with 10,000 blocks (a
// shared blocklist): one list file, written without hclwrite nodes.
func BenchmarkExportBlocklist(b *testing.B) {
	live := &planner.Live{UserID: "u0", Username: "mod", Profile: freshI("mod")}
	for i := 0; i < 10000; i++ {
		live.Blocks = append(live.Blocks, planner.LiveRelation{UserID: fmt.Sprint("b", i), Acct: fmt.Sprintf("@spam%d@bad%d.example", i, i%50)})
	}
	acc := Account{Host: "misskey.example", Username: "mod", Live: live}
	b.ReportAllocs()
	for b.Loop() {
		res, err := Generate(acc, Options{Kinds: map[string]bool{"blocks": true}})
		if err != nil || len(res.Files) != 2 {
			b.Fatalf("%v %d files", err, len(res.Files))
		}
	}
}
