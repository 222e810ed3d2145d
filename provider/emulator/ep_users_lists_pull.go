package emulator

import "slices"

// users/lists/pull — ep/users/lists/pull.ts: remove a user from a list;
// 204, also when the user was not in it.
func init() { register("users/lists/pull", nil, handleUsersListsPull) }

var (
	errPullNoSuchList = clientError("NO_SUCH_LIST", "7f44670e-ab16-43b8-b4c1-ccd2ee89cc02", "No such list.")
	errPullNoSuchUser = clientError("NO_SUCH_USER", "588e7f72-c744-4a61-b180-d354e912bda2", "No such user.")
)

func handleUsersListsPull(c *call) (any, *apiError) {
	listID, _ := c.str("listId")
	l := c.e.st.ownList(listID, c.me.ID)
	if l == nil {
		return nil, errPullNoSuchList
	}
	userID, _ := c.str("userId")
	if c.e.st.user(userID) == nil {
		return nil, errPullNoSuchUser
	}
	l.UserIDs = slices.DeleteFunc(l.UserIDs, func(id string) bool { return id == userID })
	return nil, nil
}
