package emulator

// users/lists/update — ep/users/lists/update.ts: rename a list or make it
// public or private.
func init() { register("users/lists/update", nil, handleUsersListsUpdate) }

var errUpdateNoSuchList = clientError("NO_SUCH_LIST", "796666fe-3dff-4d39-becb-8a5932c1d5b7", "No such list.")

func handleUsersListsUpdate(c *call) (any, *apiError) {
	id, _ := c.str("listId")
	l := c.e.st.ownList(id, c.me.ID)
	if l == nil {
		return nil, errUpdateNoSuchList
	}
	if name, ok := c.str("name"); ok {
		l.Name = name
	}
	if b, ok := c.boolean("isPublic"); ok {
		l.IsPublic = b
	}
	return packUserList(l), nil
}
