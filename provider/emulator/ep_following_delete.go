package emulator

// following/delete — ep/following/delete.ts: unfollow; 100 an hour (its
// own bucket). A pending request is not a follow: NOT_FOLLOWING (withdraw
// it with following/requests/cancel). Returns the followee as UserLite.
func init() { register("following/delete", perHour(100), handleFollowingDelete) }

var (
	errUnfollowNoSuchUser       = clientError("NO_SUCH_USER", "5b12c78d-2b28-4dca-99d2-f56139b42ff8", "No such user.")
	errUnfollowFolloweeYourself = clientError("FOLLOWEE_IS_YOURSELF", "d9e400b9-36b0-4808-b1d8-79e707f1296c", "Followee is yourself.")
	errUnfollowNotFollowing     = clientError("NOT_FOLLOWING", "5dbf82f5-c92b-40b1-87d1-6c8c0741fd09", "You are not following that user.")
)

func handleFollowingDelete(c *call) (any, *apiError) {
	followee, apiErr := c.otherUser(errUnfollowFolloweeYourself, errUnfollowNoSuchUser)
	if apiErr != nil {
		return nil, apiErr
	}
	f := c.e.st.followingOf(c.me.ID, followee.ID)
	if f == nil {
		return nil, errUnfollowNotFollowing
	}
	c.e.st.removeFollowing(f)
	return c.e.packLite(followee), nil
}
