package emulator

// antennas/show — ep/antennas/show.ts: one of the caller's antennas.
func init() { register("antennas/show", nil, handleAntennasShow) }

var errShowNoSuchAntenna = clientError("NO_SUCH_ANTENNA", "c06569fb-b025-4f23-b22d-1fcd20d2816b", "No such antenna.")

func handleAntennasShow(c *call) (any, *apiError) {
	id, _ := c.str("antennaId")
	a := c.e.st.ownAntenna(id, c.me.ID)
	if a == nil {
		return nil, errShowNoSuchAntenna
	}
	return c.e.packAntenna(a, c.now), nil
}
