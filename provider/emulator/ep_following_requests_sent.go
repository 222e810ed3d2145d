package emulator

// following/requests/sent — ep/following/requests/sent.ts: the caller's
// pending outgoing requests (to locked accounts, and every follow of a
// remote account until its server accepts), paginated by request id.
func init() { register("following/requests/sent", nil, handleFollowingRequestsSent) }

func handleFollowingRequestsSent(c *call) (any, *apiError) {
	mine := owned(c.e.st.FollowRequests, func(r *FollowRequest) string { return r.FollowerID }, c.me.ID)
	out := []any{}
	for _, r := range paginate(c, mine, func(r *FollowRequest) string { return r.ID }) {
		out = append(out, c.e.packFollowRequest(r))
	}
	return out, nil
}
