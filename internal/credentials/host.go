package credentials

import (
	"strings"

	"github.com/mkctl/mkctl/internal/hosturl"
)

// CanonicalHost turns what a user types after --host, or an account's host
// from the configuration, into the base URL credentials are keyed by:
// "misskey.example" → "https://misskey.example". It is hosturl.Canonical,
// the rule the configuration's host attribute follows too, so a token is
// found for the account it was stored for. Surrounding spaces are
// forgiven, since a --host value is often pasted. The error is a
// *hosturl.Problem.
func CanonicalHost(raw string) (string, error) {
	base, p := hosturl.Canonical(strings.TrimSpace(raw))
	if p != nil {
		return "", p
	}
	return base, nil
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
