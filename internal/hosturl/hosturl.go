// Package hosturl turns the host of a Misskey server, as a person writes it
// in the configuration or after --host, into the one base URL mkctl keys
// everything by: "Misskey.Example" → "https://misskey.example". The
// configuration (schema) and the token store (credentials) must agree on
// this form, or a stored token would not be found for its account; that is
// why there is exactly one implementation.
package hosturl

import (
	"fmt"
	"net/url"
	"strings"
)

// Canonical returns the base URL for raw: scheme and host lower-cased, the
// host in CanonicalHostname's spelling (no trailing dot, punycode), a
// default port dropped, no trailing slash. A bare name means https://. A
// full URL is accepted; http:// only for a server on this machine, since
// the token would otherwise cross the network in clear text. raw is taken
// as it is: a caller that tolerates surrounding spaces trims them first.
func Canonical(raw string) (string, *Problem) {
	if raw == "" {
		return "", &Problem{Kind: Empty, Summary: "Invalid host", Detail: "host is empty",
			Hint: "write the Misskey server's name, e.g. misskey.example"}
	}
	shown := withoutUserinfo(raw)
	if strings.ContainsFunc(raw, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return "", &Problem{Kind: Whitespace, Summary: "Invalid host",
			Detail: fmt.Sprintf("host %q contains spaces or control characters", shown),
			Hint:   "write only the server name, e.g. misskey.example"}
	}
	s := raw
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", &Problem{Kind: NotURL, Summary: "Invalid host",
			Detail: fmt.Sprintf("host %q is neither a server name nor a URL (%v)", shown, urlErrText(err)),
			Hint:   "write a server name such as misskey.example or a URL such as https://misskey.example"}
	}
	if u.User != nil {
		// Checked before anything that quotes raw: it may hold a password.
		return "", &Problem{Kind: Userinfo, Summary: "Invalid host",
			Detail: "host must not contain a user name or password",
			Hint:   "write only the server name; a token is never part of the URL"}
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "https" && scheme != "http" {
		fix := "https://" + u.Host
		return "", &Problem{Kind: Scheme, Summary: "Unsupported URL scheme",
			Detail: fmt.Sprintf("host %q uses the scheme %s://; Misskey is reached over https://", raw, u.Scheme),
			Hint:   "use " + fix, Fix: fix}
	}
	if u.Opaque != "" || u.Host == "" || u.Hostname() == "" {
		return "", &Problem{Kind: NoHostname, Summary: "Invalid host",
			Detail: fmt.Sprintf("host %q has no server name", raw),
			Hint:   "write a server name, e.g. misskey.example"}
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		fix := scheme + "://" + u.Host
		return "", &Problem{Kind: Path, Summary: "Host URL has a path",
			Detail: fmt.Sprintf("host %q has a path, query or fragment, but Misskey always serves its API at /api on the server's root", raw),
			Hint:   "use " + fix, Fix: fix}
	}
	hostname, p := CanonicalHostname(u.Hostname())
	if p != nil {
		p.Detail = fmt.Sprintf("host %q: %s", raw, p.Detail)
		return "", p
	}
	if port := u.Port(); port != "" && !ValidPort(port) {
		return "", &Problem{Kind: BadPort, Summary: "Invalid host",
			Detail: fmt.Sprintf("host %q has the port %s; a port is a number from 1 to 65535", raw, port),
			Hint:   "fix the port, or leave it out for the default (443)"}
	}
	if scheme == "http" && !IsLoopback(hostname) {
		fix := "https://" + u.Host
		return "", &Problem{Kind: Insecure, Summary: "Insecure host URL",
			Detail: fmt.Sprintf("host %q uses http://, which is allowed only for a server on this machine (localhost, 127.0.0.0/8, ::1): elsewhere the token would cross the network unencrypted", raw),
			Hint:   "use " + fix, Fix: fix}
	}
	host := hostname
	if strings.Contains(hostname, ":") { // IPv6 literal
		host = "[" + hostname + "]"
	}
	if port := u.Port(); port != "" && !(scheme == "https" && port == "443") && !(scheme == "http" && port == "80") {
		host += ":" + port
	}
	return scheme + "://" + host, nil
}

// urlErrText is the reason inside a *url.Error, which would otherwise
// repeat the URL (with the https:// Canonical may have added) once more.
func urlErrText(err error) string {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err.Error()
	}
	return err.Error()
}

// withoutUserinfo is raw as a message may quote it: anything before an @
// in the authority is replaced, because it may be a password. Only input
// that fails before url.Parse has found the user info needs it.
func withoutUserinfo(raw string) string {
	prefix, rest := "", raw
	if i := strings.Index(raw, "://"); i >= 0 {
		prefix, rest = raw[:i+3], raw[i+3:]
	}
	authority := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority = rest[:i]
	}
	at := strings.LastIndex(authority, "@")
	if at < 0 {
		return raw
	}
	return prefix + "…" + rest[at:]
}
