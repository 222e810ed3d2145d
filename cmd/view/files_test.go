package view

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mkctl/mkctl/planner"
)

func TestHumanPlanFiles(t *testing.T) {
	md5a, md5b := "3f2a"+strings.Repeat("0", 28), "9c1e"+strings.Repeat("1", 28)
	p := planner.New(&planner.AccountPlan{Address: "account.bot", Changes: []*planner.Change{
		{Address: "account.bot.profile", Type: planner.TypeProfile, Action: planner.ActionUpdate,
			Attrs: []planner.AttrChange{{Name: "avatar",
				Before: map[string]any{"md5": md5a, "size": int64(18 * 1024)},
				After:  map[string]any{"md5": md5b, "size": float64(21 * 1024), "path": "images/avatar.png"}}}},
		{Address: `account.bot.drive_file["media/logo.png"]`, Type: planner.TypeDriveFile, Action: planner.ActionCreate, Key: `drive_file["media/logo.png"]`,
			Attrs: []planner.AttrChange{{Name: "content", After: map[string]any{"md5": md5b, "size": int64(812), "path": "media/logo.png"}}, {Name: "comment", After: "Logo"}}},
		{Address: `account.bot.drive_file["old.png"]`, Type: planner.TypeDriveFile, Action: planner.ActionDelete, Key: `drive_file["old.png"]`, ID: "f1",
			Attrs: []planner.AttrChange{{Name: "path", Before: "old.png"}, {Name: "content", Before: map[string]any{"md5": md5a, "size": 3 << 20}}}},
		{Address: `account.bot.profile.avatar~f0`, Type: planner.TypeDriveFile, Action: planner.ActionDelete, Key: `profile.avatar~f0`, ID: "f0", Followup: true,
			Reason: "the old avatar, replaced above"},
	}})
	var b bytes.Buffer
	HumanPlan(&b, p, Colors{})
	out := b.String()
	for _, want := range []string{
		"~ avatar = (md5 3f2a…, 18 KB) -> (md5 9c1e…, 21 KB) images/avatar.png",
		`+ drive_file["media/logo.png"] {`,
		"+ content = (md5 9c1e…, 812 B) media/logo.png",
		`- drive_file["old.png"] {`,
		"- content = (md5 3f2a…, 3.0 MB)",
		"Plan: 1 to add, 1 to change, 1 to destroy.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	var j bytes.Buffer
	if err := JSONPlan(&j, p, "test"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"format_version": "1.1"`, `"followup": true`, `"name": "avatar"`, `"path": "images/avatar.png"`} {
		if !strings.Contains(j.String(), want) {
			t.Errorf("JSON plan lacks %s", want)
		}
	}
}
