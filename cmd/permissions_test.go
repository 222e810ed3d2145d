package cmd

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/provider"
	"github.com/mkctl/mkctl/provider/emulator"
	"github.com/mkctl/mkctl/schema"
)

// TestPlanPermissionsSufficeForApply keeps planPermissions honest against
// the provider: a plan creating one of every kind of object, then one
// deleting (or unpinning) them all, each applied with a token holding exactly the
// permissions planPermissions names. If an applier starts calling an
// endpoint of another kind, this fails with that PERMISSION_DENIED.
func TestPlanPermissionsSufficeForApply(t *testing.T) {
	e := emulator.New(emulator.Options{})
	srv := httptest.NewServer(e)
	defer srv.Close()
	defer func() {
		for _, v := range e.Violations() {
			t.Errorf("emulator violation: %+v", v)
		}
	}()
	me := e.CreateUser("newsbot")
	e.CreateUser("reuters")
	e.CreateRemoteUser("bbcworld", "bbc.example")
	e.CreateUser("spammer")
	e.CreateUser("loud")
	full := e.IssueToken(me.ID, mkctlPermissions)

	all := `
  profile {
    name = "News Bot"
  }
  pinned_note "about" { text = "Headlines every hour." }
  follow "@reuters" {}
  follow "@bbcworld@bbc.example" {}
  drive_folder "media" {
    drive_folder "archive" {}
  }
  user_list "sources" {
    members = ["@reuters"]
  }
  antenna "breaking" {
    source    = "list"
    user_list = user_list.sources
    keywords  = ["breaking"]
  }
  webhook "alerts" {
    url = "https://hooks.example/alerts"
    on  = ["note"]
  }
  block "@spammer" {}
  mute "@loud" { expires_at = "2099-01-01T00:00:00Z" }
  renote_mute "@loud" {}
`
	// The registry, and so the ownership record, is private to each token
	// (API-NOTES §7): the second step deletes through purge.
	purge := `  purge = ["pinned_notes", "follows", "drive_folders", "antennas", "user_lists", "webhooks", "blocks", "mutes", "renote_mutes"]
`
	for _, step := range []struct{ name, body string }{{"create", all}, {"delete", purge}} {
		t.Run(step.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := fmt.Sprintf("account \"news\" {\n  host = %q\n  username = \"newsbot\"\n%s}\n", srv.URL, step.body)
			if err := os.WriteFile(filepath.Join(dir, "main.mk.hcl"), []byte(cfg), 0o644); err != nil {
				t.Fatal(err)
			}
			conf, _, diags := schema.Load(dir, schema.LoadOptions{})
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			acct := conf.Accounts[0]
			ctx := context.Background()
			reader, err := provider.NewClient(srv.URL, full)
			if err != nil {
				t.Fatal(err)
			}
			live, err := provider.ReadAccount(ctx, reader, acct)
			if err != nil {
				t.Fatal(err)
			}
			ap, pd := planner.PlanAccount(acct, live)
			if pd.HasErrors() {
				t.Fatal(pd)
			}
			types := map[string]bool{}
			for _, ch := range ap.Changes {
				if ch.Action != planner.ActionNoop {
					types[ch.Type] = true
				}
			}
			for _, want := range []string{planner.TypePinnedNote, planner.TypeFollow, planner.TypeDriveFolder, planner.TypeAntenna, planner.TypeUserList,
				planner.TypeWebhook, planner.TypeBlock, planner.TypeMute, planner.TypeRenoteMute} {
				if !types[want] {
					t.Errorf("the plan changes no %s: %v", want, types)
				}
			}
			var perms []string
			for kind := range planPermissions(ap) {
				perms = append(perms, kind)
			}
			slices.Sort(perms)
			c, err := provider.NewClient(srv.URL, e.IssueToken(me.ID, perms))
			if err != nil {
				t.Fatal(err)
			}
			// Every kind the plan needs has a probe (checkPermissions tests a
			// token from the environment with them): granted ones pass,
			// and a token with only read:account lacks all the others.
			if missing, err := provider.ProbePermissions(ctx, c, perms); err != nil || len(missing) != 0 {
				t.Errorf("probing %v with a token holding them: missing %v, %v", perms, missing, err)
			}
			bare, err := provider.NewClient(srv.URL, e.IssueToken(me.ID, []string{"read:account"}))
			if err != nil {
				t.Fatal(err)
			}
			others := slices.DeleteFunc(slices.Clone(perms), func(k string) bool { return k == "read:account" })
			if missing, err := provider.ProbePermissions(ctx, bare, others); err != nil || !slices.Equal(missing, others) {
				t.Errorf("probing %v with a read:account token: missing %v, %v", others, missing, err)
			}
			if _, err := provider.Apply(ctx, c, ap, nil); err != nil {
				t.Fatalf("applying with %v: %v", perms, err)
			}
		})
	}
}
