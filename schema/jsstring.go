package schema

import "strings"

// jsLength is JavaScript's String.prototype.length: the number of UTF-16
// code units. Misskey validates maxLength with Ajv, which counts that way,
// so a character outside the Basic Multilingual Plane (most emoji) counts 2.
func jsLength(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// jsTrim is JavaScript's String.prototype.trim, which Misskey applies to
// the name and to profile fields. It differs from strings.TrimSpace: it
// strips U+FEFF but not U+0085, so using TrimSpace could leave a diff that
// never converges.
func jsTrim(s string) string {
	return strings.TrimFunc(s, isJSWhitespace)
}

// isJSWhitespace is ECMAScript's WhiteSpace or LineTerminator.
func isJSWhitespace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}
