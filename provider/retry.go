package provider

import (
	"context"
	"errors"
	"fmt"
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
	if d, ok := retryAfter(h, r.c.now()); ok && d <= maxHonouredRetryAfter {
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
		return fmt.Errorf("%w (still limited after waiting %d times)", e, r.rateWaits)
	}
	d, source := r.c.rateLimitWait(h, e.Info)
	if r.c.maxWait > 0 && r.waited+d > r.c.maxWait {
		// Say how long the wait would have been, or the user cannot tell
		// a limit that resets in a second from one that resets in an hour.
		return fmt.Errorf("%w (mkctl would have to wait %s (%s), more than the %s it may wait)",
			e, humanDuration(d), source, humanDuration(r.c.maxWait-r.waited))
	}
	r.rateWaits++
	r.waited += d
	if r.c.beforeRateLimitWait != nil {
		r.c.beforeRateLimitWait(ctx)
	}
	r.c.notify(fmt.Sprintf("rate limited on %s; waiting %s (%s) …", r.endpoint, humanDuration(d), source))
	if err := r.c.sleep(ctx, d); err != nil {
		return fmt.Errorf("%s: stopped waiting for Misskey's rate limit: %w", r.endpoint, err)
	}
	return nil
}

// rateLimitWait is how long a 429 asks us to wait: Retry-After, else the
// reset time in the error info, else a fixed fallback. Misskey records
// every call, rejected ones too, so retrying early only pushes the reset
// further; hence at least one second even for "Retry-After: 0".
func (c *Client) rateLimitWait(h http.Header, info map[string]any) (time.Duration, string) {
	d, source := fallbackRateLimitWait, "Misskey sent no reset time"
	if ra, ok := retryAfter(h, c.now()); ok {
		d, source = ra, "Misskey's Retry-After"
	} else if ms, ok := info["resetMs"].(float64); ok {
		d = time.UnixMilli(int64(ms)).Sub(c.now())
		d = (d + time.Second - 1).Truncate(time.Second)
		source = "until Misskey's limit resets"
	}
	if d < time.Second {
		d = time.Second
	}
	return d, source
}

// retryAfter reads a Retry-After header in seconds or as an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
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
