package planner

import (
	"fmt"
	"time"
)

// hourly are Misskey's per-hour limits on the endpoints an apply calls in
// bulk (API-NOTES section 0), with the role policy rateLimitFactor at 1.
var hourly = []struct {
	endpoint string
	max      int
	what     string
	count    func(c *Change) int
}{
	{"following/create", 100, "follows", func(c *Change) int { return b2i(c.Type == TypeFollow && c.Action == ActionCreate) }},
	{"following/delete", 100, "unfollows", func(c *Change) int {
		return b2i(c.Type == TypeFollow && c.Action == ActionDelete && !c.Pending)
	}},
	{"following/update", 100, "follow updates", func(c *Change) int {
		return b2i(c.Type == TypeFollow && (c.Action == ActionUpdate || c.Action == ActionCreate && c.After["notify"] != nil))
	}},
	{"drive/folders/create", 10, "folders", func(c *Change) int { return b2i(c.Type == TypeDriveFolder && c.Action == ActionCreate) }},
	{"users/lists/push", 30, "list members", func(c *Change) int {
		if c.Type != TypeUserList {
			return 0
		}
		push, _ := c.After["push"].([]any)
		return len(push)
	}},
	{"notes/create", 300, "notes", func(c *Change) int {
		return b2i(c.Type == TypePinnedNote && (c.Action == ActionCreate || c.Action == ActionReplace))
	}},
	{"i/update", 20, "profile updates", func(c *Change) int { return b2i(c.Type == TypeProfile) }},
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// estimateWaits tells the user how long rate limits will stretch the apply:
// the first `max` calls of an hour go at once, every further batch waits an
// hour. (Calls made in the last hour by other clients make it longer.)
func (p *planState) estimateWaits() {
	factor := 1.0
	if f, ok := p.live.Policies["rateLimitFactor"].(float64); ok {
		if f <= 0 {
			// Misskey rate-limits a user only when the factor is positive
			// (ApiCallService: `factor > 0`): this account waits for nothing.
			return
		}
		factor = f
	}
	for _, h := range hourly {
		n := 0
		for _, c := range p.ap.Changes {
			n += h.count(c)
		}
		limit := int(float64(h.max) / factor)
		if limit < 1 || n <= limit {
			continue
		}
		wait := windowWait(n, limit)
		p.note("%d %s at %d/hour (%s): the apply will wait about %s for Misskey's rate limit; it can be interrupted and re-run safely.",
			n, h.what, limit, h.endpoint, formatWait(wait))
	}
}

// windowWait is how long n calls take under a limit of `limit` an hour.
// Misskey's limiter is a sliding log of the last `limit` calls: a call
// passes once the oldest of them is an hour old, so the calls go in whole
// batches of `limit`, one batch per window, and the last batch waits as
// long as a full one even when it is small. A fraction of a window
// (250 at 100/hour as 1.5 hours) undercounts by up to an hour: the apply
// really takes ceil(n/limit)-1 windows (2 hours for 250; measured 1h59m on
// the emulator's sliding window with the real client).
func windowWait(n, limit int) time.Duration {
	if limit < 1 || n <= limit {
		return 0
	}
	windows := (n+limit-1)/limit - 1
	return time.Duration(windows) * time.Hour
}

func formatWait(d time.Duration) string {
	h, m := int(d.Hours()), int(d.Minutes())%60
	switch {
	case h == 0:
		return fmt.Sprintf("%dm", m)
	case m == 0:
		return fmt.Sprintf("%dh", h)
	}
	return fmt.Sprintf("%dh%02dm", h, m)
}
