// Package miauth is the client side of Misskey's MiAuth flow: the
// application makes up a session id, sends the user to
// https://HOST/miauth/SESSION with its name, the permissions it wants and a
// callback URL, and collects the token with POST /api/miauth/SESSION/check
// once the user has accepted in the browser.
//
// The callback is only a wake-up call: Misskey redirects the browser to it
// after approval, and this package then checks at once instead of waiting
// for the next poll. The token itself only ever comes from the server's
// check answer, so a forged callback can at most cause an early check.
// Polling keeps working when the browser runs on another machine and can
// never reach the callback.
//
// The session id is a secret until the token has been collected: whoever
// knows it can call check first and take the token. It appears in the URL
// the user opens and nowhere else (no error message repeats it).
package miauth

import (
	"strings"
)

// Request is what the application asks the user to approve.
type Request struct {
	// BaseURL is the instance: "https://misskey.example".
	BaseURL string
	// Session is the session id, a fresh random UUID per login.
	Session string
	// Name is the application name the consent page shows.
	Name string
	// Icon is the URL of an icon for the consent page; empty for none.
	Icon string
	// Callback is where the browser is sent after approval, with
	// ?session=SESSION added; empty for none.
	Callback string
	// Permissions are the permission kinds asked for. Misskey's page drops
	// kinds it does not know and grants the rest or nothing.
	Permissions []string
}

// URL is the consent page to open:
// https://HOST/miauth/SESSION?name=…&icon=…&callback=…&permission=a,b.
// The query keeps ':', '/' and ',' readable: the user may have to copy
// the URL by hand to another machine.
func (r Request) URL() string {
	var q []string
	add := func(k, v string) {
		if v != "" {
			q = append(q, k+"="+escapeQueryValue(v))
		}
	}
	add("name", r.Name)
	add("icon", r.Icon)
	add("callback", r.Callback)
	add("permission", strings.Join(r.Permissions, ","))
	u := strings.TrimRight(r.BaseURL, "/") + "/miauth/" + escapePathSegment(r.Session)
	if len(q) > 0 {
		u += "?" + strings.Join(q, "&")
	}
	return u
}

// escapeQueryValue percent-encodes everything but RFC 3986's unreserved
// characters and the few that are safe inside a query value and keep the
// URL legible (":", "/", ",", "@").
func escapeQueryValue(s string) string {
	return escape(s, ":/,@")
}

func escapePathSegment(s string) string {
	return escape(s, "")
}

func escape(s, keep string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '-', c == '.', c == '_', c == '~', strings.IndexByte(keep, c) >= 0:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}
