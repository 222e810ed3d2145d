package schema

import (
	"fmt"
	"strings"

	"github.com/mkctl/mkctl/internal/hosturl"
)

// normaliseAcct turns an account address into the form Misskey's `i`
// resolves to: "@user@host" with the host lower-cased, or "@user" for a
// user of ownHost (the account's own server, host[:port]); Misskey
// resolves both spellings to the same local user.
func normaliseAcct(raw, ownHost string) (string, string) {
	if strings.Contains(raw, "://") {
		return "", fmt.Sprintf("%q is a URL. Hint: write the account as \"@user@host\", e.g. \"@alice@mastodon.example\".", raw)
	}
	if strings.ContainsFunc(raw, func(r rune) bool { return r <= ' ' || isJSWhitespace(r) }) {
		return "", fmt.Sprintf("%q contains spaces. Hint: write the account as \"@user@host\".", raw)
	}
	parts := strings.Split(strings.TrimPrefix(raw, "@"), "@")
	if len(parts) > 2 {
		return "", fmt.Sprintf("%q has too many @. Hint: write the account as \"@user@host\".", raw)
	}
	user := parts[0]
	if user == "" {
		return "", fmt.Sprintf("%q has no user name. Hint: write the account as \"@user@host\".", raw)
	}
	if strings.ContainsAny(user, "/:?#") {
		return "", fmt.Sprintf("%q: the user name %q contains a character that account names never have. Hint: write the account as \"@user@host\".", raw, user)
	}
	if len(parts) == 1 {
		return "@" + user, ""
	}
	if parts[1] == "" {
		return "", fmt.Sprintf("%q ends with @ but has no host. Hint: write \"@%s@host\", or \"@%s\" for a user of this server.", raw, user, user)
	}
	name, port, hasPort := strings.Cut(parts[1], ":")
	// The host's one spelling (lower case, no trailing dot, punycode), so
	// that two spellings of one account compare equal, and equal to the
	// account's own host.
	name, p := hosturl.CanonicalHostname(name)
	if p != nil {
		return "", fmt.Sprintf("%q: %s. Hint: %s.", raw, p.Detail, p.Hint)
	}
	if hasPort && !hosturl.ValidPort(port) {
		return "", fmt.Sprintf("%q has an invalid port %q: a port is a number from 1 to 65535. Hint: write \"@user@host\" or \"@user@host:port\".", raw, port)
	}
	host := name
	if hasPort {
		host += ":" + port
	}
	if host == ownHost {
		return "@" + user, ""
	}
	return "@" + user + "@" + host, ""
}

// isUsername is usernamePattern (^[a-zA-Z0-9_]+$) as a loop; remote also
// allows dots and dashes, as a user name on another server may have them
// (Pleroma, Akkoma, …). A loop rather than a regexp: it runs once per
// follow, and with 100,000 follows the regexp engine was 8% of expanding
// them.
func isUsername(user string, remote bool) bool {
	if user == "" {
		return false
	}
	for i := 0; i < len(user); i++ {
		c := user[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_':
		case remote && (c == '.' || c == '-'):
		default:
			return false
		}
	}
	return true
}

// normaliseUserAcct is normaliseAcct for the accounts mkctl acts on
// (follows, list members, antenna users), which must also have a user
// name Misskey can resolve.
func normaliseUserAcct(raw, ownHost string) (string, string) {
	acct, prob := normaliseAcct(raw, ownHost)
	if prob != "" {
		return "", prob
	}
	user, _, remote := strings.Cut(acct[1:], "@")
	switch {
	case remote && !isUsername(user, true):
		return "", fmt.Sprintf("%q: the user name %q may contain only letters, digits, underscores, dots and dashes. Hint: copy the account from the profile page, where it is shown as @user@host.", raw, user)
	case !remote && !isUsername(user, false):
		return "", fmt.Sprintf("%q: the user name %q of a user of this server may contain only letters, digits and underscores. Hint: copy the account from the profile page; for a user of another server write \"@user@host\".", raw, user)
	}
	return acct, ""
}
