package emulator

// following/create — ep/following/create.ts: follow a user; 100 an hour.
// Returns the followee as UserLite, the same whether a follow or a follow
// request was made (sample 23): only following/requests/sent tells.
// Calling it again while a request is pending replaces the request.
func init() { register("following/create", perHour(100), handleFollowingCreate) }

var (
	errFollowNoSuchUser       = clientError("NO_SUCH_USER", "fcd2eef9-a9b2-4c4f-8624-038099e90aa5", "No such user.")
	errFollowFolloweeYourself = clientError("FOLLOWEE_IS_YOURSELF", "26fbe7bb-a331-4857-af17-205b426669a9", "Followee is yourself.")
	errAlreadyFollowing       = clientError("ALREADY_FOLLOWING", "35387507-38c7-4cb9-9197-300b93783fa0", "You are already following that user.")
	errFollowBlocking         = clientError("BLOCKING", "4e2206ec-aa4f-4960-b865-6c23ac38e2d9", "You are blocking that user.")
	errFollowBlocked          = clientError("BLOCKED", "c4ab57cc-4e41-45e9-bfd9-584f61e35ce0", "You are blocked by that user.")
)

func handleFollowingCreate(c *call) (any, *apiError) {
	followee, apiErr := c.otherUser(errFollowFolloweeYourself, errFollowNoSuchUser)
	if apiErr != nil {
		return nil, apiErr
	}
	if c.e.st.followingOf(c.me.ID, followee.ID) != nil {
		return nil, errAlreadyFollowing
	}
	if c.e.st.blockingOf(c.me.ID, followee.ID) != nil {
		return nil, errFollowBlocking
	}
	if c.e.st.blockingOf(followee.ID, c.me.ID) != nil {
		return nil, errFollowBlocked
	}
	withReplies, _ := c.boolean("withReplies")
	c.e.st.follow(c.me, followee, withReplies, c.now)
	return c.e.packLite(followee), nil
}
