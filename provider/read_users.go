package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/mkctl/mkctl/internal/safego"
	"github.com/mkctl/mkctl/planner"
)

// resolveUsers fills Live.Users with the user ids of accts the
// configuration mentions (follows, user list members) that Live.Follows does
// not already identify, and Live.Unresolved with those Misskey does not know.
// In the steady state — everything declared is followed — it costs nothing.
//
// Members of a declared list that already exists are usually already in it:
// one users/show {userIds} per 100 member ids then identifies them all at
// once, instead of one users/show {username, host} per member. It is used
// when it takes fewer requests than there are members to look up by name.
// Whatever is left is looked up by name, at most maxConcurrentReads at a
// time (a remote lookup may make the server fetch the user over WebFinger).
func resolveUsers(ctx context.Context, r *reading, live *planner.Live) error {
	known := make(map[string]bool, len(live.Follows))
	knownIDs := make(map[string]bool, len(live.Follows))
	for _, f := range live.Follows {
		known[acctFold(f.Acct)] = true
		knownIDs[f.UserID] = true
	}
	wanted := map[string]string{} // fold → acct as the configuration writes it
	var order []string
	add := func(acct string) bool {
		k := acctFold(acct)
		if known[k] {
			return false
		}
		// The users/show path of readFollows has already looked these up.
		if _, done := live.Users[acct]; done {
			return false
		}
		if _, done := live.Unresolved[acct]; done {
			return false
		}
		if _, dup := wanted[k]; !dup {
			wanted[k] = acct
			order = append(order, k)
		}
		return true
	}
	for _, f := range r.acct.Follows {
		add(f.Acct)
	}
	for _, kind := range []string{planner.TypeBlock, planner.TypeMute, planner.TypeRenoteMute} {
		for _, u := range relationList[kind].declared(r.acct) {
			add(u.Acct)
		}
	}
	members := map[string]bool{}
	for _, ul := range r.acct.UserLists {
		for _, m := range ul.Members {
			if add(m) {
				members[acctFold(m)] = true
			}
		}
	}
	if len(order) == 0 {
		return nil
	}

	if ids := unknownMemberIDs(r, live, knownIDs); len(ids) > 0 && (len(ids)+pageSize-1)/pageSize < len(members) {
		for start := 0; start < len(ids); start += pageSize {
			batch := ids[start:min(start+pageSize, len(ids))]
			var users []apiUser
			if err := r.read(ctx, "users/show", map[string]any{"userIds": batch}, &users); err != nil {
				return fmt.Errorf("resolving user list members: %w", err)
			}
			for _, u := range users {
				if acct, ok := wanted[acctFold(u.acct())]; ok {
					live.Users[acct] = u.ID
				}
			}
		}
	}

	var rest []string
	for _, k := range order {
		if _, done := live.Users[wanted[k]]; !done {
			rest = append(rest, wanted[k])
		}
	}
	ids := make([]string, len(rest))
	reasons := make([]string, len(rest))
	g, gctx := safego.WithContext(ctx, "users/show")
	for i, acct := range rest {
		g.Go(func() error {
			var u apiUser
			why, err := showUserByName(gctx, r, acct, &u)
			if why == "" && err == nil {
				ids[i] = u.ID
			}
			reasons[i] = why
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for i, acct := range rest {
		if ids[i] != "" {
			live.Users[acct] = ids[i]
		} else {
			live.Unresolved[acct] = reasons[i]
		}
	}
	return nil
}

// unknownMemberIDs lists, once each, the member ids of live lists the
// configuration declares that Live.Follows does not identify.
func unknownMemberIDs(r *reading, live *planner.Live, knownIDs map[string]bool) []string {
	declared := map[string]bool{}
	for _, ul := range r.acct.UserLists {
		declared[ul.Name] = true
	}
	seen := map[string]bool{}
	var ids []string
	for _, ul := range live.UserLists {
		if !declared[ul.Name] {
			continue
		}
		for _, id := range ul.UserIDs {
			if !knownIDs[id] && !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// showUserByName asks users/show about acct into out. A user Misskey does
// not know or cannot fetch is no error: the reason, for Live.Unresolved,
// is returned instead.
func showUserByName(ctx context.Context, r *reading, acct string, out any) (unresolved string, err error) {
	err = r.read(ctx, "users/show", usersShowByName(acct), out)
	switch {
	case err == nil:
		return "", nil
	case IsCode(err, "NO_SUCH_USER"):
		return "Misskey knows no such user (NO_SUCH_USER)", nil
	case IsCode(err, "FAILED_TO_RESOLVE_REMOTE_USER"):
		return "Misskey could not fetch the user from its server (FAILED_TO_RESOLVE_REMOTE_USER)", nil
	default:
		return "", fmt.Errorf("resolving %s: %w", acct, err)
	}
}

// usersShowByName is users/show's {username, host} form; host is left out
// for a local user (API-NOTES §3: without host the lookup is local only).
func usersShowByName(acct string) map[string]any {
	user, host, remote := strings.Cut(strings.TrimPrefix(acct, "@"), "@")
	p := map[string]any{"username": user}
	if remote && host != "" {
		p["host"] = host
	}
	return p
}
