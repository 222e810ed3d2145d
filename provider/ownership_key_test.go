package provider

import (
	"context"
	"reflect"
	"testing"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

func labelled(label string) func(*schema.Account) {
	return func(a *schema.Account) { a.Label = label }
}

// Two configurations that manage alice with the same token each keep their
// own record, under planner.OwnershipKey of their address: neither sees,
// nor overwrites, what the other made.
func TestOwnershipRecordPerAddress(t *testing.T) {
	env := newEmuEnv(t)
	mine := env.emu.SeedFolders(env.me.ID, "", []string{"mine"})[0]
	env.writeRecord(t, &planner.Ownership{Version: 1, Account: "account.main", Objects: map[string]planner.Owned{folderKey("mine"): {ID: mine}}})
	env.emu.ResetRequests()

	live, err := ReadAccount(context.Background(), env.c, account(labelled("other"), folders("x")))
	if err != nil {
		t.Fatal(err)
	}
	if live.Ownership != nil {
		t.Errorf("account.other read account.main's record: %+v", live.Ownership)
	}
	ap := env.plan(folderCreates("x")...)
	ap.Address = "account.other"
	if _, err := Apply(context.Background(), env.c, ap, nil); err != nil {
		t.Fatal(err)
	}
	for _, req := range env.emu.Requests() {
		if key, ok := req.Body["key"]; ok && key != "ownership:account.other" {
			t.Errorf("%s with key %v", req.Endpoint, key)
		}
	}
	other, err := readOwnership(context.Background(), env.c.Read, "account.other")
	if err != nil {
		t.Fatal(err)
	}
	if other == nil || other.Account != "account.other" || !reflect.DeepEqual(recordKeys(other), []string{folderKey("x")}) {
		t.Errorf("account.other's record = %+v", other)
	}
	if got := recordKeys(env.record(t)); !reflect.DeepEqual(got, []string{folderKey("mine")}) {
		t.Errorf("account.main's record = %v", got)
	}
}

// A record under an account's key that names another account is not
// trusted: read as none, and replaced by the account's own on the next write.
func TestOwnershipRecordOfAnotherAccountIgnored(t *testing.T) {
	env := newEmuEnv(t)
	f := env.emu.SeedFolders(env.me.ID, "", []string{"theirs"})[0]
	body := registryParams("account.main")
	body["value"] = &planner.Ownership{Version: 1, Account: "account.elsewhere", Objects: map[string]planner.Owned{folderKey("theirs"): {ID: f}}}
	if err := env.c.Write(context.Background(), "i/registry/set", body, nil); err != nil {
		t.Fatal(err)
	}
	live, err := ReadAccount(context.Background(), env.c, account(folders("x")))
	if err != nil {
		t.Fatal(err)
	}
	if live.Ownership != nil {
		t.Fatalf("ownership = %+v, want none", live.Ownership)
	}
	// The walk did not treat "theirs" as owned: no drive/folders/show.
	if n := env.count("drive/folders/show"); n != 0 {
		t.Errorf("%d drive/folders/show", n)
	}
	if _, err := Apply(context.Background(), env.c, env.plan(folderCreates("x")...), nil); err != nil {
		t.Fatal(err)
	}
	rec := env.record(t)
	if rec == nil || rec.Account != "account.main" || !reflect.DeepEqual(recordKeys(rec), []string{folderKey("x")}) {
		t.Errorf("record = %+v", rec)
	}
}
