package emulator

// following/requests/accept — ep/following/requests/accept.ts: accept a
// request the caller received; 204. The follower's follow starts with the
// request's withReplies.
func init() { register("following/requests/accept", nil, handleFollowingRequestsAccept) }

var (
	errAcceptNoSuchUser = clientError("NO_SUCH_USER", "66ce1645-d66c-46bb-8b79-96739af885bd", "No such user.")
	errNoFollowRequest  = clientError("NO_FOLLOW_REQUEST", "bcde4f8b-0913-4614-8881-614e522fb041", "No follow request.")
)

func handleFollowingRequestsAccept(c *call) (any, *apiError) {
	id, _ := c.str("userId")
	follower := c.e.st.user(id)
	if follower == nil {
		return nil, errAcceptNoSuchUser
	}
	if !c.e.st.acceptFollowRequest(follower, c.me, c.now) {
		return nil, errNoFollowRequest
	}
	return nil, nil
}
