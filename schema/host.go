package schema

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// problem is a validation failure: a diagnostic summary and a detail that
// ends with a hint.
type problem struct {
	Summary string
	Detail  string
}

// normaliseHost turns the host attribute into the instance's base URL:
// "misskey.example" → "https://misskey.example". A full URL is accepted;
// http:// only for a server on this machine, since the token would
// otherwise cross the network in clear text.
func normaliseHost(raw string) (string, *problem) {
	if raw == "" {
		return "", &problem{"Invalid host", `host is empty. Hint: write the Misskey server's name, e.g. host = "misskey.example".`}
	}
	if strings.ContainsFunc(raw, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return "", &problem{"Invalid host", fmt.Sprintf("host %q contains spaces or control characters. Hint: write only the server name, e.g. host = \"misskey.example\".", raw)}
	}
	s := raw
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", &problem{"Invalid host", fmt.Sprintf("host %q is neither a server name nor a URL (%v). Hint: write host = \"misskey.example\" or host = \"https://misskey.example\".", raw, urlErrText(err))}
	}
	if u.User != nil {
		// Do not echo the value: it may hold a password.
		return "", &problem{"Invalid host", "host must not contain a user name or password. Hint: the token goes in the MKCTL_TOKEN_… environment variable, not in the URL."}
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "https" && scheme != "http" {
		return "", &problem{"Unsupported URL scheme", fmt.Sprintf("host %q uses the scheme %s://; Misskey is reached over https://. Hint: write host = \"https://%s\".", raw, u.Scheme, u.Host)}
	}
	if u.Opaque != "" || u.Host == "" || u.Hostname() == "" {
		return "", &problem{"Invalid host", fmt.Sprintf("host %q has no server name. Hint: write host = \"misskey.example\".", raw)}
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return "", &problem{"Host URL has a path", fmt.Sprintf("host %q has a path, query or fragment, but Misskey always serves its API at /api on the server's root. Hint: write host = \"%s://%s\".", raw, scheme, u.Host)}
	}
	hostname := strings.ToLower(u.Hostname())
	if p := checkHostname(hostname); p != "" {
		return "", &problem{"Invalid host", fmt.Sprintf("host %q: %s", raw, p)}
	}
	if scheme == "http" && !isLoopback(hostname) {
		return "", &problem{"Insecure host URL", fmt.Sprintf("host %q uses http://, which is only allowed for a server on this machine (localhost, 127.0.0.0/8, ::1): elsewhere the token would cross the network unencrypted. Hint: write host = \"https://%s\".", raw, u.Host)}
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

// checkHostname accepts DNS names in ASCII and IP addresses; it returns
// what is wrong otherwise.
func checkHostname(h string) string {
	if net.ParseIP(h) != nil {
		return ""
	}
	for _, r := range h {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '.':
		case r > 0x7f:
			return "internationalised names must be written in their ASCII (punycode, xn--…) form. Hint: convert the name, e.g. with `idn2`."
		default:
			return fmt.Sprintf("the character %q cannot appear in a server name. Hint: write only the server name, e.g. misskey.example.", r)
		}
	}
	if strings.HasPrefix(h, ".") || strings.Contains(h, "..") {
		return "the server name has an empty label. Hint: check the dots."
	}
	return ""
}

func isLoopback(hostname string) bool {
	if hostname == "localhost" {
		return true
	}
	ip := net.ParseIP(hostname)
	return ip != nil && ip.IsLoopback()
}

func urlErrText(err error) string {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err.Error()
	}
	return err.Error()
}

// hostOf is the host[:port] part of a normalised base URL, the way Misskey
// writes its own host in accts.
func hostOf(baseURL string) string {
	if i := strings.Index(baseURL, "://"); i >= 0 {
		return baseURL[i+3:]
	}
	return baseURL
}
