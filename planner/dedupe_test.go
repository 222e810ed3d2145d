package planner

import (
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/schema"
)

var t0 = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

// Issue 8 item 1b. Two applies at once left two "media" folders, each with
// its own "media/thumbs". Before, every later plan failed with "Ambiguous
// drive folder". Now: without proof that the extras are mkctl's the plan
// stops and lists ids and creation dates; under purge (or when the record
// holds them) it keeps one and deletes the rest, children first.
func TestDuplicateFolders(t *testing.T) {
	acct := base()
	acct.DriveFolders = []*schema.DriveFolder{{Name: "media", Path: "media"}, {Name: "thumbs", Path: "media/thumbs", Parent: "media"}}
	live := func() *Live {
		return &Live{DriveFolders: []LiveFolder{
			{ID: "m2", Name: "media", Path: "media", CreatedAt: t0.Add(time.Second), FilesCount: 0},
			{ID: "m1", Name: "media", Path: "media", CreatedAt: t0, FilesCount: 0},
			{ID: "t1", Name: "thumbs", ParentID: "m1", Path: "media/thumbs", CreatedAt: t0, FilesCount: 0},
			{ID: "t2", Name: "thumbs", ParentID: "m2", Path: "media/thumbs", CreatedAt: t0.Add(time.Second), FilesCount: 0},
		}}
	}

	_, diags := PlanAccount(acct, live())
	if !diags.HasErrors() || diags[0].Summary != "Duplicate drive folder" {
		t.Fatalf("diags = %v", diags)
	}
	d := diags[0].Detail
	for _, want := range []string{"id m1, created 2026-05-01T12:00:00Z (mkctl would keep this one)", "id m2, created 2026-05-01T12:00:01Z", `add "drive_folders" to purge`} {
		if !strings.Contains(d, want) {
			t.Errorf("detail lacks %q:\n%s", want, d)
		}
	}

	// Under purge: the oldest stays, the other goes with its child.
	acct.Purge["drive_folders"] = true
	ap := mustPlan(t, acct, live())
	want := "delete drive_folder[\"media/thumbs\"]~t2 t2\ndelete drive_folder[\"media\"]~m2 m2\n"
	if got := summary(ap); got != want {
		t.Fatalf("purge: got\n%swant\n%s", got, want)
	}
	if len(ap.Adopt) != 2 || ap.Adopt[0].ID != "m1" || ap.Adopt[1].ID != "t1" {
		t.Errorf("adopted %+v, want m1 and t1", ap.Adopt)
	}

	// Without purge, the record proves the extras are mkctl's: it holds
	// m2 as the folder, and t1 under an older key. The recorded one stays.
	acct.Purge["drive_folders"] = false
	l := live()
	l.Ownership = owning(map[string]string{`drive_folder["media"]`: "m2", `drive_folder["media/thumbs"]`: "t2", `drive_folder["old"]`: "m1", `drive_folder["old/x"]`: "t1"})
	ap = mustPlan(t, acct, l)
	want = "delete drive_folder[\"media/thumbs\"]~t1 t1\ndelete drive_folder[\"media\"]~m1 m1\n"
	if got := summary(ap); got != want {
		t.Fatalf("owned: got\n%swant\n%s", got, want)
	}

	// An extra that holds files is never deleted.
	acct.Purge["drive_folders"] = true
	l = live()
	l.DriveFolders[3].FilesCount = 2
	if _, diags := PlanAccount(acct, l); !diags.HasErrors() || !strings.Contains(diags[0].Detail, "t2 (holds files)") {
		t.Fatalf("diags = %v", diags)
	}
}

// Antennas and lists created twice: the recorded antenna uses the extra
// list, so it is moved to the kept list before the extra list goes
// (deleting a list deletes its antennas).
func TestDuplicateAntennasAndLists(t *testing.T) {
	acct := base()
	acct.UserLists = []*schema.UserList{{Name: "src", Members: []string{"@a"}}}
	acct.Antennas = []*schema.Antenna{{Name: "news", Source: "list", UserList: "src", Keywords: [][]string{{"x"}}, ExcludeKeywords: [][]string{}}}
	fields := func(list string) map[string]any {
		return map[string]any{"src": "list", "keywords": []any{[]any{"x"}}, "excludeKeywords": []any{}, "users": []any{},
			"caseSensitive": false, "localOnly": false, "excludeBots": false, "withReplies": false, "withFile": false,
			"excludeNotesInSensitiveChannel": false, "userListId": list}
	}
	live := func() *Live {
		return &Live{
			Users:     map[string]string{"@a": "ua"},
			UserLists: []LiveUserList{{ID: "L1", Name: "src", UserIDs: []string{"ua"}, CreatedAt: t0}, {ID: "L2", Name: "src", UserIDs: []string{"ua"}, CreatedAt: t0.Add(time.Second)}},
			Antennas:  []LiveAntenna{{ID: "A1", Name: "news", Fields: fields("L1"), CreatedAt: t0}, {ID: "A2", Name: "news", Fields: fields("L2"), CreatedAt: t0.Add(time.Second)}},
		}
	}
	_, diags := PlanAccount(acct, live())
	if len(diags) != 2 || diags[0].Summary != "Duplicate user list" && diags[1].Summary != "Duplicate user list" {
		t.Fatalf("diags = %v", diags)
	}
	acct.Purge["antennas"], acct.Purge["user_lists"] = true, true
	l := live()
	l.Ownership = owning(map[string]string{"antenna.news": "A1", "user_list.src": "L2"})
	ap := mustPlan(t, acct, l)
	want := "delete antenna.news~A2 A2\nupdate antenna.news A1\ndelete user_list.src~L1 L1\n"
	if got := summary(ap); got != want {
		t.Fatalf("got\n%swant\n%s", got, want)
	}
	if ap.Changes[1].After["userListId"] != "L2" {
		t.Errorf("kept antenna not moved to the kept list: %+v", ap.Changes[1].After)
	}
}

// An extra list that an antenna the configuration does not manage still
// uses stays (deleting the list would delete that antenna too), and the
// plan says why.
func TestDuplicateListUsedByUnmanagedAntennaStays(t *testing.T) {
	acct := base()
	acct.UserLists = []*schema.UserList{{Name: "src", Members: []string{"@a"}}}
	acct.Purge["user_lists"] = true
	live := &Live{
		Users: map[string]string{"@a": "ua"},
		UserLists: []LiveUserList{
			{ID: "L1", Name: "src", UserIDs: []string{"ua"}, CreatedAt: t0},
			{ID: "L2", Name: "src", UserIDs: []string{"ua"}, CreatedAt: t0.Add(time.Second)},
		},
		Antennas: []LiveAntenna{{ID: "A9", Name: "hand-made", Fields: map[string]any{"src": "list", "userListId": "L2"}, CreatedAt: t0}},
	}
	ap := mustPlan(t, acct, live)
	if got := summary(ap); got != "" {
		t.Fatalf("the extra list used by a hand-made antenna is deleted:\n%s", got)
	}
	found := false
	for _, n := range ap.Notes {
		found = found || strings.Contains(n, `the duplicate L2 stays: antenna "hand-made"`)
	}
	if !found {
		t.Errorf("no note says why L2 stays: %q", ap.Notes)
	}
}
