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

func TestNoteAge(t *testing.T) {
	for expr, want := range map[string]any{
		`"720h"`:                      -2592000.0,
		`"-720h"`:                     -2592000.0,
		`"0s"`:                        -0.0,
		`"2023-11-14T22:13:20Z"`:      1700000000.0,
		`"2023-11-15T07:13:20+09:00"`: 1700000000.0,
		`null`:                        nil,
	} {
		src := accountHead + "  profile {\n    make_notes_hidden_before = " + expr + "\n  }\n}\n"
		_, cfg, diags := loadFiles(t, map[string]string{"main.mk.hcl": src}, LoadOptions{})
		if diags.HasErrors() {
			t.Fatalf("%s: %v", expr, diags)
		}
		if got := attrs(t, cfg.Accounts[0])["make_notes_hidden_before"]; !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %v, want %v", expr, got, want)
		}
	}
	for expr, want := range map[string][2]string{
		`"30 days"`:              {"Invalid age or time", "neither an age"},
		`"1.5s"`:                 {"Invalid age", "whole seconds"},
		`"1960-01-01T00:00:00Z"`: {"Invalid time", "after 1970"},
		`-2592000`:               {"Incorrect attribute value type", "720h"},
	} {
		src := accountHead + "  profile {\n    make_notes_followers_only_before = " + expr + "\n  }\n}\n"
		_, _, diags := loadFiles(t, map[string]string{"main.mk.hcl": src}, LoadOptions{})
		wantLocatedError(t, diags, "main.mk.hcl", 5, want[0], want[1])
	}
}

func TestMuteWords(t *testing.T) {
	src := accountHead + "  profile {\n    muted_words = [[\"spoiler\", \"movie\"], \"/^RT @/i\", toset([\"x\"])]\n  }\n}\n"
	_, cfg, diags := loadFiles(t, map[string]string{"main.mk.hcl": src}, LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	want := []any{[]any{"spoiler", "movie"}, "/^RT @/i", []any{"x"}}
	if got := attrs(t, cfg.Accounts[0])["muted_words"]; !reflect.DeepEqual(got, want) {
		t.Errorf("muted_words = %#v", got)
	}
	for expr, want := range map[string][2]string{
		`muted_words = ["cat"]`:           {"Invalid muted word", `write a list, ["cat"]`},
		`muted_words = ["/(?<=a)b/"]`:     {"Invalid muted word", "look-behind"},
		`hard_muted_words = ["/(a)\\1/"]`: {"Invalid muted word", "RE2"},
		`hard_muted_words = ["/a/ii"]`:    {"Invalid muted word", "each once"},
		`muted_words = [[]]`:              {"Empty keyword list", "mute nothing"},
		`muted_words = [["a", ""]]`:       {"Empty keyword", "is empty"},
		`muted_words = null`:              {"Null value not allowed", "removes every muted word"},
		`muted_words = [5]`:               {"Incorrect attribute value type", "keywords"},
	} {
		src := accountHead + "  profile {\n    " + expr + "\n  }\n}\n"
		_, _, diags := loadFiles(t, map[string]string{"main.mk.hcl": src}, LoadOptions{})
		wantLocatedError(t, diags, "main.mk.hcl", 5, want[0], want[1])
	}
}

func TestNotificationReceiveConfig(t *testing.T) {
	src := accountHead + "  profile {\n    notification_receive_config = { follow = \"following\", reply = { list = user_list.friends } }\n  }\n  user_list \"friends\" {}\n}\n"
	_, cfg, diags := loadFiles(t, map[string]string{"main.mk.hcl": src}, LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	want := map[string]any{"follow": map[string]any{"type": "following"}, "reply": map[string]any{"type": "list", "list": "friends"}}
	if got := attrs(t, cfg.Accounts[0])["notification_receive_config"]; !reflect.DeepEqual(got, want) {
		t.Errorf("notification_receive_config = %#v", got)
	}
	for expr, want := range map[string][2]string{
		`notification_receive_config = { mentions = "all" }`:        {"Unsupported notification type", `Did you mean "mention"?`},
		`notification_receive_config = { mention = "everyone" }`:    {"Unsupported value", "mutualFollow"},
		`notification_receive_config = { mention = { lst = "x" } }`: {"Incorrect attribute value type", "list = user_list.NAME"},
		`notification_receive_config = null`:                        {"Null value not allowed", "every type to its default"},
	} {
		src := accountHead + "  profile {\n    " + expr + "\n  }\n}\n"
		_, _, diags := loadFiles(t, map[string]string{"main.mk.hcl": src}, LoadOptions{})
		wantLocatedError(t, diags, "main.mk.hcl", 5, want[0], want[1])
	}
}
