package emulator

// following/requests/list — ep/following/requests/list.ts: the requests
// the caller has received, paginated by request id.
func init() { register("following/requests/list", nil, handleFollowingRequestsList) }

func handleFollowingRequestsList(c *call) (any, *apiError) {
	received := owned(c.e.st.FollowRequests, func(r *FollowRequest) string { return r.FolloweeID }, c.me.ID)
	out := []any{}
	for _, r := range paginate(c, received, func(r *FollowRequest) string { return r.ID }) {
		out = append(out, c.e.packFollowRequest(r))
	}
	return out, nil
}
