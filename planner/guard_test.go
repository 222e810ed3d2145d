package planner

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mkctl/mkctl/schema"
)

// guardPlan is a plan deleting del of the owned follows (owned in all).
func guardPlan(owned, del int) (*schema.Account, *AccountPlan) {
	acct := base()
	objs := map[string]string{}
	for i := range owned {
		objs[followKey(fmt.Sprintf("@u%d", i))] = fmt.Sprintf("U%d", i)
	}
	objs[`drive_file["x"]~F1`] = "F1" // a retiring entry: not a managed object of its kind
	ap := &AccountPlan{Address: acct.Address(), Ownership: owning(objs)}
	for i := range del {
		key := followKey(fmt.Sprintf("@u%d", i))
		ap.Changes = append(ap.Changes, &Change{Address: ap.Address + "." + key, Type: TypeFollow, Action: ActionDelete, Key: key, ID: fmt.Sprintf("U%d", i)})
	}
	return acct, ap
}

func TestDeletionGuardThresholds(t *testing.T) {
	for _, tc := range []struct {
		owned, del int
		refused    bool
	}{
		{10, 10, false}, // 10 objects: never more than max_objects
		{11, 11, true},  // 11 of 11
		{100, 25, false},
		{100, 26, true},
		{44, 11, false}, // 25.0%
		{43, 11, true},  // 25.6%
		{0, 11, true},   // deleted but not in the record (purge): they count as managed
	} {
		acct, ap := guardPlan(tc.owned, tc.del)
		diags := CheckDeletionGuard(acct, &Live{}, ap, false)
		if diags.HasErrors() != tc.refused {
			t.Errorf("%d of %d: refused %v, want %v (%v)", tc.del, tc.owned, diags.HasErrors(), tc.refused, diags)
		}
		if tc.refused {
			d := diags[0].Detail
			want := fmt.Sprintf("would delete %d of the %d follows mkctl manages", tc.del, max(tc.owned, tc.del))
			if !strings.Contains(d, want) || !strings.Contains(d, "--allow-mass-delete") || !strings.Contains(d, "more than 10 objects and more than 25%") {
				t.Errorf("detail %q, want %q, the flag and the threshold", d, want)
			}
			// The override: no error, a note.
			acct, ap = guardPlan(tc.owned, tc.del)
			if diags := CheckDeletionGuard(acct, &Live{}, ap, true); len(diags) != 0 || len(ap.Notes) != 1 {
				t.Errorf("allowed: %v, notes %q", diags, ap.Notes)
			}
		}
	}
}

func TestDeletionGuardPerAccount(t *testing.T) {
	acct, ap := guardPlan(100, 20)
	acct.DeletionGuard = &schema.DeletionGuard{Enabled: true, MaxObjects: 30, MaxPercent: 5}
	if diags := CheckDeletionGuard(acct, &Live{}, ap, false); diags.HasErrors() {
		t.Errorf("20 <= max_objects 30: %v", diags)
	}
	acct.DeletionGuard = &schema.DeletionGuard{Enabled: true, MaxObjects: 0, MaxPercent: 19}
	if diags := CheckDeletionGuard(acct, &Live{}, ap, false); !diags.HasErrors() {
		t.Error("20% > max_percent 19: not refused")
	}
	acct.DeletionGuard = &schema.DeletionGuard{Enabled: true, MaxObjects: 0, MaxPercent: 20}
	if diags := CheckDeletionGuard(acct, &Live{}, ap, false); diags.HasErrors() {
		t.Errorf("20%% = max_percent 20: %v", diags)
	}
	acct.DeletionGuard = &schema.DeletionGuard{Enabled: false}
	if vs := GuardViolations(acct, &Live{}, ap); len(vs) != 0 {
		t.Errorf("disabled: %v", vs)
	}
}

func TestDeletionGuardPurgeCountsLiveObjects(t *testing.T) {
	// 12 unowned follows deleted by purge out of 60 live ones: 20%.
	acct, ap := guardPlan(0, 12)
	live := &Live{Follows: make([]LiveFollow, 60)}
	if vs := GuardViolations(acct, live, ap); len(vs) != 1 {
		t.Fatalf("without purge the live follows are not managed: %v", vs)
	}
	acct.Purge["follows"] = true
	if vs := GuardViolations(acct, live, ap); len(vs) != 0 {
		t.Errorf("purged: 12 of 60 live follows: %v", vs)
	}
}

func TestDeletionGuardIgnoresReplacesAndFollowups(t *testing.T) {
	acct := base()
	ap := &AccountPlan{Address: acct.Address()}
	for i := range 20 {
		key := DriveFileKey(fmt.Sprintf("f%d", i))
		ap.Changes = append(ap.Changes,
			&Change{Type: TypeDriveFile, Action: ActionReplace, Key: key, ID: "old"},
			&Change{Type: TypeDriveFile, Action: ActionDelete, Key: RetiringFileKey(key, "old"), ID: "old", Followup: true},
			&Change{Type: TypeDriveFile, Action: ActionDelete, Key: ProfileImageKey("avatar") + "~A" + fmt.Sprint(i), ID: "A"})
	}
	if vs := GuardViolations(acct, &Live{}, ap); len(vs) != 0 {
		t.Errorf("%v", vs)
	}
}
