package emulator

import "strings"

// users/following — ep/users/following.ts: whom a user follows, by
// {userId} or {username, host} (host null = local; a plain database
// lookup, no remote resolution). No credential needed. Pagination cursors
// are following-relation ids (see paginate). The target's
// followingVisibility may forbid it: "private" to everyone but the user,
// "followers" to non-followers (the emulator has no moderators). The
// deprecated birthday parameter filters the followees.
func init() { register("users/following", nil, handleUsersFollowing) }

var (
	errUsersFollowingNoSuchUser = clientError("NO_SUCH_USER", "63e4aba4-4156-4e53-be25-c9559e42d71b", "No such user.")
	errUsersFollowingForbidden  = clientError("FORBIDDEN", "f6cdb0df-c19f-ec5c-7dbb-0ba84a1f92ba", "Forbidden.")
)

func handleUsersFollowing(c *call) (any, *apiError) {
	st := c.e.st
	var u *User
	if id, ok := c.str("userId"); ok {
		u = st.user(id)
	} else {
		username, _ := c.str("username")
		if host, ok := c.str("host"); ok {
			u = st.remoteUser(username, strings.ToLower(host))
		} else {
			u = st.localUser(username)
		}
	}
	if u == nil {
		return nil, errUsersFollowingNoSuchUser
	}
	isMe := c.me != nil && c.me.ID == u.ID
	switch u.FollowingVisibility {
	case "private":
		if !isMe {
			return nil, errUsersFollowingForbidden
		}
	case "followers":
		if !isMe && (c.me == nil || st.followingOf(c.me.ID, u.ID) == nil) {
			return nil, errUsersFollowingForbidden
		}
	}
	// The deprecated birthday filter: followees whose birthday falls on
	// that month and day (SUBSTR(birthday, 6, 5) in SQL).
	monthDay := ""
	if b, ok := c.str("birthday"); ok && len(b) >= 10 {
		monthDay = b[5:10]
	}
	return c.e.followingPage(c, func(f *Following) bool {
		if f.FollowerID != u.ID {
			return false
		}
		if monthDay == "" {
			return true
		}
		followee := st.user(f.FolloweeID)
		return followee.Birthday != nil && len(*followee.Birthday) >= 10 && (*followee.Birthday)[5:10] == monthDay
	}), nil
}

// followingPage packs one page of the follows that match.
func (e *Emulator) followingPage(c *call, match func(*Following) bool) []any {
	var rows []*Following
	for _, f := range e.st.Followings {
		if match(f) {
			rows = append(rows, f)
		}
	}
	out := []any{}
	for _, f := range paginate(c, rows, func(f *Following) string { return f.ID }) {
		out = append(out, e.packFollowing(f, c.me))
	}
	return out
}
