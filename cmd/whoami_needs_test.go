package cmd

import (
	"slices"
	"strings"
	"testing"

	"github.com/mkctl/mkctl/provider"
	"github.com/mkctl/mkctl/schema"
)

// TestKindPermissionsCoverEveryKind: every resource kind a configuration
// can manage (all purged: every kind the provider reads) has its
// permission kinds and a noun for whoami, and they are kinds login asks
// for; a new kind without them fails here.
func TestKindPermissionsCoverEveryKind(t *testing.T) {
	acct := &schema.Account{Purge: map[string]bool{}}
	for _, c := range schema.Collections {
		acct.Purge[c] = true
	}
	kinds := provider.ManagedKinds(acct)
	if len(kinds) < 10 {
		t.Fatalf("ManagedKinds of an account purging everything: %v", kinds)
	}
	for _, k := range kinds {
		perms, ok := kindPermissions[k.Type]
		if !ok || kindNouns[k.Type] == "" {
			t.Errorf("%s: no permission kinds or noun for whoami", k.Type)
		}
		for _, p := range perms {
			if !slices.Contains(mkctlPermissions, p) {
				t.Errorf("%s needs %s, which login does not ask for", k.Type, p)
			}
		}
	}
}

// TestConfigNeeds: what each permission kind is for, from the declared
// blocks and purge.
func TestConfigNeeds(t *testing.T) {
	acct := &schema.Account{
		Profile:  &schema.Profile{},
		Blocks:   []*schema.UserRelation{{Acct: "@a"}, {Acct: "@b"}},
		Purge:    map[string]bool{"mutes": true, "blocks": true},
		Webhooks: []*schema.Webhook{{Name: "w"}},
	}
	need := configNeeds(acct)
	for kind, want := range map[string]string{
		"read:account":  "every plan (i, the ownership record), 1 webhook",
		"write:account": "the ownership record (every apply that changes something), the profile, 1 webhook",
		"write:blocks":  "2 blocks (and purge)",
		"read:mutes":    "mutes (purge)",
	} {
		if got := strings.Join(need[kind], ", "); got != want {
			t.Errorf("%s: %q, want %q", kind, got, want)
		}
	}
	for _, kind := range []string{"read:following", "write:notes", "read:drive"} {
		if _, ok := need[kind]; ok {
			t.Errorf("%s needed by %v", kind, need[kind])
		}
	}
}
