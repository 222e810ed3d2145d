// Package redact replaces a secret inside text: the one rule the token
// redaction (provider) and sensitive variables (schema) share.
package redact

import "strings"

// MinAnywhereLen is the shortest secret replaced wherever it occurs. A
// shorter one is replaced only as a whole word (not touching a letter or
// digit): a one-character secret "a" must not turn every "a" of a message
// into the replacement, which hides the message and, by its gaps, hints at
// the secret.
const MinAnywhereLen = 8

// Word replaces secret in s by replacement: every occurrence when the
// secret has at least MinAnywhereLen bytes, whole words only when it is
// shorter. An empty secret changes nothing.
func Word(s, secret, replacement string) string {
	if secret == "" || !strings.Contains(s, secret) {
		return s
	}
	if len(secret) >= MinAnywhereLen {
		return strings.ReplaceAll(s, secret, replacement)
	}
	var b strings.Builder
	rest := s
	for {
		i := strings.Index(rest, secret)
		if i < 0 {
			b.WriteString(rest)
			return b.String()
		}
		end := i + len(secret)
		whole := (i == 0 || !isWordByte(rest[i-1])) && (end == len(rest) || !isWordByte(rest[end]))
		b.WriteString(rest[:i])
		if whole {
			b.WriteString(replacement)
		} else {
			b.WriteString(secret)
		}
		rest = rest[end:]
	}
}

func isWordByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}
