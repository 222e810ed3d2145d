package provider

import "strings"

// redact removes the token from text that may have come from the server or
// from an error chain: a misconfigured proxy or a hostile server could echo
// it back, and errors end up on screens and in CI logs.
func (c *Client) redact(s string) string {
	if c.token == "" {
		return s
	}
	return strings.ReplaceAll(s, c.token, "<redacted>")
}

// redactValue scrubs every string inside a decoded JSON value.
func (c *Client) redactValue(v any) any {
	switch v := v.(type) {
	case string:
		return c.redact(v)
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[c.redact(k)] = c.redactValue(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = c.redactValue(x)
		}
		return out
	}
	return v
}

// scrub makes sure err's message does not contain the token, keeping the
// chain intact for errors.Is/As.
func (c *Client) scrub(err error) error {
	if err == nil || c.token == "" || !strings.Contains(err.Error(), c.token) {
		return err
	}
	return &redactedError{msg: c.redact(err.Error()), err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
