package emulator

import "slices"

// users/lists/push — ep/users/lists/push.ts, UserListService.push: add a
// user (local or remote, yourself included) to a list; 204; 30 an hour.
// ALREADY_ADDED is checked before the policy userEachUserListsLimit.
func init() { register("users/lists/push", perHour(30), handleUsersListsPush) }

var (
	errPushNoSuchList   = clientError("NO_SUCH_LIST", "2214501d-ac96-4049-b717-91e42272a711", "No such list.")
	errPushNoSuchUser   = clientError("NO_SUCH_USER", "a89abd3d-f0bc-4cce-beb1-2f446f4f1e6a", "No such user.")
	errAlreadyAdded     = clientError("ALREADY_ADDED", "1de7c884-1595-49e9-857e-61f12f4d4fc5", "That user has already been added to that list.")
	errTooManyListUsers = clientError("TOO_MANY_USERS", "2dd9752e-a338-413d-8eec-41814430989b", "You can not push users any more.")
)

func handleUsersListsPush(c *call) (any, *apiError) {
	listID, _ := c.str("listId")
	l := c.e.st.ownList(listID, c.me.ID)
	if l == nil {
		return nil, errPushNoSuchList
	}
	userID, _ := c.str("userId")
	u := c.e.st.user(userID)
	if u == nil {
		return nil, errPushNoSuchUser
	}
	if slices.Contains(l.UserIDs, u.ID) {
		return nil, errAlreadyAdded
	}
	if float64(len(l.UserIDs)) >= c.me.policyNumber("userEachUserListsLimit") {
		return nil, errTooManyListUsers
	}
	l.UserIDs = append(l.UserIDs, u.ID)
	return nil, nil
}
