package planner

import (
	"reflect"
	"testing"
)

func fingerprintPlan(name string, withFollow bool) *AccountPlan {
	ap := &AccountPlan{Address: "account.bot", Changes: []*Change{{
		Address: "account.bot.profile", Type: TypeProfile, Action: ActionUpdate,
		Attrs: []AttrChange{{Name: "name", Before: name, After: "Bot"}},
		After: map[string]any{"name": "Bot", "avatar": map[string]any{"source": "/a/checkout/img.png", "md5": "0123456789abcdef0123456789abcdef"}},
	}}}
	if withFollow {
		ap.Changes = append(ap.Changes, &Change{Address: `account.bot.follow["@a"]`, Type: TypeFollow, Action: ActionCreate, Key: `follow["@a"]`, ID: "u1"})
	}
	return ap
}

func TestFingerprintNamesOnlyMovedPlannedObjects(t *testing.T) {
	saved := AccountFingerprint(fingerprintPlan("Old", false))
	if len(saved.Objects) != 1 {
		t.Fatalf("objects: %v", saved.Objects)
	}
	// the same state: nothing moved; another object needing a change now
	// is not the saved plan's business
	if moved := saved.Compare(AccountFingerprint(fingerprintPlan("Old", true))); len(moved) != 0 {
		t.Errorf("moved: %v", moved)
	}
	// the planned profile changed on the server
	if moved := saved.Compare(AccountFingerprint(fingerprintPlan("Hand", false))); !reflect.DeepEqual(moved, []string{"account.bot.profile"}) {
		t.Errorf("moved: %v", moved)
	}
	// the planned change is no longer needed
	if moved := saved.Compare(AccountFingerprint(&AccountPlan{})); !reflect.DeepEqual(moved, []string{"account.bot.profile"}) {
		t.Errorf("moved: %v", moved)
	}
}

func TestFingerprintIgnoresWhereTheCheckoutIs(t *testing.T) {
	a := fingerprintPlan("Old", false)
	b := fingerprintPlan("Old", false)
	b.Changes[0].After["avatar"].(map[string]any)["source"] = "/elsewhere/img.png"
	if AccountFingerprint(a).Digest != AccountFingerprint(b).Digest {
		t.Error("the upload's absolute path changes the fingerprint")
	}
	if a.Changes[0].After["avatar"].(map[string]any)["source"] != "/a/checkout/img.png" {
		t.Error("fingerprinting changed the plan")
	}
	b.Changes[0].After["avatar"].(map[string]any)["md5"] = "ffffffffffffffffffffffffffffffff"
	if AccountFingerprint(a).Digest == AccountFingerprint(b).Digest {
		t.Error("other bytes, same fingerprint")
	}
}

func TestFingerprintAdoptAndForget(t *testing.T) {
	ap := &AccountPlan{Adopt: []Owned{{Key: "antenna.news", ID: "a1"}}, Forget: []string{`follow["@gone"]`}}
	fp := AccountFingerprint(ap)
	if fp.Objects[FingerprintAdopt+"antenna.news"] == "" || fp.Objects[FingerprintForget+`follow["@gone"]`] == "" {
		t.Fatalf("objects: %v", fp.Objects)
	}
	ap.Adopt[0].ID = "a2"
	if moved := fp.Compare(AccountFingerprint(ap)); !reflect.DeepEqual(moved, []string{"adopt antenna.news"}) {
		t.Errorf("moved: %v", moved)
	}
}
