package planner

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mkctl/mkctl/schema"
)

// MarkSensitive hides attributes, notes and payload keys that hold a
// sensitive value; Redacted copies without changing the plan apply uses;
// fingerprints never hash the value; RestoreSensitive brings it back.
func TestSensitiveRedaction(t *testing.T) {
	set := &schema.Sensitive{}
	set.Add("t0p-s3cret-value")
	ch := &Change{
		Address: "account.a.profile", Type: TypeProfile, Action: ActionUpdate,
		Attrs:   []AttrChange{{Name: "description", Before: "old", After: "Token t0p-s3cret-value"}, {Name: "name", Before: nil, After: "Bot"}},
		After:   map[string]any{"description": "Token t0p-s3cret-value", "name": "Bot"},
		Applied: map[string]any{"description": "Token t0p-s3cret-value"},
	}
	hook := &Change{Address: "account.a.webhook.ci", Type: TypeWebhook, Action: ActionCreate, Key: "webhook.ci",
		Attrs: []AttrChange{{Name: "secret", After: "plain-hook-secret", Sensitive: true}}, After: map[string]any{"secret": "plain-hook-secret"}, Sensitive: []string{"secret"}}
	p := New(&AccountPlan{Address: "account.a", Changes: []*Change{ch, hook}, Notes: []string{"note about t0p-s3cret-value"}})
	MarkSensitive(p, set)

	if !ch.Attrs[0].Sensitive || ch.Attrs[1].Sensitive {
		t.Errorf("attrs %+v", ch.Attrs)
	}
	if strings.Contains(p.Accounts[0].Notes[0], "t0p") {
		t.Errorf("note %q", p.Accounts[0].Notes[0])
	}
	if ch.After["description"] != "Token t0p-s3cret-value" {
		t.Fatal("MarkSensitive changed the payload apply sends")
	}
	b, err := json.Marshal(p.Redacted())
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"t0p-s3cret-value", "plain-hook-secret", `"old"`} {
		if strings.Contains(string(b), secret) {
			t.Errorf("%s in %s", secret, b)
		}
	}
	if !strings.Contains(string(b), `"name","before":null,"after":"Bot"`) {
		t.Errorf("a plain attribute is hidden: %s", b)
	}
	fp, _ := json.Marshal(AccountFingerprint(p.Accounts[0]))
	again := New(&AccountPlan{Address: "account.a", Changes: []*Change{p.Redacted().Accounts[0].Changes[0], p.Redacted().Accounts[0].Changes[1]}})
	if fp2, _ := json.Marshal(AccountFingerprint(again.Accounts[0])); string(fp) != string(fp2) {
		t.Errorf("the fingerprint depends on the hidden values:\n%s\n%s", fp, fp2)
	}

	saved := p.Redacted().Accounts[0].Changes[0]
	if saved.After["description"] != schema.SensitiveText || saved.Applied["description"] != schema.SensitiveText {
		t.Fatalf("saved %+v", saved)
	}
	if !saved.RestoreSensitive(ch) || saved.After["description"] != "Token t0p-s3cret-value" || saved.Attrs[0].After != "Token t0p-s3cret-value" {
		t.Errorf("restored %+v", saved)
	}
	if p.Redacted().Accounts[0].Changes[1].RestoreSensitive(nil) {
		t.Error("restored from nothing")
	}
}
