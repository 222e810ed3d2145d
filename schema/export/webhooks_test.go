package export

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// A webhook's secret is never written: it becomes a sensitive variable
// without a default, named in a note; with the variable set, the plan says
// no changes. Webhooks validate would refuse, and duplicates, are left out.
func TestExportWebhooks(t *testing.T) {
	acc := smallAccount()
	acc.Live.Webhooks = []planner.LiveWebhook{
		{ID: "w1", Name: "ci", URL: "https://hooks.example/misskey", Secret: "exp0rt-s3cret", On: []string{"note", "follow"}, Active: true},
		{ID: "w2", Name: "quiet", URL: "https://hooks.example/q", On: []string{}, Active: false},
		{ID: "w3", Name: "bad", URL: "not a url", On: []string{"note"}, Active: true},
		{ID: "w4", Name: "twice", URL: "https://hooks.example/t", On: []string{"note", "note"}, Active: true},
		{ID: "w5", Name: "dup", URL: "https://hooks.example/d", On: []string{"note"}, Active: true},
		{ID: "w6", Name: "dup", URL: "https://hooks.example/d", On: []string{"note"}, Active: true},
	}
	if acc.Live.Policies == nil {
		acc.Live.Policies = map[string]any{}
	}
	acc.Live.Policies["webhookLimit"] = 10.0 // a role that allows six
	res, err := Generate(acc, Options{Kinds: map[string]bool{"webhooks": true}})
	if err != nil {
		t.Fatal(err)
	}
	src := string(res.Files[0].Content)
	if strings.Contains(src, "exp0rt-s3cret") || strings.Contains(strings.Join(res.Notes, "\n"), "exp0rt-s3cret") {
		t.Fatalf("the secret is written:\n%s", src)
	}
	if !regexp.MustCompile(`secret += var.webhook_ci_secret`).MatchString(src) ||
		!regexp.MustCompile(`(?s)variable "webhook_ci_secret" \{[^}]*sensitive += true`).MatchString(src) {
		t.Fatalf("no sensitive variable for the secret:\n%s", src)
	}
	if strings.Contains(src[strings.Index(src, `variable "webhook_ci_secret"`):], "default") {
		t.Errorf("the secret's variable has a default:\n%s", src)
	}
	if !strings.Contains(strings.Join(res.Notes, "\n"), `variable "webhook_ci_secret" has no value`) {
		t.Errorf("notes %q", res.Notes)
	}
	for _, want := range []string{`webhook "ci"`, `webhook "quiet"`, `active = false`, `Webhook "bad" (id w3) is not exported`, `Webhook "twice" (id w4) is not exported`, `Webhooks "dup" (ids w5, w6) are not exported`} {
		if !strings.Contains(src, want) {
			t.Errorf("no %q in:\n%s", want, src)
		}
	}

	dir := t.TempDir()
	for _, f := range res.Files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, _, diags := schema.Load(dir, schema.LoadOptions{Vars: map[string]string{"webhook_ci_secret": "exp0rt-s3cret"}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if !cfg.Sensitive.Holds("exp0rt-s3cret") {
		t.Error("the secret's variable is not sensitive")
	}
	ap, pdiags := planner.PlanAccount(cfg.Accounts[0], acc.Live)
	if pdiags.HasErrors() {
		t.Fatal(pdiags)
	}
	for _, ch := range ap.Changes {
		t.Errorf("change after export: %s %s", ch.Action, ch.Address)
	}
}
