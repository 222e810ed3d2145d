package hosturl

import (
	"fmt"
	"net"
	"strings"
)

// CheckHostname accepts server names in ASCII (letters in either case,
// digits, '-' and '.') and IP addresses, and returns what is wrong with any
// other name, or nil. h is the name alone, without a port. It is exported
// for account addresses ("@user@host"), whose host must obey the same rule.
func CheckHostname(h string) *Problem {
	if net.ParseIP(h) != nil {
		return nil
	}
	bad := func(detail, hint string) *Problem {
		return &Problem{Kind: BadHostname, Summary: "Invalid host", Detail: detail, Hint: hint}
	}
	for _, r := range h {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.':
		case r > 0x7f:
			return bad("internationalised names must be written in their ASCII (punycode, xn--…) form",
				"convert the name, e.g. with `idn2`")
		default:
			return bad(fmt.Sprintf("the character %q cannot appear in a server name", r),
				"write only the server name, e.g. misskey.example")
		}
	}
	if strings.HasPrefix(h, ".") || strings.Contains(h, "..") {
		return bad("the server name has an empty label", "check the dots")
	}
	return nil
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
