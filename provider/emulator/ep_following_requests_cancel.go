package emulator

// following/requests/cancel — ep/following/requests/cancel.ts: withdraw
// the caller's pending request to a user. Returns that user as UserLite.
func init() { register("following/requests/cancel", nil, handleFollowingRequestsCancel) }

var (
	errCancelNoSuchUser      = clientError("NO_SUCH_USER", "4e68c551-fc4c-4e46-bb41-7d4a37bf9dab", "No such user.")
	errFollowRequestNotFound = clientError("FOLLOW_REQUEST_NOT_FOUND", "089b125b-d338-482a-9a09-e2622ac9f8d4", "Follow request not found.")
)

func handleFollowingRequestsCancel(c *call) (any, *apiError) {
	id, _ := c.str("userId")
	followee := c.e.st.user(id)
	if followee == nil {
		return nil, errCancelNoSuchUser
	}
	if !c.e.st.removeFollowRequest(c.me.ID, followee.ID) {
		return nil, errFollowRequestNotFound
	}
	return c.e.packLite(followee), nil
}
