package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"time"
)

// LevelTrace is more verbose than slog.LevelDebug: request and response
// bodies, which can be large and hold account data.
const LevelTrace = slog.LevelDebug - 4

// maxLoggedBody bounds a body logged at trace level; a 5,000-follow page
// walk should not turn the log into hundreds of megabytes.
const maxLoggedBody = 16 << 10

// WithLogger logs every request (endpoint, attempt, status, duration) and
// every retry, wait and pacing decision at debug level, and bodies at
// LevelTrace. Nil (the default) logs nothing. The Authorization header is
// never logged; the token and credential-like fields in bodies are
// replaced by <redacted>.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) { c.logger = l }
}

func (c *Client) logEnabled(ctx context.Context, level slog.Level) bool {
	return c.logger != nil && c.logger.Enabled(ctx, level)
}

// logf logs msg with attrs when the level is enabled; every string value
// is scrubbed of the token first, whatever its origin.
func (c *Client) logf(ctx context.Context, level slog.Level, msg string, attrs ...slog.Attr) {
	if !c.logEnabled(ctx, level) {
		return
	}
	for i, a := range attrs {
		if a.Value.Kind() == slog.KindString {
			attrs[i].Value = slog.StringValue(c.redact(a.Value.String()))
		}
	}
	c.logger.LogAttrs(ctx, level, msg, attrs...)
}

// logAttempt records one HTTP attempt.
func (c *Client) logAttempt(ctx context.Context, endpoint string, attempt int, start time.Time, reqBody []byte, resp *response, err error) {
	if c.logger == nil {
		return
	}
	d := time.Since(start).Round(time.Millisecond)
	if c.logEnabled(ctx, LevelTrace) {
		c.logf(ctx, LevelTrace, "request body", slog.String("endpoint", endpoint), slog.Int("attempt", attempt), slog.String("body", c.loggableBody(reqBody)))
	}
	if err != nil {
		c.logf(ctx, slog.LevelDebug, "request failed", slog.String("endpoint", endpoint), slog.Int("attempt", attempt),
			slog.Duration("duration", d), slog.String("error", err.Error()))
		return
	}
	c.logf(ctx, slog.LevelDebug, "request", slog.String("endpoint", endpoint), slog.Int("attempt", attempt),
		slog.Int("status", resp.status), slog.Duration("duration", d), slog.Int("bytes", len(resp.body)))
	if c.logEnabled(ctx, LevelTrace) {
		c.logf(ctx, LevelTrace, "response body", slog.String("endpoint", endpoint), slog.Int("attempt", attempt),
			slog.Int("status", resp.status), slog.String("body", c.loggableBody(resp.body)))
	}
}

// secretKeys are JSON keys whose values are credentials: `i` is how
// Misskey takes a token in a body; the others appear in MiAuth and app
// answers. Their values are never logged, whoever's token they are.
var secretKeys = map[string]bool{"i": true, "token": true, "accessToken": true, "secret": true, "appSecret": true}

// loggableBody is a body fit for a log: credential fields and the token
// redacted, truncated to maxLoggedBody.
func (c *Client) loggableBody(body []byte) string {
	var v any
	if json.Unmarshal(body, &v) == nil {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false) // "<redacted>", not "\u003credacted\u003e"
		if enc.Encode(c.redactValue(hideSecrets(v))) == nil {
			body = bytes.TrimSuffix(b.Bytes(), []byte("\n"))
		}
	}
	s := c.redact(string(body))
	if len(s) > maxLoggedBody {
		s = strings.ToValidUTF8(s[:maxLoggedBody], "") + " …(truncated)"
	}
	return s
}

func hideSecrets(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if secretKeys[k] {
				v[k] = Redacted
			} else {
				v[k] = hideSecrets(x)
			}
		}
	case []any:
		for i, x := range v {
			v[i] = hideSecrets(x)
		}
	}
	return v
}
