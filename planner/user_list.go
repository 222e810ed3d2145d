package planner

import (
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2"
)

func userListKey(name string) string { return "user_list." + name }

// planUserLists matches lists by name and turns membership differences into
// pushes and pulls.
func (p *planState) planUserLists() (ups, dels []*Change) {
	byName := groupBy(p.live.UserLists, func(l LiveUserList) string { return l.Name })
	declared := map[string]bool{}
	memberLimit := p.policy("userEachUserListsLimit", 50)
	for _, want := range p.acct.UserLists {
		declared[want.Name] = true
		key := userListKey(want.Name)
		p.protect(key, want.Lifecycle)
		if len(want.Members) > memberLimit {
			p.errorf(want.DeclRange, "Too many list members",
				"user_list %q has %d members, but this account may put at most %d accounts in a list (role policy userEachUserListsLimit).",
				want.Name, len(want.Members), memberLimit)
		}
		wantIDs := map[string]string{} // user id → acct
		for _, m := range want.Members {
			id, ok := p.userID(m)
			if !ok {
				p.unresolved(want.DeclRange, m, fmt.Sprintf("user_list %q", want.Name))
				continue
			}
			wantIDs[id] = m
		}
		matches := byName[want.Name]
		if len(matches) > 1 {
			p.errorf(want.DeclRange, "Ambiguous user list",
				"The account has %d lists named %q; mkctl cannot tell which one this block means. Hint: rename or delete the extra ones in Misskey, then plan again.",
				len(matches), want.Name)
			continue
		}
		if len(matches) == 0 {
			push := sortedKeys(wantIDs)
			c := &Change{
				Address: p.address(key), Type: TypeUserList, Action: ActionCreate, Key: key,
				After: map[string]any{"name": want.Name, "push": toAny(push)},
				Attrs: []AttrChange{{Name: "name", After: want.Name}, {Name: "members", After: acctList(push, wantIDs)}},
			}
			ups = append(ups, c)
			continue
		}
		live := matches[0]
		p.adopt(key, live.ID, nil)
		have := map[string]bool{}
		for _, id := range live.UserIDs {
			have[id] = true
		}
		var push, pull []string
		for id := range wantIDs {
			if !have[id] {
				push = append(push, id)
			}
		}
		for _, id := range live.UserIDs {
			if _, ok := wantIDs[id]; !ok {
				pull = append(pull, id)
			}
		}
		if len(push)+len(pull) == 0 {
			continue
		}
		sort.Strings(push)
		sort.Strings(pull)
		ups = append(ups, &Change{
			Address: p.address(key), Type: TypeUserList, Action: ActionUpdate, Key: key, ID: live.ID,
			After: map[string]any{"push": toAny(push), "pull": toAny(pull)},
			Attrs: []AttrChange{{Name: "members", Before: p.acctsOf(live.UserIDs), After: acctList(sortedKeys(wantIDs), wantIDs)}},
		})
	}

	// Lists that an antenna still uses must stay: deleting a list deletes
	// the antennas that use it (ON DELETE CASCADE).
	usedBy := map[string]string{}
	declaredAntennas := map[string]bool{}
	for _, a := range p.acct.Antennas {
		declaredAntennas[a.Name] = true
	}
	for _, a := range p.live.Antennas {
		if declaredAntennas[a.Name] {
			continue // it will use the list its block names, counted below
		}
		if id, _ := a.Fields["userListId"].(string); id != "" && !p.antennaWillBeDeleted(a) {
			usedBy[id] = a.Name
		}
	}
	for _, a := range p.acct.Antennas {
		for _, l := range p.live.UserLists {
			if a.UserList != "" && l.Name == a.UserList {
				usedBy[l.ID] = a.Name
			}
		}
	}
	unmanaged := 0
	for _, l := range p.live.UserLists {
		if declared[l.Name] {
			continue
		}
		key := userListKey(l.Name)
		if !p.owned(key, l.ID) && !p.purged("user_lists") {
			unmanaged++
			continue
		}
		if ant, ok := usedBy[l.ID]; ok {
			p.note("user_list %q stays: antenna %q uses it, and deleting the list would delete the antenna too.", l.Name, ant)
			continue
		}
		dels = append(dels, &Change{
			Address: p.address(key), Type: TypeUserList, Action: ActionDelete, Key: key, ID: l.ID,
			Attrs: []AttrChange{{Name: "name", Before: l.Name}, {Name: "members", Before: len(l.UserIDs)}},
		})
	}
	if unmanaged > 0 {
		p.note("%d user list(s) not managed by this configuration (left alone).", unmanaged)
	}
	p.overLimit(countLimit{"userListLimit", 10, "user lists", "user_lists"}, declRanges(p.acct.UserLists), unmanaged)
	return ups, dels
}

// unresolved reports an account the plan needs that Misskey could not find.
func (p *planState) unresolved(subject hcl.Range, acct, what string) {
	reason := p.live.Unresolved[acct]
	if reason == "" {
		reason = "it was not looked up"
	}
	p.errorf(subject, "Cannot resolve account",
		"%s names %s, but Misskey could not resolve it: %s. Hint: check the spelling and that the instance is reachable from yours.",
		what, acct, reason)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// acctList turns user ids back into accts for display.
func acctList(ids []string, accts map[string]string) []any {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, accts[id])
	}
	sort.Strings(out)
	return toAny(out)
}

// acctsOf shows user ids as accts where the plan knows them (follows and
// resolved users), as ids otherwise.
func (p *planState) acctsOf(ids []string) []any {
	names := map[string]string{}
	for acct, id := range p.userIDs {
		names[id] = acct
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		if a, ok := names[id]; ok {
			out[i] = a
		} else {
			out[i] = id
		}
	}
	sort.Strings(out)
	return toAny(out)
}
