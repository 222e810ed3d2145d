package emulator

// following/requests/list — ep/following/requests/list.ts: the requests
// the caller has received, paginated by request id.
func init() { register("following/requests/list", nil, handleFollowingRequestsList) }

func handleFollowingRequestsList(c *call) (any, *apiError) {
	var received []*FollowRequest
	for _, r := range c.e.st.FollowRequests {
		if r.FolloweeID == c.me.ID {
			received = append(received, r)
		}
	}
	out := []any{}
	for _, r := range paginate(c, received, func(r *FollowRequest) string { return r.ID }) {
		out = append(out, c.e.packFollowRequest(r))
	}
	return out, nil
}
