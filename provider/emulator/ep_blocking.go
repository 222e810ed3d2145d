package emulator

import "slices"

// blocking/create, blocking/delete, blocking/list — ep/blocking/*.ts
// (API-NOTES §13). create is 20 an hour, delete 100 an hour; both answer
// the other user as UserDetailedNotMe, after the change.
func init() {
	register("blocking/create", perHour(20), handleBlockingCreate)
	register("blocking/delete", perHour(100), handleBlockingDelete)
	register("blocking/list", nil, handleBlockingList)
}

var (
	errBlockNoSuchUser      = clientError("NO_SUCH_USER", "7cc4f851-e2f1-4621-9633-ec9e1d00c01e", "No such user.")
	errBlockeeIsYourself    = clientError("BLOCKEE_IS_YOURSELF", "88b19138-f28d-42c0-8499-6a31bbd0fdc6", "Blockee is yourself.")
	errAlreadyBlocking      = clientError("ALREADY_BLOCKING", "787fed64-acb9-464a-82eb-afbd745b9614", "You are already blocking that user.")
	errUnblockNoSuchUser    = clientError("NO_SUCH_USER", "8621d8bf-c358-4303-a066-5ea78610eb3f", "No such user.")
	errUnblockBlockeeIsSelf = clientError("BLOCKEE_IS_YOURSELF", "06f6fac6-524b-473c-a354-e97a40ae6eac", "Blockee is yourself.")
	errUnblockNotBlocking   = clientError("NOT_BLOCKING", "291b2efa-60c6-45c0-9f6a-045c8f9b02cd", "You are not blocking that user.")
)

func handleBlockingCreate(c *call) (any, *apiError) {
	blockee, apiErr := c.otherUser(errBlockeeIsYourself, errBlockNoSuchUser)
	if apiErr != nil {
		return nil, apiErr
	}
	if c.e.st.blockingOf(c.me.ID, blockee.ID) != nil {
		return nil, errAlreadyBlocking
	}
	c.e.st.block(c.me, blockee, c.now)
	return c.e.packDetailed(blockee, packOpts{me: c.me}), nil
}

func handleBlockingDelete(c *call) (any, *apiError) {
	blockee, apiErr := c.otherUser(errUnblockBlockeeIsSelf, errUnblockNoSuchUser)
	if apiErr != nil {
		return nil, apiErr
	}
	b := c.e.st.blockingOf(c.me.ID, blockee.ID)
	if b == nil {
		return nil, errUnblockNotBlocking
	}
	c.e.st.Blockings = slices.DeleteFunc(c.e.st.Blockings, func(x *Blocking) bool { return x == b })
	return c.e.packDetailed(blockee, packOpts{me: c.me}), nil
}

func handleBlockingList(c *call) (any, *apiError) {
	mine := owned(c.e.st.Blockings, func(b *Blocking) string { return b.BlockerID }, c.me.ID)
	out := []any{}
	for _, b := range paginate(c, mine, func(b *Blocking) string { return b.ID }) {
		u := c.e.st.user(b.BlockeeID)
		if u == nil {
			continue
		}
		out = append(out, map[string]any{
			"id": b.ID, "createdAt": jsDate(b.CreatedAt), "blockeeId": b.BlockeeID,
			"blockee": c.e.packDetailed(u, packOpts{me: c.me}),
		})
	}
	return out, nil
}
