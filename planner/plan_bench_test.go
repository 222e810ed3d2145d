package planner

import (
	"fmt"
	"testing"

	"github.com/mkctl/mkctl/schema"
)

// BenchmarkPlanLargeAccount diffs an account with 5,000 follows, 200
// folders, 5 antennas and 10 lists, all declared and recorded: the planner
// share of `mkctl plan` (the reads are measured by provider's
// BenchmarkReadAccount).
func BenchmarkPlanLargeAccount(b *testing.B) {
	acct := base()
	live := &Live{Ownership: NewOwnership("account.bot")}
	for i := range 5000 {
		a := fmt.Sprintf("@user%d@remote%d.example", i, i%50)
		acct.Follows = append(acct.Follows, &schema.Follow{Acct: a})
		id := fmt.Sprintf("u%d", i)
		live.Follows = append(live.Follows, LiveFollow{UserID: id, Acct: a})
		live.Ownership.Objects[followKey(a)] = Owned{ID: id}
	}
	for i := range 20 {
		parent := fmt.Sprintf("dir%d", i)
		acct.DriveFolders = append(acct.DriveFolders, &schema.DriveFolder{Name: parent, Path: parent})
		live.DriveFolders = append(live.DriveFolders, LiveFolder{ID: "f" + parent, Name: parent, Path: parent, FilesCount: -1})
		for j := range 9 {
			name := fmt.Sprintf("sub%d", j)
			path := parent + "/" + name
			acct.DriveFolders = append(acct.DriveFolders, &schema.DriveFolder{Name: name, Path: path, Parent: parent})
			live.DriveFolders = append(live.DriveFolders, LiveFolder{ID: "f" + path, Name: name, ParentID: "f" + parent, Path: path, FilesCount: -1})
		}
	}
	for i := range 10 {
		name := fmt.Sprintf("list%d", i)
		acct.UserLists = append(acct.UserLists, &schema.UserList{Name: name, Members: []string{"@user1@remote1.example"}})
		live.UserLists = append(live.UserLists, LiveUserList{ID: "l" + name, Name: name, UserIDs: []string{"u1"}})
	}
	for i := range 5 {
		name := fmt.Sprintf("antenna%d", i)
		want := &schema.Antenna{Name: name, Source: "all", Keywords: [][]string{{"x"}}, ExcludeKeywords: [][]string{}}
		acct.Antennas = append(acct.Antennas, want)
		live.Antennas = append(live.Antennas, LiveAntenna{ID: "a" + name, Name: name, Fields: antennaParams(want)})
	}
	live.Policies = map[string]any{"antennaLimit": float64(5), "userListLimit": float64(10)}
	b.ReportAllocs()
	for b.Loop() {
		ap, diags := PlanAccount(acct, live)
		if diags.HasErrors() || len(ap.Changes) != 0 {
			b.Fatalf("diags %v, %d changes", diags, len(ap.Changes))
		}
	}
}
