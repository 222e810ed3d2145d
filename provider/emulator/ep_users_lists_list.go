package emulator

// users/lists/list — ep/users/lists/list.ts: the caller's lists, or with
// userId another local user's public ones (also when userId is the
// caller). Without a credential and without userId the endpoint throws its
// own INVALID_PARAM (not the validator's: another id, no info). The query
// has no ORDER BY: the conformance test compares these lists unordered.
func init() { register("users/lists/list", nil, handleUsersListsList) }

var (
	errListsNoSuchUser           = clientError("NO_SUCH_USER", "a8af4a82-0980-4cc4-a6af-8b0ffd54465e", "No such user.")
	errListsRemoteUserNotAllowed = clientError("REMOTE_USER_NOT_ALLOWED", "53858f1b-3315-4a01-81b7-db9b48d4b79a", "Not allowed to load the remote user's list")
	errListsInvalidParam         = clientError("INVALID_PARAM", "ab36de0e-29e9-48cb-9732-d82f1281620d", "Invalid param.")
)

func handleUsersListsList(c *call) (any, *apiError) {
	id, byUser := c.str("userId")
	if byUser {
		u := c.e.st.user(id)
		if u == nil {
			return nil, errListsNoSuchUser
		}
		if !u.IsLocal() {
			return nil, errListsRemoteUserNotAllowed
		}
	}
	if !byUser && c.me == nil {
		return nil, errListsInvalidParam
	}
	out := []any{}
	for _, l := range c.e.st.UserLists {
		match := l.UserID == id && l.IsPublic
		if !byUser {
			match = l.UserID == c.me.ID
		}
		if match {
			out = append(out, packUserList(l))
		}
	}
	return out, nil
}
