package provider

import (
	"context"
	"testing"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// BenchmarkReadAccountFollowShapes reports the requests one ReadAccount
// makes on a follows-only configuration against the floor, the fewest
// requests that can answer the plan:
//
//	2                     `i` and the ownership record
//	+ 1                   following/requests/sent (no request pending here)
//	+ min(pages, lookup)  pages = ⌊followingCount/100⌋+1 of users/following;
//	                      lookup = ⌈recorded ids/100⌉ users/show {userIds}
//	                      + one users/show {username} per declared follow
//	                      without a recorded id (needed on both paths when
//	                      it is not followed yet)
func BenchmarkReadAccountFollowShapes(b *testing.B) {
	for _, tc := range []struct {
		name               string
		follows, declared  int
		recorded           bool
		wantFloor, wantLen int
	}{
		// Everything declared: 51 pages or 50 users/show; the lookup wins by one.
		{"all-declared-5000", 5000, 5000, true, 3 + 50, 5000},
		// 10 of 10,000 declared and recorded: one users/show instead of 101 pages.
		{"few-declared-10000", 10000, 10, true, 3 + 1, 10},
		// The same with a new token (empty record): 10 lookups by name.
		{"few-declared-10000-new-token", 10000, 10, false, 3 + 10, 10},
	} {
		b.Run(tc.name, func(b *testing.B) {
			env := newEmuEnv(b)
			ids := env.emu.SeedUsers("user", tc.follows)
			env.emu.SeedFollows(env.me.ID, ids)
			acct := account()
			rec := planner.NewOwnership("account.main")
			for i := range tc.declared {
				k := i * (tc.follows / tc.declared) // spread over the pages
				acct.Follows = append(acct.Follows, followBlock("@user"+itoa(k)))
				if tc.recorded {
					rec.Objects[`follow["@user`+itoa(k)+`"]`] = planner.Owned{ID: ids[k]}
				}
			}
			env.writeRecord(b, rec)
			ctx := context.Background()
			env.resetCounts()
			b.ResetTimer()
			for b.Loop() {
				live, err := ReadAccount(ctx, env.c, acct)
				if err != nil {
					b.Fatal(err)
				}
				if len(live.Follows) != tc.wantLen || live.UnlistedFollows != tc.follows-tc.wantLen {
					b.Fatalf("%d follows listed, %d unlisted", len(live.Follows), live.UnlistedFollows)
				}
			}
			reqs := float64(env.total()) / float64(b.N)
			b.ReportMetric(reqs, "requests/op")
			b.ReportMetric(float64(tc.wantFloor), "floor")
			b.ReportMetric(reqs/float64(tc.wantFloor), "requests/floor")
		})
	}
}

func followBlock(acct string) *schema.Follow { return &schema.Follow{Acct: acct} }
