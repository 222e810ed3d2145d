package emulator

// following/update — ep/following/update.ts: change a follow's notify
// ('normal' or 'none', stored as null) and withReplies; 100 an hour.
// Returns the caller (the follower) as UserLite, not the followee
// (sample 19).
func init() { register("following/update", perHour(100), handleFollowingUpdate) }

var (
	errFollowUpdateNoSuchUser       = clientError("NO_SUCH_USER", "14318698-f67e-492a-99da-5353a5ac52be", "No such user.")
	errFollowUpdateFolloweeYourself = clientError("FOLLOWEE_IS_YOURSELF", "4c4cbaf9-962a-463b-8418-a5e365dbf2eb", "Followee is yourself.")
	errFollowUpdateNotFollowing     = clientError("NOT_FOLLOWING", "b8dc75cf-1cb5-46c9-b14b-5f1ffbd782c9", "You are not following that user.")
)

func handleFollowingUpdate(c *call) (any, *apiError) {
	followee, apiErr := c.otherUser(errFollowUpdateFolloweeYourself, errFollowUpdateNoSuchUser)
	if apiErr != nil {
		return nil, apiErr
	}
	f := c.e.st.followingOf(c.me.ID, followee.ID)
	if f == nil {
		return nil, errFollowUpdateNotFollowing
	}
	if notify, ok := c.str("notify"); ok {
		f.Notify = nil
		if notify != "none" {
			f.Notify = &notify
		}
	}
	if b, ok := c.boolean("withReplies"); ok {
		f.WithReplies = b
	}
	return c.e.packLite(c.me), nil
}
