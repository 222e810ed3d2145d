package provider

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"

	"github.com/mkctl/mkctl/internal/redact"
)

// Redacted replaces a token wherever mkctl prints or logs text.
const Redacted = "<redacted>"

// Real Misskey tokens have 16 (native) or 32 (MiAuth, access tokens)
// characters, so redact.Word's whole-word rule for secrets shorter than 8
// only ever applies to tokens no real server hands out.

// RedactToken replaces token in s by <redacted>: every occurrence when the
// token has at least 8 characters, whole words only when it is shorter.
func RedactToken(s, token string) string {
	return redact.Word(s, token, Redacted)
}

// redact removes the token from text that may have come from the server or
// from an error chain: a misconfigured proxy or a hostile server could echo
// it back, and errors end up on screens and in CI logs.
func (c *Client) redact(s string) string { return RedactToken(s, c.token) }

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

// mayHoldToken says whether a JSON body could decode to a string holding
// the token: it appears literally, or the body has \u escapes that could
// spell it. Almost every answer has neither, and skips the walk.
func (c *Client) mayHoldToken(body []byte) bool {
	return c.token != "" && (bytes.Contains(body, []byte(c.token)) || bytes.Contains(body, []byte(`\u`)))
}

// redactDecoded scrubs the token from every string a successful answer was
// decoded into (struct fields, maps, slices, interfaces, raw JSON), so that
// a server echoing the token into a profile value cannot get it printed by
// a plan, a JSON plan or apply's progress: every value mkctl shows comes
// from such an answer.
func (c *Client) redactDecoded(out any) {
	v := reflect.ValueOf(out)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return
	}
	c.redactReflect(v.Elem(), 0)
}

// maxRedactDepth stops the walk on absurdly deep values; encoding/json
// refuses nesting deeper than 10000 anyway.
const maxRedactDepth = 10000

var rawMessageType = reflect.TypeFor[json.RawMessage]()

func (c *Client) redactReflect(v reflect.Value, depth int) {
	if depth > maxRedactDepth {
		return
	}
	switch v.Kind() {
	case reflect.String:
		if s := v.String(); strings.Contains(s, c.token) && v.CanSet() {
			v.SetString(c.redact(s))
		}
	case reflect.Pointer:
		if !v.IsNil() {
			c.redactReflect(v.Elem(), depth+1)
		}
	case reflect.Interface:
		if v.IsNil() || !v.CanSet() {
			return
		}
		// The value inside an interface is not addressable: scrub a copy.
		e := v.Elem()
		cp := reflect.New(e.Type()).Elem()
		cp.Set(e)
		c.redactReflect(cp, depth+1)
		v.Set(cp)
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Field(i); f.CanSet() {
				c.redactReflect(f, depth+1)
			}
		}
	case reflect.Slice:
		if v.Type() == rawMessageType {
			if raw := v.Bytes(); c.mayHoldToken(raw) && v.CanSet() {
				v.SetBytes(c.redactRaw(raw))
			}
			return
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return // bytes, not text
		}
		for i := range v.Len() {
			c.redactReflect(v.Index(i), depth+1)
		}
	case reflect.Array:
		for i := range v.Len() {
			c.redactReflect(v.Index(i), depth+1)
		}
	case reflect.Map:
		if v.IsNil() {
			return
		}
		for _, k := range v.MapKeys() {
			val := reflect.New(v.Type().Elem()).Elem()
			val.Set(v.MapIndex(k))
			c.redactReflect(val, depth+1)
			nk := k
			if k.Kind() == reflect.String && strings.Contains(k.String(), c.token) {
				nk = reflect.New(k.Type()).Elem()
				nk.SetString(c.redact(k.String()))
				v.SetMapIndex(k, reflect.Value{})
			}
			v.SetMapIndex(nk, val)
		}
	}
}

// redactRaw scrubs raw JSON by decoding, scrubbing and encoding it again;
// raw JSON that does not decode is left to fail where it is used.
func (c *Client) redactRaw(raw []byte) []byte {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return raw
	}
	out, err := json.Marshal(c.redactValue(v))
	if err != nil {
		return raw
	}
	return out
}

// scrub makes sure err's message does not contain the token, keeping the
// chain intact for errors.Is/As.
func (c *Client) scrub(err error) error {
	if err == nil || c.token == "" {
		return err
	}
	// Compared after redacting: a short token inside a word stays as it is.
	msg := err.Error()
	if red := c.redact(msg); red != msg {
		return &redactedError{msg: red, err: err}
	}
	return err
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
