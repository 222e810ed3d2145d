package emulator

// users/lists/create — ep/users/lists/create.ts: a new, private list
// (isPublic cannot be set here), up to the policy userListLimit.
func init() { register("users/lists/create", nil, handleUsersListsCreate) }

var errTooManyUserLists = clientError("TOO_MANY_USERLISTS", "0cf21a28-7715-4f39-a20d-777bfdb8d138", "You cannot create user list any more.")

func handleUsersListsCreate(c *call) (any, *apiError) {
	count := countOwned(c.e.st.UserLists, func(l *UserList) string { return l.UserID }, c.me.ID)
	if float64(count) >= c.me.policyNumber("userListLimit") {
		return nil, errTooManyUserLists
	}
	name, _ := c.str("name")
	l := &UserList{ID: c.e.st.IDs.next(c.now), CreatedAt: c.now, UserID: c.me.ID, Name: name}
	c.e.st.UserLists = append(c.e.st.UserLists, l)
	return packUserList(l), nil
}
