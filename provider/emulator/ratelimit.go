package emulator

import (
	"math"
	"slices"
	"time"
)

// rateLimit applies the endpoint's limit to actor like RateLimiterService:
// the role policy rateLimitFactor divides max and multiplies minInterval
// (a factor ≤ 0 turns limiting off); minInterval is checked first, as a
// bucket of one per interval, then duration/max. The caller holds e.mu.
func (e *Emulator) rateLimit(c *call, actor string) *apiError {
	l := c.ep.Limit
	factor := 1.0
	if c.me != nil {
		factor = c.me.policyNumber("rateLimitFactor")
	}
	if factor <= 0 {
		return nil
	}
	key := actor + ":" + c.ep.Name
	if l.MinInterval > 0 {
		window := time.Duration(float64(l.MinInterval) * factor)
		if info := e.slidingWindow(key+":min", window, 1, c.now); info["remaining"] == 0.0 {
			return rateLimitExceeded(info)
		}
	}
	if l.Duration > 0 && l.Max > 0 {
		if info := e.slidingWindow(key, l.Duration, l.Max/factor, c.now); info["remaining"] == 0.0 {
			return rateLimitExceeded(info)
		}
	}
	return nil
}

// slidingWindow is one call of the npm package ratelimiter 3.4.1 (a Redis
// sorted-set log): drop entries older than the window, count the rest,
// add this call — rejected calls count too — then keep only the newest
// max entries. The reset time is when the max-th newest entry leaves the
// window (the oldest one, while there are fewer).
//
// Unlike Redis, two calls at the same microsecond are two entries: with a
// FakeClock that stands still they must still count separately.
func (e *Emulator) slidingWindow(key string, duration time.Duration, max float64, now time.Time) map[string]any {
	nowUs := now.UnixMicro()
	durUs := duration.Microseconds()
	start := nowUs - durUs
	log := slices.DeleteFunc(e.st.RateLimits[key], func(t int64) bool { return t <= start })
	count := float64(len(log))
	at, _ := slices.BinarySearch(log, nowUs+1) // after equal stamps
	log = slices.Insert(log, at, nowUs)

	n := int(max) // Redis ranks are integers
	resetUs := log[0] + durUs
	if n >= 1 && len(log) >= n {
		resetUs = log[len(log)-n] + durUs
	}
	if n >= 1 && len(log) > n {
		log = slices.Clone(log[len(log)-n:])
	}
	e.st.RateLimits[key] = log

	remaining := 0.0
	if count < max {
		remaining = max - count
	}
	return map[string]any{
		"remaining": remaining,
		"reset":     int64(math.Floor(float64(resetUs) / 1e6)),
		"resetMs":   int64(math.Floor(float64(resetUs) / 1e3)),
		"total":     max,
	}
}
