package credentials

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// CanonicalHost turns what a user types after --host, or an account's host
// from the configuration, into the base URL credentials are keyed by —
// the same form the configuration's host attribute is normalised to:
// "misskey.example" → "https://misskey.example"; the scheme and host are
// lower-cased and a default port is dropped. http:// is accepted only for
// a server on this machine, since a token must not cross the network in
// clear text.
func CanonicalHost(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", fmt.Errorf("the host is empty: give the Misskey server's name, e.g. misskey.example")
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Hostname() == "" || u.Opaque != "" {
		return "", fmt.Errorf("host %q is neither a server name nor a URL: give e.g. misskey.example", raw)
	}
	if u.User != nil {
		return "", fmt.Errorf("the host must not contain a user name or password")
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("host %q has a path, but Misskey is always served at the root of its server: give only %s://%s", raw, u.Scheme, u.Host)
	}
	scheme := strings.ToLower(u.Scheme)
	hostname := strings.ToLower(u.Hostname())
	switch scheme {
	case "https":
	case "http":
		if !isLoopback(hostname) {
			return "", fmt.Errorf("host %q uses http://, which is allowed only for a server on this machine (localhost, 127.0.0.0/8, ::1): the token would cross the network unencrypted; use https://%s", raw, u.Host)
		}
	default:
		return "", fmt.Errorf("host %q uses the scheme %s://; Misskey is reached over https://", raw, u.Scheme)
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

// DisplayHost is how messages name a host so that it can be pasted back
// after --host: the bare name for https, the whole URL otherwise.
func DisplayHost(base string) string {
	if rest, ok := strings.CutPrefix(base, "https://"); ok {
		return rest
	}
	return base
}

// sameHost compares two hosts in canonical form; a host that cannot be
// canonicalised is compared as it is.
func sameHost(a, b string) bool {
	if ca, err := CanonicalHost(a); err == nil {
		a = ca
	}
	if cb, err := CanonicalHost(b); err == nil {
		b = cb
	}
	return a == b
}

func isLoopback(hostname string) bool {
	if hostname == "localhost" {
		return true
	}
	ip := net.ParseIP(hostname)
	return ip != nil && ip.IsLoopback()
}
