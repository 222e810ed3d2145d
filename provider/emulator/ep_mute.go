package emulator

import (
	"slices"
	"time"
)

// mute/create, mute/delete, mute/list — ep/mute/*.ts (API-NOTES §13).
// create is 20 an hour and answers 204. expiresAt is epoch milliseconds;
// a value at or before now answers 204 and mutes nobody (checked before
// ALREADY_MUTING), so epoch seconds silently do nothing.
func init() {
	register("mute/create", perHour(20), handleMuteCreate)
	register("mute/delete", nil, handleMuteDelete)
	register("mute/list", nil, handleMuteList)
}

var (
	errMuteNoSuchUser    = clientError("NO_SUCH_USER", "6fef56f3-e765-4957-88e5-c6f65329b8a5", "No such user.")
	errMuteeIsYourself   = clientError("MUTEE_IS_YOURSELF", "a4619cb2-5f23-484b-9301-94c903074e10", "Mutee is yourself.")
	errAlreadyMuting     = clientError("ALREADY_MUTING", "7e7359cb-160c-4956-b08f-4d1c653cd007", "You are already muting that user.")
	errUnmuteNoSuchUser  = clientError("NO_SUCH_USER", "b851d00b-8ab1-4a56-8b1b-e24187cb48ef", "No such user.")
	errUnmuteeIsYourself = clientError("MUTEE_IS_YOURSELF", "f428b029-6b39-4d48-a1d2-cc1ae6dd5cf9", "Mutee is yourself.")
	errUnmuteNotMuting   = clientError("NOT_MUTING", "5467d020-daa9-4553-81e1-135c0c35a96d", "You are not muting that user.")
)

func handleMuteCreate(c *call) (any, *apiError) {
	mutee, apiErr := c.otherUser(errMuteeIsYourself, errMuteNoSuchUser)
	if apiErr != nil {
		return nil, apiErr
	}
	var expires *time.Time
	if ms := c.integer("expiresAt"); ms != 0 {
		if ms <= c.now.UnixMilli() {
			return nil, nil
		}
		t := time.UnixMilli(ms).UTC()
		expires = &t
	}
	if c.e.st.mutingOf(c.me.ID, mutee.ID) != nil {
		return nil, errAlreadyMuting
	}
	c.e.st.Mutings = append(c.e.st.Mutings, &Muting{ID: c.e.st.IDs.next(c.now), CreatedAt: c.now, ExpiresAt: expires, MuterID: c.me.ID, MuteeID: mutee.ID})
	return nil, nil
}

func handleMuteDelete(c *call) (any, *apiError) {
	mutee, apiErr := c.otherUser(errUnmuteeIsYourself, errUnmuteNoSuchUser)
	if apiErr != nil {
		return nil, apiErr
	}
	m := c.e.st.mutingOf(c.me.ID, mutee.ID)
	if m == nil {
		return nil, errUnmuteNotMuting
	}
	c.e.st.Mutings = slices.DeleteFunc(c.e.st.Mutings, func(x *Muting) bool { return x == m })
	return nil, nil
}

func handleMuteList(c *call) (any, *apiError) {
	mine := owned(c.e.st.Mutings, func(m *Muting) string { return m.MuterID }, c.me.ID)
	out := []any{}
	for _, m := range paginate(c, mine, func(m *Muting) string { return m.ID }) {
		u := c.e.st.user(m.MuteeID)
		if u == nil {
			continue
		}
		out = append(out, map[string]any{
			"id": m.ID, "createdAt": jsDate(m.CreatedAt), "expiresAt": optDate(m.ExpiresAt), "muteeId": m.MuteeID,
			"mutee": c.e.packDetailed(u, packOpts{me: c.me}),
		})
	}
	return out, nil
}
