package emulator

// users/lists/show — ep/users/lists/show.ts: one of the caller's lists,
// or with forPublic any public list, which then also carries likedCount
// and isLiked (the emulator models no favorites: 0 and false).
func init() { register("users/lists/show", nil, handleUsersListsShow) }

var errShowNoSuchList = clientError("NO_SUCH_LIST", "7bc05c21-1d7a-41ae-88f1-66820f4dc686", "No such list.")

func handleUsersListsShow(c *call) (any, *apiError) {
	id, _ := c.str("listId")
	forPublic, _ := c.boolean("forPublic")
	var l *UserList
	if !forPublic && c.me != nil {
		l = c.e.st.ownList(id, c.me.ID)
	} else if pub := c.e.st.userList(id); pub != nil && pub.IsPublic {
		l = pub
	}
	if l == nil {
		return nil, errShowNoSuchList
	}
	m := packUserList(l)
	if forPublic && l.IsPublic {
		m["likedCount"], m["isLiked"] = 0, false
	}
	return m, nil
}
