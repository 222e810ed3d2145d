package misskeyapi

import (
	"fmt"
	"regexp"
	"strings"
)

// jsSpace is what \s matches in a JavaScript regular expression. Go's \s is
// ASCII only, so a pattern such as notes/create's "[^\s]+" would accept a
// text of only U+3000 ideographic spaces where Ajv refuses it.
const jsSpace = `\t\n\x0B\f\r \x{00A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}`

// compileJSRegexp compiles a pattern written for JavaScript (Ajv compiles
// patterns with the "u" flag) into an equivalent Go regexp. The patterns in
// api.json use only syntax both engines share, except \s and \S.
func compileJSRegexp(pattern string) (*regexp.Regexp, error) {
	var b strings.Builder
	inClass := false
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		switch {
		case c == '\\' && i+1 < len(pattern):
			next := pattern[i+1]
			i++
			switch {
			case next == 's' && inClass:
				b.WriteString(jsSpace)
			case next == 's':
				b.WriteString("[" + jsSpace + "]")
			case next == 'S' && !inClass:
				b.WriteString("[^" + jsSpace + "]")
			case next == 'S':
				return nil, fmt.Errorf(`\S inside a character class is not supported`)
			default:
				b.WriteByte('\\')
				b.WriteByte(next)
			}
		case c == '[' && !inClass:
			inClass = true
			b.WriteByte(c)
		case c == ']' && inClass:
			inClass = false
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return regexp.Compile(b.String())
}
