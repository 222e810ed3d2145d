package export

import (
	"strings"
	"unicode"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// str is a quoted string literal. hclwrite escapes what a template would
// read: `${` and `%{` are doubled, quotes, backslashes and control
// characters become escapes (TestTextRoundTrip checks each).
func str(s string) hclwrite.Tokens {
	return hclwrite.TokensForValue(cty.StringVal(s))
}

// text is a string value as a person would write it: a heredoc for text of
// several lines when the heredoc reads back exactly, a quoted string
// otherwise.
//
// The heredoc is the plain <<MARKER form, not <<-: <<- strips the
// indentation common to all lines, so text whose lines start with spaces
// or tabs would change. A heredoc's value ends with a line break; text
// without one at the end is wrapped in chomp(), which removes the last
// line break (and only that one, as such text has no line breaks before
// it). Text with a carriage return or another control character other
// than tab is quoted: a configuration is read with CRLF turned into LF,
// and escapes are the only visible way to write the others.
func (g *gen) text(s string) hclwrite.Tokens {
	if !strings.Contains(s, "\n") || !heredocSafe(s) {
		return str(s)
	}
	ends := strings.HasSuffix(s, "\n")
	if !ends && !g.funcs["chomp"] {
		return str(s)
	}
	body := s
	if !ends {
		body += "\n"
	}
	marker := heredocMarker(body)
	toks := hclwrite.Tokens{
		{Type: hclsyntax.TokenOHeredoc, Bytes: []byte("<<" + marker + "\n")},
		{Type: hclsyntax.TokenStringLit, Bytes: []byte(escapeTemplate(body))},
		{Type: hclsyntax.TokenCHeredoc, Bytes: []byte(marker)},
	}
	if ends {
		return toks
	}
	out := hclwrite.Tokens{
		{Type: hclsyntax.TokenIdent, Bytes: []byte("chomp")},
		{Type: hclsyntax.TokenOParen, Bytes: []byte("(")},
	}
	out = append(out, toks...)
	out = append(out,
		&hclwrite.Token{Type: hclsyntax.TokenNewline, Bytes: []byte("\n")},
		&hclwrite.Token{Type: hclsyntax.TokenCParen, Bytes: []byte(")")},
	)
	return out
}

// heredocSafe: every character can stand for itself in a heredoc.
func heredocSafe(s string) bool {
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
		case r == '\r' || r == unicode.ReplacementChar:
			// \r would be turned into a line ending; U+FFFD may be a
			// byte that is not UTF-8, which a quoted escape keeps visible.
			return false
		case !unicode.IsPrint(r) && !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r):
			return false
		case r == 0x85 || r == 0x2028 || r == 0x2029 || r == '\v' || r == '\f':
			// line separators an editor may break the line at.
			return false
		}
	}
	return true
}

// heredocMarker picks a marker that no line of the text equals (the
// scanner ends a heredoc at a line holding only the marker, spaces
// around it allowed).
func heredocMarker(body string) string {
	lines := strings.Split(body, "\n")
	taken := func(m string) bool {
		for _, l := range lines {
			if strings.TrimSpace(l) == m {
				return true
			}
		}
		return false
	}
	for _, m := range []string{"EOT", "EOF", "END", "TEXT"} {
		if !taken(m) {
			return m
		}
	}
	for i := 2; ; i++ {
		m := "EOT" + itoa(i)
		if !taken(m) {
			return m
		}
	}
}

func itoa(i int) string {
	var b [20]byte
	n := len(b)
	for {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
		if i == 0 {
			break
		}
	}
	return string(b[n:])
}

// escapeTemplate doubles the template introducers `${` and `%{`, the only
// escapes a heredoc has.
func escapeTemplate(s string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		b.WriteByte(c)
		if (c == '$' || c == '%') && i+1 < len(s) && s[i+1] == '{' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// list writes a list one item a line when it has more than inline items
// or any multi-line item, on one line otherwise.
func list(items []hclwrite.Tokens, inline int) hclwrite.Tokens {
	if len(items) <= inline {
		return hclwrite.TokensForTuple(items)
	}
	toks := make(hclwrite.Tokens, 0, len(items)*3+3)
	toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenOBrack, Bytes: []byte("[")}, newline())
	for _, it := range items {
		toks = append(toks, it...)
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenComma, Bytes: []byte(",")}, newline())
	}
	return append(toks, &hclwrite.Token{Type: hclsyntax.TokenCBrack, Bytes: []byte("]")})
}

func newline() *hclwrite.Token {
	return &hclwrite.Token{Type: hclsyntax.TokenNewline, Bytes: []byte("\n")}
}

func strList(ss []string, inline int) hclwrite.Tokens {
	items := make([]hclwrite.Tokens, len(ss))
	for i, s := range ss {
		items[i] = str(s)
	}
	return list(items, inline)
}

func boolTok(b bool) hclwrite.Tokens { return hclwrite.TokensForValue(cty.BoolVal(b)) }

func nullTok() hclwrite.Tokens {
	return hclwrite.Tokens{{Type: hclsyntax.TokenIdent, Bytes: []byte("null")}}
}

// ref is a reference such as user_list.friends.
func ref(parts ...string) hclwrite.Tokens {
	var toks hclwrite.Tokens
	for i, p := range parts {
		if i > 0 {
			toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenDot, Bytes: []byte(".")})
		}
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenIdent, Bytes: []byte(p)})
	}
	return toks
}

// hasNUL: Load refuses U+0000 in any value.
func hasNUL(s string) bool { return strings.IndexByte(s, 0) >= 0 }
