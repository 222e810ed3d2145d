package schema

import (
	"reflect"
	"testing"
)

func TestMutedInstancesNormalised(t *testing.T) {
	src := accountHead + "  profile {\n    muted_instances = [\"Spam.EXAMPLE.\", \"bücher.example:8443\", \"a.example\"]\n  }\n}\n"
	_, cfg, diags := loadFiles(t, map[string]string{"main.mk.hcl": src}, LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	want := []any{"a.example", "spam.example", "xn--bcher-kva.example:8443"}
	if got := attrs(t, cfg.Accounts[0])["muted_instances"]; !reflect.DeepEqual(got, want) {
		t.Errorf("muted_instances = %v, want %v", got, want)
	}
	for expr, want := range map[string][2]string{
		`muted_instances = ["https://spam.example/"]`:        {"Invalid host", "not a server name"},
		`muted_instances = ["spam.example", "SPAM.example"]`: {"Duplicate host", "same server"},
		`muted_instances = ["spam.example:0"]`:               {"Invalid host", "1 to 65535"},
		`muted_instances = null`:                             {"Null value not allowed", "removes every item"},
		`email_notification_types = ["follow", "mentions"]`:  {"Unsupported value", `Did you mean "mention"?`},
		`email_notification_types = ["follow", "follow"]`:    {"Duplicate value", "already"},
		`email_notification_types = "follow"`:                {"Incorrect attribute value type", "a list of strings"},
	} {
		src := accountHead + "  profile {\n    " + expr + "\n  }\n}\n"
		_, _, diags := loadFiles(t, map[string]string{"main.mk.hcl": src}, LoadOptions{})
		wantLocatedError(t, diags, "main.mk.hcl", 5, want[0], want[1])
	}
	src = accountHead + "  profile {\n    email_notification_types = [\"receiveFollowRequest\", \"mention\", \"follow\"]\n  }\n}\n"
	_, cfg, diags = loadFiles(t, map[string]string{"main.mk.hcl": src}, LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if got := attrs(t, cfg.Accounts[0])["email_notification_types"]; !reflect.DeepEqual(got, []any{"follow", "mention", "receiveFollowRequest"}) {
		t.Errorf("email_notification_types = %v", got)
	}
}
