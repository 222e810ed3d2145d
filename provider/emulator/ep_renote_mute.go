package emulator

import "slices"

// renote-mute/create, renote-mute/delete, renote-mute/list —
// ep/renote-mute/*.ts (API-NOTES §13). create is 20 an hour; no expiry.
func init() {
	register("renote-mute/create", perHour(20), handleRenoteMuteCreate)
	register("renote-mute/delete", nil, handleRenoteMuteDelete)
	register("renote-mute/list", nil, handleRenoteMuteList)
}

var (
	errRenoteMuteNoSuchUser    = clientError("NO_SUCH_USER", "5e0a5dff-1e94-4202-87ae-4d9c89eb2271", "No such user.")
	errRenoteMuteeIsYourself   = clientError("MUTEE_IS_YOURSELF", "37285718-52f7-4aef-b7de-c38b8e8a8420", "Mutee is yourself.")
	errRenoteAlreadyMuting     = clientError("ALREADY_MUTING", "ccfecbe4-1f1c-4fc2-8a3d-c3ffee61cb7b", "You are already muting that user.")
	errRenoteUnmuteNoSuchUser  = clientError("NO_SUCH_USER", "9b6728cf-638c-4aa1-bedb-e07d8101474d", "No such user.")
	errRenoteUnmuteeIsYourself = clientError("MUTEE_IS_YOURSELF", "619b1314-0850-4597-a242-e245f3da42af", "Mutee is yourself.")
	errRenoteUnmuteNotMuting   = clientError("NOT_MUTING", "2e4ef874-8bf0-4b4b-b069-4598f6d05817", "You are not muting that user.")
)

func handleRenoteMuteCreate(c *call) (any, *apiError) {
	mutee, apiErr := c.otherUser(errRenoteMuteeIsYourself, errRenoteMuteNoSuchUser)
	if apiErr != nil {
		return nil, apiErr
	}
	if c.e.st.renoteMutingOf(c.me.ID, mutee.ID) != nil {
		return nil, errRenoteAlreadyMuting
	}
	c.e.st.RenoteMutings = append(c.e.st.RenoteMutings, &RenoteMuting{ID: c.e.st.IDs.next(c.now), CreatedAt: c.now, MuterID: c.me.ID, MuteeID: mutee.ID})
	return nil, nil
}

func handleRenoteMuteDelete(c *call) (any, *apiError) {
	mutee, apiErr := c.otherUser(errRenoteUnmuteeIsYourself, errRenoteUnmuteNoSuchUser)
	if apiErr != nil {
		return nil, apiErr
	}
	m := c.e.st.renoteMutingOf(c.me.ID, mutee.ID)
	if m == nil {
		return nil, errRenoteUnmuteNotMuting
	}
	c.e.st.RenoteMutings = slices.DeleteFunc(c.e.st.RenoteMutings, func(x *RenoteMuting) bool { return x == m })
	return nil, nil
}

func handleRenoteMuteList(c *call) (any, *apiError) {
	mine := owned(c.e.st.RenoteMutings, func(m *RenoteMuting) string { return m.MuterID }, c.me.ID)
	out := []any{}
	for _, m := range paginate(c, mine, func(m *RenoteMuting) string { return m.ID }) {
		u := c.e.st.user(m.MuteeID)
		if u == nil {
			continue
		}
		out = append(out, map[string]any{
			"id": m.ID, "createdAt": jsDate(m.CreatedAt), "muteeId": m.MuteeID,
			"mutee": c.e.packDetailed(u, packOpts{me: c.me}),
		})
	}
	return out, nil
}
