package planner

import (
	"strings"
	"testing"

	"github.com/mkctl/mkctl/schema"
)

// TestTargetCountsUntargetedDeletionPerKind: for every kind with a role
// count limit, a limit of 1 and an owned undeclared object whose deletion
// makes room for a new block: --target on the new block alone leaves the
// deletion out, so the apply would meet Misskey's limit error; the
// targeted plan refuses it at the block and names the deletion. Targeting
// both, or the deletion alone, plans fine.
func TestTargetCountsUntargetedDeletionPerKind(t *testing.T) {
	for _, tc := range []struct {
		typ, policy, code string
		setup             func(acct *schema.Account, live *Live)
	}{
		{TypeWebhook, "webhookLimit", "TOO_MANY_WEBHOOKS", func(acct *schema.Account, live *Live) {
			acct.Webhooks = []*schema.Webhook{{Name: "new", URL: "https://hooks.example/x", On: []string{"note"}, Active: true}}
			live.Webhooks = []LiveWebhook{{ID: "w-old", Name: "old", URL: "https://hooks.example/y", On: []string{"note"}, Active: true}}
		}},
		{TypeAntenna, "antennaLimit", "TOO_MANY_ANTENNAS", func(acct *schema.Account, live *Live) {
			acct.Antennas = []*schema.Antenna{{Name: "new", Source: "all", Keywords: [][]string{{"x"}}, ExcludeKeywords: [][]string{}}}
			live.Antennas = []LiveAntenna{{ID: "a-old", Name: "old", Fields: map[string]any{"src": "home"}}}
		}},
		{TypeClip, "clipLimit", "TOO_MANY_CLIPS", func(acct *schema.Account, live *Live) {
			acct.Clips = []*schema.Clip{{Name: "new"}}
			live.Clips = []LiveClip{{ID: "c-old", Name: "old"}}
		}},
		{TypeUserList, "userListLimit", "TOO_MANY_USERLISTS", func(acct *schema.Account, live *Live) {
			acct.UserLists = []*schema.UserList{{Name: "new"}}
			live.UserLists = []LiveUserList{{ID: "l-old", Name: "old"}}
		}},
		{TypePinnedNote, "pinLimit", "PIN_LIMIT_EXCEEDED", func(acct *schema.Account, live *Live) {
			acct.PinnedNotes = []*schema.PinnedNote{note("new", "New")}
			live.PinnedNotes = []LiveNote{liveNote("p-old", "Old")}
		}},
	} {
		t.Run(tc.typ, func(t *testing.T) {
			mk := func() (*schema.Account, *Live, *AccountPlan) {
				acct := base()
				live := &Live{Policies: map[string]any{tc.policy: float64(1)},
					Ownership: owning(map[string]string{tc.typ + ".old": map[string]string{
						TypeWebhook: "w-old", TypeAntenna: "a-old", TypeClip: "c-old", TypeUserList: "l-old", TypePinnedNote: "p-old"}[tc.typ]})}
				tc.setup(acct, live)
				ap := mustPlan(t, acct, live)
				s := summary(ap)
				if !strings.Contains(s, "delete "+tc.typ+".old") || !strings.Contains(s, "create "+tc.typ+".new") {
					t.Fatalf("full plan:\n%s", s)
				}
				return acct, live, ap
			}
			newAddr, oldAddr := "account.bot."+tc.typ+".new", "account.bot."+tc.typ+".old"

			acct, live, ap := mk()
			sel, _ := ParseSelection([]string{newAddr}, nil)
			_, diags := sel.Target(acct, live, ap)
			if !diags.HasErrors() {
				t.Fatalf("targeted plan %s: no error, the apply would meet %s", summary(ap), tc.code)
			}
			for _, want := range []string{tc.policy, tc.code, "--target " + oldAddr, "without --target"} {
				if !strings.Contains(diags.Error(), want) {
					t.Errorf("error %q does not say %q", diags.Error(), want)
				}
			}
			if diags[0].Subject == nil {
				t.Errorf("no subject: want the new block")
			}

			acct, live, ap = mk()
			sel, _ = ParseSelection(nil, []string{oldAddr})
			if _, diags = sel.Target(acct, live, ap); !diags.HasErrors() {
				t.Errorf("excluded deletion: no error, plan %s", summary(ap))
			}
			acct, live, ap = mk()
			sel, _ = ParseSelection([]string{newAddr, oldAddr}, nil)
			if _, diags = sel.Target(acct, live, ap); diags.HasErrors() {
				t.Errorf("both targeted: %v", diags)
			}
			acct, live, ap = mk()
			sel, _ = ParseSelection([]string{oldAddr}, nil)
			if _, diags = sel.Target(acct, live, ap); diags.HasErrors() {
				t.Errorf("deletion targeted: %v", diags)
			}
		})
	}
}
