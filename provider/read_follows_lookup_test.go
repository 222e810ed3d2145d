package provider

import (
	"context"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// readBothWays reads the account with the users/show lookup (when
// planFollowLookup picks it) and with paging, and returns the plans and the
// request counts of each.
func readBothWays(t testing.TB, ctx context.Context, c *Client, counter func() int, acct *schema.Account) (lookup, paged *planner.AccountPlan, lookupReqs, pagedReqs int) {
	t.Helper()
	plan := func() (*planner.AccountPlan, int) {
		before := counter()
		live, err := ReadAccount(ctx, c, acct)
		if err != nil {
			t.Fatal(err)
		}
		n := counter() - before
		p, diags := planner.PlanAccount(acct, live)
		if p == nil {
			p = &planner.AccountPlan{}
		}
		if p.Ownership != nil {
			p.Ownership.ReadAt = 0 // when it was read: the two reads differ there
		}
		// An unresolved account is an error of the plan: keep it to compare.
		for _, d := range diags {
			p.Notes = append(p.Notes, "diagnostic: "+d.Summary+": "+d.Detail)
		}
		return p, n
	}
	lookup, lookupReqs = plan()
	alwaysPageFollows = true
	defer func() { alwaysPageFollows = false }()
	paged, pagedReqs = plan()
	return lookup, paged, lookupReqs, pagedReqs
}

// TestReadFollowsLookupSamePlan: an account following 1,000 users plans the
// same with the users/show lookup as with every page of users/following —
// declared follows with settings to change, a declared follow under a new
// token (no recorded id), a pending request to a declared account and one
// to an undeclared account, a recorded follow no longer declared (deleted),
// a recorded follow already gone (forgotten), an unknown account, and the
// count of follows left alone — in fewer requests.
func TestReadFollowsLookupSamePlan(t *testing.T) {
	env := newEmuEnv(t)
	ctx := context.Background()
	ids := env.emu.SeedUsers("u", 1000)
	env.emu.SeedFollows(env.me.ID, ids)
	locked := env.emu.CreateUser("locked")
	env.emu.SeedFollowRequest(env.me.ID, locked.ID)
	other := env.emu.CreateUser("other")
	env.emu.SeedFollowRequest(env.me.ID, other.ID)
	gone := env.emu.CreateUser("gone")
	newcomer := env.emu.CreateUser("newcomer")

	yes := true
	acct := account(follows("@u0", "@u1", "@U2", "@locked", "@newcomer", "@nobody"))
	acct.Follows[0].Notify = &yes
	acct.Follows[1].WithReplies = &yes
	rec := planner.NewOwnership("account.main")
	rec.Objects[`follow["@u0"]`] = planner.Owned{ID: ids[0]}
	rec.Objects[`follow["@u1"]`] = planner.Owned{ID: ids[1]}
	rec.Objects[`follow["@u7"]`] = planner.Owned{ID: ids[7]}        // owned, no longer declared: deleted
	rec.Objects[`follow["@gone"]`] = planner.Owned{ID: gone.ID}     // not followed any more: forgotten
	rec.Objects[`follow["@locked"]`] = planner.Owned{ID: locked.ID} // pending
	env.writeRecord(t, rec)
	_ = newcomer

	lookup, paged, lr, pr := readBothWays(t, ctx, env.c, env.total, acct)
	if !reflect.DeepEqual(lookup, paged) {
		t.Errorf("plans differ:\nlookup %s\npaged  %s", dump(lookup), dump(paged))
	}
	// Lookup: i, record, requests/sent, users/show {userIds} (5 ids), by
	// name @U2, @newcomer, @nobody. Paging: i, record, sent, 11 pages, then
	// by name @newcomer, @nobody.
	if lr != 7 || pr != 16 {
		t.Errorf("requests: lookup %d, paged %d; want 7 and 16", lr, pr)
	}
	if !hasNote(lookup, "diagnostic: Cannot resolve account") {
		t.Errorf("notes %q", lookup.Notes)
	}
	acct.Follows = acct.Follows[:len(acct.Follows)-1] // without @nobody: a plan
	lookup, paged, _, _ = readBothWays(t, ctx, env.c, env.total, acct)
	if !reflect.DeepEqual(lookup, paged) {
		t.Errorf("plans differ:\nlookup %s\npaged  %s", dump(lookup), dump(paged))
	}
	if len(lookup.Changes) == 0 || !hasNote(lookup, "997 follow(s) not managed") {
		t.Errorf("notes %q", lookup.Notes)
	}
}

func hasNote(p *planner.AccountPlan, prefix string) bool {
	for _, n := range p.Notes {
		if len(n) >= len(prefix) && n[:len(prefix)] == prefix {
			return true
		}
	}
	return false
}

func dump(p *planner.AccountPlan) string {
	b, _ := json.MarshalIndent(p, "", " ")
	return string(b)
}

// followRecordKey is the ownership record's key of a follow (planner's
// followKey): usernames and hosts are case-insensitive, so it is lower-cased.
func followRecordKey(acct string) string {
	return "follow[" + strconv.Quote(strings.ToLower(acct)) + "]"
}
