package provider

import (
	"context"
	"fmt"

	"github.com/mkctl/mkctl/internal/safego"
	"github.com/mkctl/mkctl/planner"
)

// followLookup is the users/show path of reading follows: instead of paging
// through every follow of the account, ask users/show about the followees
// the plan can act on — the declared ones and the ones the ownership record
// holds — and read the relation fields (isFollowing, notify, withReplies)
// of each. An account that follows 10,000 accounts and declares 10 then
// costs one users/show instead of 101 pages of users/following.
type followLookup struct {
	ids       []string // recorded followee ids, once each: users/show {userIds}, 100 per call
	names     []string // declared accts without a recorded id: users/show {username, host}, one each
	following int      // followingCount from `i`
}

// idBatches is how many users/show {userIds} calls the ids take.
func (l *followLookup) idBatches() int { return (len(l.ids) + pageSize - 1) / pageSize }

// requests is what the lookup costs.
func (l *followLookup) requests() int { return l.idBatches() + len(l.names) }

// planFollowLookup returns the users/show lookup when it takes fewer
// requests than paging, nil otherwise. It decides from counts known before
// any follow is read: followingCount from `i` (the pages cost
// ⌊followingCount/100⌋+1, see readPages), the record's follow entries and
// the declared follows. With `purge = ["follows"]` every follow may be
// deleted, so all of them must be listed: paging is the only way.
//
// Paging also identifies, for free, list members the account follows but
// does not declare as follows; the lookup leaves them to resolveUsers (one
// users/show each at worst), so they count against it. The choice is thus
// never worse than paging: lookup + members < pages ≤ what paging costs.
func planFollowLookup(r *reading) *followLookup {
	if alwaysPageFollows || purges(r.acct, planner.TypeFollow) {
		return nil
	}
	count, ok := r.me["followingCount"].(float64)
	if !ok || count < 0 {
		return nil // no count to decide with: page, which needs none
	}
	l := &followLookup{following: int(count)}
	owned := ownedOfKind(r.rec, planner.TypeFollow)
	recorded := make(map[string]bool, len(owned)) // folded accts with a recorded followee id
	seenID := make(map[string]bool, len(owned))
	for _, o := range owned {
		if o.ID == "" {
			continue
		}
		recorded[acctFold(keyName(o.Key))] = true
		if !seenID[o.ID] {
			seenID[o.ID] = true
			l.ids = append(l.ids, o.ID)
		}
	}
	declared := make(map[string]bool, len(r.acct.Follows))
	for _, f := range r.acct.Follows {
		k := acctFold(f.Acct)
		if declared[k] {
			continue
		}
		declared[k] = true
		if !recorded[k] {
			l.names = append(l.names, f.Acct)
		}
	}
	members := map[string]bool{}
	for _, ul := range r.acct.UserLists {
		for _, m := range ul.Members {
			if k := acctFold(m); !declared[k] {
				members[k] = true
			}
		}
	}
	pages := l.following/pageSize + 1
	if l.requests()+len(members) >= pages {
		return nil
	}
	return l
}

// alwaysPageFollows turns the lookup off, so tests can compare its plans
// with paging's.
var alwaysPageFollows = false

// readFollowsByLookup runs a followLookup. Every established follow among
// the looked-up users goes into Live.Follows with its settings; the others
// the account has are counted in Live.UnlistedFollows (followingCount minus
// the ones found), so the plan still says how many follows it leaves alone.
// Pending requests come from readFollowRequests as on the paging path.
// Declared accts looked up by name are also stored in Live.Users (or
// Live.Unresolved), so resolveUsers does not ask about them again.
func readFollowsByLookup(ctx context.Context, r *reading, l *followLookup) (func(*planner.Live), error) {
	type relUser struct {
		apiUser
		IsFollowing bool `json:"isFollowing"`
	}
	batches := make([][]relUser, l.idBatches())
	byName := make([]*relUser, len(l.names))
	reasons := make([]string, len(l.names))
	g, gctx := safego.WithContext(ctx, "users/show (follows)")
	for i := range batches {
		g.Go(func() error {
			ids := l.ids[i*pageSize : min((i+1)*pageSize, len(l.ids))]
			if err := r.read(gctx, "users/show", map[string]any{"userIds": ids}, &batches[i]); err != nil {
				return fmt.Errorf("reading follows: %w", err)
			}
			return nil
		})
	}
	for i, acct := range l.names {
		g.Go(func() error {
			var u relUser
			why, err := showUserByName(gctx, r, acct, &u)
			if why == "" && err == nil {
				byName[i] = &u
			}
			reasons[i] = why
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}

	var follows []planner.LiveFollow
	seen := map[string]bool{}
	found := func(u *relUser) {
		if !u.IsFollowing || u.ID == "" || u.Username == "" || seen[u.ID] {
			return
		}
		seen[u.ID] = true
		follows = append(follows, u.liveFollow())
	}
	for _, b := range batches {
		for i := range b {
			found(&b[i])
		}
	}
	users := map[string]string{}
	unresolved := map[string]string{}
	for i, acct := range l.names {
		if u := byName[i]; u != nil {
			users[acct] = u.ID
			found(u)
		} else {
			unresolved[acct] = reasons[i]
		}
	}
	// The counter is denormalised and may drift from the rows; it only
	// feeds the "not managed" note, never a change.
	unlisted := max(l.following-len(follows), 0)

	return func(live *planner.Live) {
		mergeEstablished(live, follows)
		live.UnlistedFollows = unlisted
		for acct, id := range users {
			live.Users[acct] = id
		}
		for acct, why := range unresolved {
			live.Unresolved[acct] = why
		}
	}, nil
}
