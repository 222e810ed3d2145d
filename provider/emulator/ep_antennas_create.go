package emulator

// antennas/create — ep/antennas/create.ts. Checks in the endpoint's
// order: at least one non-empty keyword across keywords and
// excludeKeywords, then the policy antennaLimit, then the list (only when
// src is "list"). userListId is stored only for src "list". Optional
// booleans absent from the body take the column default, false.
func init() { register("antennas/create", nil, handleAntennasCreate) }

var (
	errCreateAntennaNoSuchUserList = clientError("NO_SUCH_USER_LIST", "95063e93-a283-4b8b-9aa5-bcdb8df69a7f", "No such user list.")
	errTooManyAntennas             = clientError("TOO_MANY_ANTENNAS", "faf47050-e8b5-438c-913c-db2b1576fde4", "You cannot create antenna any more.")
	errCreateAntennaEmptyKeyword   = clientError("EMPTY_KEYWORD", "53ee222e-1ddd-4f9a-92e5-9fb82ddb463a", "Either keywords or excludeKeywords is required.")
)

func handleAntennasCreate(c *call) (any, *apiError) {
	st := c.e.st
	keywords, exclude := c.keywordsParam("keywords"), c.keywordsParam("excludeKeywords")
	if allEmpty(keywords) && allEmpty(exclude) {
		return nil, errCreateAntennaEmptyKeyword
	}
	count := countOwned(st.Antennas, func(a *Antenna) string { return a.UserID }, c.me.ID)
	if float64(count) >= c.me.policyNumber("antennaLimit") {
		return nil, errTooManyAntennas
	}
	src, _ := c.str("src")
	var listID *string
	if id, ok := c.str("userListId"); ok && src == "list" {
		l := st.ownList(id, c.me.ID)
		if l == nil {
			return nil, errCreateAntennaNoSuchUserList
		}
		listID = &l.ID
	}
	name, _ := c.str("name")
	flag := func(name string) bool { b, _ := c.boolean(name); return b }
	a := &Antenna{
		ID: st.IDs.next(c.now), CreatedAt: c.now, UserID: c.me.ID, Name: name, Src: src, UserListID: listID,
		Keywords: keywords, ExcludeKeywords: exclude, Users: c.strings("users"),
		CaseSensitive: flag("caseSensitive"), LocalOnly: flag("localOnly"), ExcludeBots: flag("excludeBots"),
		WithReplies: flag("withReplies"), WithFile: flag("withFile"),
		ExcludeNotesInSensitiveChannel: flag("excludeNotesInSensitiveChannel"),
		IsActive:                       true, LastUsedAt: c.now,
	}
	st.Antennas = append(st.Antennas, a)
	return c.e.packAntenna(a, c.now), nil
}
