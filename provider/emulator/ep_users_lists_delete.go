package emulator

import "slices"

// users/lists/delete — ep/users/lists/delete.ts: 204. The antennas that use
// the list go with it (antenna.userListId is ON DELETE CASCADE).
func init() { register("users/lists/delete", nil, handleUsersListsDelete) }

var errDeleteNoSuchList = clientError("NO_SUCH_LIST", "78436795-db79-42f5-b1e2-55ea2cf19166", "No such list.")

func handleUsersListsDelete(c *call) (any, *apiError) {
	id, _ := c.str("listId")
	l := c.e.st.ownList(id, c.me.ID)
	if l == nil {
		return nil, errDeleteNoSuchList
	}
	c.e.st.UserLists = slices.DeleteFunc(c.e.st.UserLists, func(x *UserList) bool { return x == l })
	c.e.st.Antennas = slices.DeleteFunc(c.e.st.Antennas, func(a *Antenna) bool { return a.UserListID != nil && *a.UserListID == l.ID })
	return nil, nil
}
