package emulator

// following/list (new in 2026.5.2) — ep/following/list.ts: the caller's
// own follows, paginated like users/following. With notification: true
// only the follows whose notify is set ('normal'); with false (the
// default) all of them — the source filters `notify IS NOT NULL` only
// when the flag is on.
func init() { register("following/list", nil, handleFollowingList) }

func handleFollowingList(c *call) (any, *apiError) {
	onlyNotify, _ := c.boolean("notification")
	return c.e.followingPage(c, func(f *Following) bool {
		return f.FollowerID == c.me.ID && (!onlyNotify || f.Notify != nil)
	}), nil
}
