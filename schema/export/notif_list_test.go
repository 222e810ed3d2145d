package export

import (
	"strings"
	"testing"

	"github.com/mkctl/mkctl/planner"
)

// TestExportNotifConfigList: a notification_receive_config that names a
// user list is written as { list = user_list.NAME } when the list is
// exported too, and plans to no changes; without the lists, or with a
// list mkctl cannot tell apart from another, the attribute is left out
// with the reason.
func TestExportNotifConfigList(t *testing.T) {
	p := freshI("alice")
	p["notificationRecieveConfig"] = map[string]any{
		"reply":   map[string]any{"type": "list", "userListId": "L1"},
		"mention": map[string]any{"type": "never"},
	}
	live := &planner.Live{UserID: "u0", Username: "alice", Profile: p,
		UserLists: []planner.LiveUserList{{ID: "L1", Name: "close friends"}, {ID: "L2", Name: "news"}}}
	acc := Account{Host: "misskey.example", Username: "alice", Live: live, UserAccts: map[string]string{}}
	res, err := Generate(acc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	main := string(res.Files[0].Content)
	flat := strings.Join(strings.Fields(main), " ")
	if !strings.Contains(flat, `notification_receive_config = { mention = "never" reply = { list = user_list["close friends"] } }`) {
		t.Fatalf("no notification_receive_config naming the list:\n%s", main)
	}
	cfg, ap, diags := loadAndPlan(t, res, live)
	if cfg == nil || errorsOnly(diags).HasErrors() {
		t.Fatalf("%v\n%s", diags, main)
	}
	for _, c := range ap.Changes {
		t.Errorf("change %s %s %+v", c.Action, c.Address, c.Attrs)
	}

	for _, tc := range []struct {
		name  string
		opts  Options
		lists []planner.LiveUserList
		why   string
	}{
		{"profile only", Options{Kinds: map[string]bool{"profile": true}}, live.UserLists, "is not exported (export user_lists too)"},
		{"two lists of the name", Options{}, []planner.LiveUserList{{ID: "L1", Name: "twins"}, {ID: "L3", Name: "twins"}}, `is one of 2 lists named "twins"`},
	} {
		l := *live
		l.UserLists = tc.lists
		a := acc
		a.Live = &l
		res, err := Generate(a, tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(res.Files[0].Content), "notification_receive_config =") ||
			!strings.Contains(strings.Join(res.Notes, "\n"), "reply notifies only the members of the user list L1, which "+tc.why) {
			t.Errorf("%s: notes %q\n%s", tc.name, res.Notes, res.Files[0].Content)
		}
		if cfg, ap, diags := loadAndPlan(t, res, &l); cfg == nil || errorsOnly(diags).HasErrors() || len(ap.Changes) != 0 {
			t.Errorf("%s: %v %v", tc.name, diags, ap)
		}
	}
}
