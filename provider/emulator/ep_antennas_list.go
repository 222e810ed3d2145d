package emulator

// antennas/list — ep/antennas/list.ts: the caller's antennas. The query
// has no ORDER BY, so the order is PostgreSQL's heap order: creation
// order, except that an updated row moves to the end (sample 37). The
// emulator keeps that order so that clients cannot come to rely on ids.
func init() { register("antennas/list", nil, handleAntennasList) }

func handleAntennasList(c *call) (any, *apiError) {
	out := []any{}
	for _, a := range c.e.st.Antennas {
		if a.UserID == c.me.ID {
			out = append(out, c.e.packAntenna(a, c.now))
		}
	}
	return out, nil
}
