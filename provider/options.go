package provider

import (
	"context"
	"net/http"
	"time"
)

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sends requests through hc, for example one whose
// Transport is an in-process emulator. Its redirect policy is kept as is.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) {
		if hc != nil {
			c.hc = hc
		}
	}
}

// WithUserAgent sets the User-Agent header; the CLI passes "mkctl/<version>".
func WithUserAgent(ua string) Option {
	return func(c *Client) {
		if ua != "" {
			c.userAgent = ua
		}
	}
}

// WithNotify receives one line for every wait (rate limit, retry), so the
// user knows why nothing happens.
func WithNotify(fn func(msg string)) Option {
	return func(c *Client) {
		if fn != nil {
			c.notify = fn
		}
	}
}

// WithSleep replaces how the client waits. The function must return
// ctx.Err() when ctx ends before d has passed. Tests inject a fake.
func WithSleep(fn func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Client) {
		if fn != nil {
			c.sleep = fn
		}
	}
}

// WithMaxRetries sets how often a read is retried after a transient
// failure (default 3; 0 disables). It does not limit 429 waits.
func WithMaxRetries(n int) Option {
	return func(c *Client) {
		if n >= 0 {
			c.retries = n
		}
	}
}

// WithTimeout bounds each HTTP attempt, body included (default 30s).
func WithTimeout(d time.Duration) Option {
	return func(c *Client) {
		if d > 0 {
			c.timeout = d
		}
	}
}

// WithMaxRateLimitWait caps the total time one call may spend waiting out
// 429 answers (default DefaultMaxWait). When the next wait would go over
// the cap, the call fails at once with a *WaitTooLongError (which wraps the
// RATE_LIMIT_EXCEEDED error) saying what the server asked for. 0 means
// never wait: fail on the first 429. There is no "no cap": a server must
// not be able to hold mkctl for the 277 hours of "Retry-After: 999999".
func WithMaxRateLimitWait(d time.Duration) Option {
	return func(c *Client) {
		if d >= 0 {
			c.maxWait = d
		}
	}
}
