package emulator

import "slices"

// antennas/delete — ep/antennas/delete.ts: 204.
func init() { register("antennas/delete", nil, handleAntennasDelete) }

var errDeleteNoSuchAntenna = clientError("NO_SUCH_ANTENNA", "b34dcf9d-348f-44bb-99d0-6c9314cfe2df", "No such antenna.")

func handleAntennasDelete(c *call) (any, *apiError) {
	id, _ := c.str("antennaId")
	a := c.e.st.ownAntenna(id, c.me.ID)
	if a == nil {
		return nil, errDeleteNoSuchAntenna
	}
	c.e.st.Antennas = slices.DeleteFunc(c.e.st.Antennas, func(x *Antenna) bool { return x == a })
	return nil, nil
}
