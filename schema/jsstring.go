package schema

import (
	"strings"
	"unicode/utf8"
)

// ajvLength is how Misskey's validator (Ajv, with its default
// `unicode: true`) measures maxLength: in Unicode code points, so an emoji
// outside the Basic Multilingual Plane counts once, not twice as
// JavaScript's .length would.
func ajvLength(s string) int {
	return utf8.RuneCountInString(s)
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
