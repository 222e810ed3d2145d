package provider

import (
	"context"
	"reflect"
	"testing"

	"github.com/mkctl/mkctl/planner"
)

// A plan made in this process moments ago carries the record ReadAccount
// read (ap.Ownership) and the token owner's id: Apply neither reads the
// record again nor asks `i` who the token belongs to.
func TestApplyInProcessPlanSkipsRereads(t *testing.T) {
	env := newEmuEnv(t)
	a := env.emu.SeedFolders(env.me.ID, "", []string{"a"})[0]
	env.writeRecord(t, &planner.Ownership{Version: 1, Account: "account.main", Objects: map[string]planner.Owned{folderKey("a"): {ID: a}}})
	live, err := ReadAccount(context.Background(), env.c, account(folders("a", "b")))
	if err != nil {
		t.Fatal(err)
	}
	ap := env.plan(folderCreates("b")...)
	ap.Ownership = live.Ownership
	env.resetCounts()
	if _, err := Apply(context.Background(), env.c, ap, nil); err != nil {
		t.Fatal(err)
	}
	if env.count("i") != 0 || env.count("i/registry/get-detail") != 0 || env.total() != 2 {
		t.Errorf("requests = %v, want only drive/folders/create and i/registry/set", env.counts)
	}
	if got := recordKeys(env.record(t)); !reflect.DeepEqual(got, []string{folderKey("a"), folderKey("b")}) {
		t.Errorf("record = %v", got)
	}
	// The plan's record is not changed under the caller's feet; the
	// result is in ap.Ownership.
	if got := recordKeys(live.Ownership); !reflect.DeepEqual(got, []string{folderKey("a")}) {
		t.Errorf("live.Ownership = %v", got)
	}
	if got := recordKeys(ap.Ownership); !reflect.DeepEqual(got, []string{folderKey("a"), folderKey("b")}) {
		t.Errorf("ap.Ownership = %v", got)
	}
}

// A saved plan (no Ownership) checks the token and reads the record.
func TestApplySavedPlanChecksTokenAndRecord(t *testing.T) {
	env := newEmuEnv(t)
	if _, err := Apply(context.Background(), env.c, env.plan(folderCreates("b")...), nil); err != nil {
		t.Fatal(err)
	}
	if env.count("i") != 1 || env.count("i/registry/get-detail") != 1 {
		t.Errorf("requests = %v", env.counts)
	}
}
