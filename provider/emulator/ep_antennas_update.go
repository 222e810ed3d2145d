package emulator

import "slices"

// antennas/update — ep/antennas/update.ts: a partial update. EMPTY_KEYWORD
// is checked only when both keyword arrays are sent. A userListId is
// looked up when the new or the old src is "list"; sending one otherwise
// stores null. Any update reactivates the antenna and touches lastUsedAt.
func init() { register("antennas/update", nil, handleAntennasUpdate) }

var (
	errUpdateAntennaNoSuchAntenna  = clientError("NO_SUCH_ANTENNA", "10c673ac-8852-48eb-aa1f-f5b67f069290", "No such antenna.")
	errUpdateAntennaNoSuchUserList = clientError("NO_SUCH_USER_LIST", "1c6b35c9-943e-48c2-81e4-2844989407f7", "No such user list.")
	errUpdateAntennaEmptyKeyword   = clientError("EMPTY_KEYWORD", "721aaff6-4e1b-4d88-8de6-877fae9f68c4", "Either keywords or excludeKeywords is required.")
)

func handleAntennasUpdate(c *call) (any, *apiError) {
	st := c.e.st
	if c.has("keywords") && c.has("excludeKeywords") && allEmpty(c.keywordsParam("keywords")) && allEmpty(c.keywordsParam("excludeKeywords")) {
		return nil, errUpdateAntennaEmptyKeyword
	}
	id, _ := c.str("antennaId")
	a := st.ownAntenna(id, c.me.ID)
	if a == nil {
		return nil, errUpdateAntennaNoSuchAntenna
	}
	src, hasSrc := c.str("src")
	var list *UserList
	if listID, ok := c.str("userListId"); ok && (src == "list" || a.Src == "list") {
		if list = st.ownList(listID, c.me.ID); list == nil {
			return nil, errUpdateAntennaNoSuchUserList
		}
	}

	if s, ok := c.str("name"); ok {
		a.Name = s
	}
	if hasSrc {
		a.Src = src
	}
	if c.has("userListId") {
		a.UserListID = nil
		if list != nil {
			a.UserListID = &list.ID
		}
	}
	if c.has("keywords") {
		a.Keywords = c.keywordsParam("keywords")
	}
	if c.has("excludeKeywords") {
		a.ExcludeKeywords = c.keywordsParam("excludeKeywords")
	}
	if c.has("users") {
		a.Users = c.strings("users")
	}
	for name, dst := range map[string]*bool{
		"caseSensitive": &a.CaseSensitive, "localOnly": &a.LocalOnly, "excludeBots": &a.ExcludeBots,
		"withReplies": &a.WithReplies, "withFile": &a.WithFile, "excludeNotesInSensitiveChannel": &a.ExcludeNotesInSensitiveChannel,
	} {
		if b, ok := c.boolean(name); ok {
			*dst = b
		}
	}
	a.IsActive, a.LastUsedAt = true, c.now
	// An UPDATE writes a new row version at the end of the heap, which is
	// where antennas/list (no ORDER BY) then finds it.
	st.Antennas = append(slices.DeleteFunc(st.Antennas, func(x *Antenna) bool { return x == a }), a)
	return c.e.packAntenna(a, c.now), nil
}
