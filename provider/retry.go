package provider

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const (
	backoffBase = 500 * time.Millisecond
	backoffMax  = 20 * time.Second
	// maxHonouredRetryAfter bounds a Retry-After on a 503: a proxy asking
	// for longer is treated as down rather than waited for.
	maxHonouredRetryAfter = 5 * time.Minute
	// fallbackRateLimitWait is used when a 429 says nothing about when the
	// limit resets; Misskey's shortest windows are an hour, its minIntervals
	// a few seconds.
	fallbackRateLimitWait = 60 * time.Second
)

// retrier decides, for one call, whether a failure is waited out and tried
// again. It returns nil to try again or the error to give up with.
type retrier struct {
	c          *Client
	endpoint   string
	idempotent bool

	retries         int           // transient retries used
	internalRetried bool          // INTERNAL_ERROR is retried at most once
	rateWaits       int           // 429s waited out
	waited          time.Duration // total 429 wait
}

func (r *retrier) afterNetworkError(ctx context.Context, err error) error {
	var nerr *NetworkError
	if !errors.As(err, &nerr) {
		return err // our own failure (too large, unbuildable): repeating won't help
	}
	if !r.idempotent {
		// The request may have reached Misskey and taken effect; only a
		// fresh read can tell, so the caller decides.
		return err
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
		// The host does not exist: asking again will not make it.
		return err
	}
	return r.backoff(ctx, err, 0)
}

func (r *retrier) afterAPIError(ctx context.Context, e *APIError, h http.Header) error {
	if e.Status == http.StatusTooManyRequests {
		return r.rateLimit(ctx, e, h)
	}
	if !r.idempotent || !r.transient(e) {
		return e
	}
	var hint time.Duration
	if d, ok := retryAfter(h, r.c.now()); ok && d <= maxHonouredRetryAfter && d <= r.c.maxWait {
		hint = d
	}
	return r.backoff(ctx, e, hint)
}

// transient says whether a failed read may succeed when simply repeated.
// A 500 carrying a Misskey error (FAILED_TO_RESOLVE_REMOTE_USER, …) is a
// real answer; INTERNAL_ERROR may be a hiccup (database, Redis), so it gets
// one more try.
func (r *retrier) transient(e *APIError) bool {
	switch e.Status {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	case http.StatusInternalServerError:
		if !e.fromMisskey() {
			return true // a proxy's error page, not Misskey's answer
		}
		if e.Code == "INTERNAL_ERROR" && !r.internalRetried {
			r.internalRetried = true
			return true
		}
	}
	return false
}

func (r *retrier) backoff(ctx context.Context, cause error, atLeast time.Duration) error {
	if r.retries >= r.c.retries {
		r.c.logf(ctx, slog.LevelDebug, "giving up", slog.String("endpoint", r.endpoint), slog.String("cause", shortCause(cause)), slog.Int("retries", r.retries))
		return cause
	}
	d := backoffBase << r.retries
	if d > backoffMax || d <= 0 {
		d = backoffMax
	}
	d = r.c.jitter(d)
	if d < atLeast {
		d = atLeast
	}
	r.retries++
	r.c.logf(ctx, slog.LevelDebug, "retrying", slog.String("endpoint", r.endpoint), slog.String("cause", shortCause(cause)),
		slog.Duration("wait", d), slog.Int("retry", r.retries), slog.Int("of", r.c.retries))
	r.c.notify(fmt.Sprintf("%s failed (%s); retrying in %s (retry %d of %d) …",
		r.endpoint, r.c.redact(shortCause(cause)), d.Round(10*time.Millisecond), r.retries, r.c.retries))
	if err := r.c.sleep(ctx, d); err != nil {
		return fmt.Errorf("%s: stopped while waiting to retry after %q: %w", r.endpoint, r.c.redact(shortCause(cause)), err)
	}
	return nil
}

func shortCause(err error) string {
	if e, ok := err.(*APIError); ok {
		if e.fromMisskey() {
			return strconv.Itoa(e.Status) + " " + e.Code
		}
		return "HTTP " + strconv.Itoa(e.Status)
	}
	if e, ok := err.(*NetworkError); ok {
		return e.msg
	}
	return err.Error()
}

func (r *retrier) rateLimit(ctx context.Context, e *APIError, h http.Header) error {
	if r.rateWaits >= maxRateLimitWaits {
		r.c.logf(ctx, slog.LevelDebug, "rate limited; giving up", slog.String("endpoint", r.endpoint), slog.Int("waits", r.rateWaits))
		return fmt.Errorf("%w (still limited after waiting %d times)", e, r.rateWaits)
	}
	w := r.c.rateLimitWait(h, e.Info)
	attrs := []slog.Attr{slog.String("endpoint", r.endpoint), slog.Duration("asked", w.d), slog.String("source", w.source),
		slog.String("raw", w.raw), slog.Duration("max_wait_left", r.c.maxWait-r.waited)}
	if w.d > r.c.maxWait-r.waited {
		// Fail now rather than sleep for whatever the server asked (a
		// Retry-After of 999999 would be 277 hours). Say what it asked
		// for, or the user cannot tell a limit that resets in a second
		// from one that resets in an hour, and which flag decides.
		r.c.logf(ctx, slog.LevelDebug, "rate limited; not waiting: over the maximum wait", attrs...)
		return &WaitTooLongError{Endpoint: r.endpoint, Asked: w.d, Source: w.source, Raw: w.raw,
			Limit: r.c.maxWait - r.waited, MaxWait: r.c.maxWait, Err: e}
	}
	r.rateWaits++
	r.waited += w.d
	r.c.logf(ctx, slog.LevelDebug, "rate limited; waiting", attrs...)
	if r.c.beforeRateLimitWait != nil {
		r.c.beforeRateLimitWait(ctx)
	}
	r.c.notify(fmt.Sprintf("rate limited on %s; waiting %s (%s) …", r.endpoint, humanDuration(w.d), w.source))
	if err := r.c.sleep(ctx, w.d); err != nil {
		return fmt.Errorf("%s: stopped waiting for Misskey's rate limit: %w", r.endpoint, err)
	}
	return nil
}

// WaitTooLongError is a 429 whose wait is longer than mkctl may wait
// (WithMaxRateLimitWait, the CLI's --max-wait). It wraps the 429's
// APIError, so IsCode(err, "RATE_LIMIT_EXCEEDED") still holds.
type WaitTooLongError struct {
	Endpoint string
	Asked    time.Duration // what the server asked for (saturated at the largest Duration)
	Source   string        // where that came from: "Misskey's Retry-After", …
	Raw      string        // the server's own words: "Retry-After: 999999", "resetMs 253402300799000"
	Limit    time.Duration // what was left of the allowed wait for this call
	MaxWait  time.Duration // the configured maximum
	Err      *APIError
}

func (e *WaitTooLongError) Error() string {
	raw := ""
	if e.Raw != "" {
		raw = ": " + e.Raw
	}
	return fmt.Sprintf("%s (mkctl would have to wait %s (%s%s), more than the %s it may wait; --max-wait sets that limit)",
		e.Err.Error(), askedDuration(e.Asked), e.Source, raw, humanDuration(e.Limit))
}

func (e *WaitTooLongError) Unwrap() error { return e.Err }

// Hint replaces the 429's own hint: the user's choice is to run again
// later or to allow a longer wait.
func (e *WaitTooLongError) Hint() string {
	return fmt.Sprintf("Misskey limits how often %s may be called; run mkctl again later, or allow a longer wait with --max-wait (now %s)",
		e.Endpoint, humanDuration(e.MaxWait))
}

// askedDuration prints a wait the server asked for; absurd ones are
// shown in days or years rather than as millions of hours.
func askedDuration(d time.Duration) string {
	switch {
	case d == math.MaxInt64:
		return "more than 292 years"
	case d >= 48*time.Hour:
		return fmt.Sprintf("%s (%.0f days)", humanDuration(d), d.Hours()/24)
	}
	return humanDuration(d)
}

// rateLimitAsk is one 429's wait and where it came from.
type rateLimitAsk struct {
	d      time.Duration
	source string
	raw    string
}

// rateLimitWait is how long a 429 asks us to wait: Retry-After, else the
// reset time in the error info, else a fixed fallback. Misskey records
// every call, rejected ones too, so retrying early only pushes the reset
// further; hence at least one second even for "Retry-After: 0".
// Absurd values saturate rather than overflow, so the cap sees them.
func (c *Client) rateLimitWait(h http.Header, info map[string]any) rateLimitAsk {
	w := rateLimitAsk{d: fallbackRateLimitWait, source: "Misskey sent no reset time"}
	if ra, ok := retryAfter(h, c.now()); ok {
		w = rateLimitAsk{d: ra, source: "Misskey's Retry-After", raw: truncate(strings.TrimSpace(h.Get("Retry-After")), 64)}
	} else if ms, ok := info["resetMs"].(float64); ok {
		w = rateLimitAsk{d: untilMillis(ms, c.now()), source: "until Misskey's limit resets", raw: "resetMs " + formatMillis(ms)}
	}
	if w.d < time.Second {
		w.d = time.Second
	}
	return w
}

// untilMillis is the whole seconds from now until the Unix time ms,
// saturating for times past what a Duration holds.
func untilMillis(ms float64, now time.Time) time.Duration {
	if math.IsNaN(ms) || ms <= 0 {
		return 0
	}
	// Float-to-int conversion of an out-of-range value is undefined in Go.
	const maxMs = float64(math.MaxInt64 / int64(time.Millisecond))
	if ms >= maxMs {
		return math.MaxInt64
	}
	d := time.UnixMilli(int64(ms)).Sub(now)
	if d >= math.MaxInt64-time.Second {
		return math.MaxInt64
	}
	return (d + time.Second - 1).Truncate(time.Second)
}

// formatMillis prints info.resetMs as the server sent it: digits for a
// plausible time, an exponent for an absurd one.
func formatMillis(ms float64) string {
	if ms == math.Trunc(ms) && math.Abs(ms) < 1e18 {
		return strconv.FormatInt(int64(ms), 10)
	}
	return strconv.FormatFloat(ms, 'g', -1, 64)
}

// maxRetryAfterSeconds is the largest Retry-After in seconds that fits a
// Duration; anything larger is saturated rather than overflowed.
const maxRetryAfterSeconds = int64(math.MaxInt64 / int64(time.Second))

// retryAfter reads a Retry-After header in seconds or as an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil && s >= 0 {
		if s > maxRetryAfterSeconds {
			return math.MaxInt64, true
		}
		return time.Duration(s) * time.Second, true
	} else if errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(v, "-") {
		return math.MaxInt64, true // more digits than an int64 holds
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now) // saturates for dates centuries away
		if d < 0 {
			d = 0
		}
		if d == math.MaxInt64 {
			return d, true
		}
		return d.Round(time.Second), true
	}
	return 0, false
}

// equalJitter spreads retries of many clients: half fixed, half random.
func equalJitter(d time.Duration) time.Duration {
	half := d / 2
	return half + rand.N(half+1)
}

// sleepContext waits d or until ctx ends, whichever comes first.
func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// humanDuration prints whole seconds without zero units: 1h, 59m59s, 45s.
func humanDuration(d time.Duration) string {
	d = d.Round(time.Second)
	if d < time.Second {
		return d.String()
	}
	h, m, s := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	var b strings.Builder
	if h > 0 {
		fmt.Fprintf(&b, "%dh", h)
	}
	if m > 0 {
		fmt.Fprintf(&b, "%dm", m)
	}
	if s > 0 {
		fmt.Fprintf(&b, "%ds", s)
	}
	return b.String()
}
