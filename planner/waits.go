package planner

import (
	"fmt"
	"slices"
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
	{"blocking/create", 20, "blocks", func(c *Change) int { return b2i(c.Type == TypeBlock && c.Action == ActionCreate) }},
	{"blocking/delete", 100, "unblocks", func(c *Change) int { return b2i(c.Type == TypeBlock && c.Action == ActionDelete) }},
	{"mute/create", 20, "mutes", func(c *Change) int {
		return b2i(c.Type == TypeMute && (c.Action == ActionCreate || c.Action == ActionUpdate))
	}},
	{"notes/drafts/create", 300, "scheduled notes", func(c *Change) int { return b2i(c.Type == TypeScheduledNote && c.Action == ActionCreate) }},
	{"notes/drafts/update", 300, "scheduled note updates", func(c *Change) int { return b2i(c.Type == TypeScheduledNote && c.Action == ActionUpdate) }},
	{"clips/add-note", 20, "clip notes", clipAdds},
	{"renote-mute/create", 20, "renote mutes", func(c *Change) int { return b2i(c.Type == TypeRenoteMute && c.Action == ActionCreate) }},
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// RateLimited reports whether endpoint is one of the hourly-limited calls
// the wait estimate counts: the provider records when it made them.
func RateLimited(endpoint string) bool {
	for _, h := range hourly {
		if h.endpoint == endpoint {
			return true
		}
	}
	return false
}

// estimateWaits tells the user how long rate limits will stretch the apply,
// from a model of Misskey's limiter (windowWait), starting from the calls
// recent applies made (the ownership record keeps them).
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
	var prior map[string][]int64
	var limited map[string]int64
	var now int64
	if o := p.live.Ownership; o != nil && o.ReadAt != 0 {
		prior, limited, now = o.Calls, o.Limited, o.ReadAt
	}
	for _, h := range hourly {
		n := 0
		for _, c := range p.ap.Changes {
			n += h.count(c)
		}
		limit := int(float64(h.max) / factor)
		if limit < 1 || n == 0 {
			continue
		}
		used := recentCalls(prior[h.endpoint], now)
		if until := limited[h.endpoint]; until > now {
			// A 429 said the window is full until then, whoever filled
			// it: as many calls as the limit, the oldest leaving then.
			used = windowFullUntil(used, limit, until)
		}
		wait := windowWait(n, limit, used, now)
		if wait < time.Minute {
			continue
		}
		if len(used) > 0 {
			p.note("%d %s at %d/hour (%s), after %d made in the last hour: the apply will wait about %s for Misskey's rate limit; it can be interrupted and re-run safely.",
				n, h.what, limit, h.endpoint, len(used), formatWait(wait))
			continue
		}
		p.note("%d %s at %d/hour (%s): the apply will wait about %s for Misskey's rate limit; it can be interrupted and re-run safely.",
			n, h.what, limit, h.endpoint, formatWait(wait))
	}
}

// windowFullUntil adds to used what a 429 tells: the window holds limit
// calls, the oldest of which leaves it at until.
func windowFullUntil(used []int64, limit int, until int64) []int64 {
	out := slices.Clone(used)
	start := until - time.Hour.Milliseconds()
	for len(out) < limit || out[len(out)-limit] < start {
		out = append(out, start)
		slices.Sort(out)
	}
	return out
}

// recentCalls are the calls of the hour before now.
func recentCalls(calls []int64, now int64) []int64 {
	var out []int64
	for _, t := range calls {
		if t > now-time.Hour.Milliseconds() && t <= now {
			out = append(out, t)
		}
	}
	return out
}

// windowWait is how long n calls take under a limit of `limit` an hour,
// when the calls `used` (Unix ms, sorted) were made before now.
//
// Misskey's limiter is a sliding log (ratelimiter 3.4.1): a call passes
// when fewer than `limit` calls lie in the hour before it. So call k of the
// sequence (the earlier ones included) passes at the earliest when call
// k-limit is an hour old. With no earlier calls the calls go in whole
// batches of `limit`, one batch per window, and the last batch waits as
// long as a full one even when it is small: ceil(n/limit)-1 windows (250 at
// 100/hour: 2 hours, not 1.5; 101: 1 hour, not 1 minute). Earlier calls
// push every batch later: 150 follows after 100 made a minute ago take
// 59 minutes until those age out, then an hour more for the last 50. The
// calls themselves are taken as instant; their own time adds a little.
func windowWait(n, limit int, used []int64, now int64) time.Duration {
	if limit < 1 {
		return 0
	}
	hour := time.Hour.Milliseconds()
	times := make([]int64, 0, len(used)+n)
	times = append(times, used...)
	t := now
	for range n {
		if k := len(times) - limit; k >= 0 && times[k] > t-hour {
			t = times[k] + hour
		}
		times = append(times, t)
	}
	return time.Duration(t-now) * time.Millisecond
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
