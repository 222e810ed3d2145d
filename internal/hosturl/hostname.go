package hosturl

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"golang.org/x/net/idna"
)

// CanonicalHostname accepts server names (letters in either case, digits,
// '-' and '.', or an internationalised name that has a punycode form) and
// IP addresses, and returns what is wrong with any other name. h is the
// name alone, without a port; account addresses ("@user@host") use it too.
//
// It returns the one spelling of a server name, the one
// Misskey itself uses: lower case, without the trailing dot of a fully
// qualified name ("Misskey.Example." → "misskey.example"), and an
// internationalised name in its punycode form ("bücher.example" →
// "xn--bcher-kva.example"), as Misskey converts it with toASCII. IP
// addresses are returned lower-cased. Two spellings of one server must
// compare equal, or one account configured twice would not be noticed.
func CanonicalHostname(h string) (string, *Problem) {
	if net.ParseIP(h) != nil {
		return strings.ToLower(h), nil
	}
	bad := func(detail, hint string) *Problem {
		return &Problem{Kind: BadHostname, Summary: "Invalid host", Detail: detail, Hint: hint}
	}
	if len(h) > 1 && strings.HasSuffix(h, ".") && !strings.HasSuffix(h, "..") {
		h = h[:len(h)-1] // a fully qualified name names the same server
	}
	// A punycode label is checked too: "xn--a" decodes to nothing valid.
	if strings.ContainsFunc(h, func(r rune) bool { return r > 0x7f }) || strings.Contains(strings.ToLower(h), "xn--") {
		ascii, err := idna.Lookup.ToASCII(h)
		if err != nil {
			return "", bad(fmt.Sprintf("the internationalised name %q has no valid punycode form (%v)", h, err),
				"check the name, or write its ASCII (xn--…) form")
		}
		h = ascii
	}
	for _, r := range h {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.':
		default:
			return "", bad(fmt.Sprintf("the character %q cannot appear in a server name", r),
				"write only the server name, e.g. misskey.example")
		}
	}
	if h == "" || strings.HasPrefix(h, ".") || strings.HasSuffix(h, ".") || strings.Contains(h, "..") {
		return "", bad("the server name has an empty label", "check the dots")
	}
	return strings.ToLower(h), nil
}

// ValidPort reports whether port is a port number: digits only (url.Parse
// checks no more than that, and strconv.Atoi accepts a sign), from 1 to
// 65535. 0 or 99999 would fail at every request, and be retried.
func ValidPort(port string) bool {
	if port == "" || strings.Trim(port, "0123456789") != "" {
		return false
	}
	n, err := strconv.Atoi(port)
	return err == nil && n >= 1 && n <= 65535
}

// IsLoopback reports whether hostname names this machine: "localhost" in
// any case, 127.0.0.0/8 or ::1. Only these may be reached over http://.
func IsLoopback(hostname string) bool {
	if strings.EqualFold(hostname, "localhost") {
		return true
	}
	ip := net.ParseIP(hostname)
	return ip != nil && ip.IsLoopback()
}
