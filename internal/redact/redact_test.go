package redact

import "testing"

func TestWord(t *testing.T) {
	for _, c := range []struct{ s, secret, want string }{
		{"token abcdefgh here", "abcdefgh", "token X here"},
		{"xabcdefghx", "abcdefgh", "xXx"},
		{"a cat, a hat", "a", "X cat, X hat"},
		{"banana", "a", "banana"},
		{"é-a-é", "a", "é-X-é"},
		{"nothing", "", "nothing"},
		{"nothing", "zz", "nothing"},
	} {
		if got := Word(c.s, c.secret, "X"); got != c.want {
			t.Errorf("Word(%q, %q) = %q, want %q", c.s, c.secret, got, c.want)
		}
	}
}
