package planner

import (
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/schema"
)

func TestBlocksMutes(t *testing.T) {
	t1 := time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)
	t2 := t1.Add(time.Hour)
	acct := base()
	acct.Blocks = []*schema.UserRelation{{Kind: "block", Acct: "@Spam@bad.example"}, {Kind: "block", Acct: "@kept"}}
	acct.Mutes = []*schema.UserRelation{{Kind: "mute", Acct: "@loud", ExpiresAt: &t2}, {Kind: "mute", Acct: "@new", ExpiresAt: &t1}}
	acct.RenoteMutes = []*schema.UserRelation{{Kind: "renote_mute", Acct: "@boost"}}
	live := &Live{
		Follows:     []LiveFollow{{UserID: "u-spam", Acct: "@spam@bad.example"}},
		Blocks:      []LiveRelation{{UserID: "u-kept", Acct: "@kept"}, {UserID: "u-old", Acct: "@old"}, {UserID: "u-hand", Acct: "@hand"}},
		Mutes:       []LiveRelation{{UserID: "u-loud", Acct: "@loud", ExpiresAt: &t1}},
		RenoteMutes: []LiveRelation{{UserID: "u-boost", Acct: "@boost"}},
		Users:       map[string]string{"@new": "u-new"},
		Ownership:   owning(map[string]string{`block["@old"]`: "u-old", `renote_mute["@boost"]`: "u-boost"}),
	}
	ap := mustPlan(t, acct, live)
	want := `delete block["@old"] u-old
create block["@spam@bad.example"] u-spam
update mute["@loud"] u-loud
create mute["@new"] u-new
`
	if got := summary(ap); got != want {
		t.Fatalf("got\n%swant\n%s", got, want)
	}
	if ms := ap.Changes[3].After["expiresAt"]; ms != t1.UnixMilli() {
		t.Errorf("expiresAt %v, want epoch milliseconds %d", ms, t1.UnixMilli())
	}
	if ap.Changes[2].After["expiresAt"] != t2.UnixMilli() {
		t.Errorf("update after %v", ap.Changes[2].After)
	}
	notes := strings.Join(ap.Notes, "\n")
	if !strings.Contains(notes, "both ways") || !strings.Contains(notes, "This account follows 1 of them now: @Spam@bad.example") ||
		!strings.Contains(notes, "1 block(s) not managed") {
		t.Errorf("notes %s", notes)
	}
	adopted := map[string]bool{}
	for _, o := range ap.Adopt {
		adopted[o.Key] = true
	}
	if !adopted[`block["@kept"]`] || !adopted[`mute["@loud"]`] || adopted[`renote_mute["@boost"]`] {
		t.Errorf("adopt %v", ap.Adopt)
	}

	// Purged: the hand-made block goes too; the deletion guard counts blocks.
	acct.Purge["blocks"] = true
	ap = mustPlan(t, acct, live)
	if got := summary(ap); !strings.Contains(got, `delete block["@hand"] u-hand`) {
		t.Errorf("purge plan %s", got)
	}
	if g := guardNouns[TypeBlock]; g != "blocks" {
		t.Errorf("guard noun %q", g)
	}
}
