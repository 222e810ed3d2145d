package emulator

import (
	"fmt"
	"slices"
)

// i — ep/i.ts: the caller's MeDetailed (secrets only for a native token).
func init() { register("i", nil, handleI) }

func handleI(c *call) (any, *apiError) {
	// Side effect of the real endpoint: today's date joins loggedInDates,
	// which loggedInDays counts.
	today := fmt.Sprintf("%d/%d/%d", c.now.Year(), int(c.now.Month()), c.now.Day())
	if !slices.Contains(c.me.LoggedInDates, today) {
		c.me.LoggedInDates = append(c.me.LoggedInDates, today)
	}
	return c.e.packDetailed(c.me, packOpts{me: c.me, includeSecrets: c.native()}), nil
}
