package schema

import (
	"regexp"
	"strings"
	"testing"
)

func TestNormaliseUserAcct(t *testing.T) {
	tests := []struct {
		raw, want, problem string
	}{
		{raw: "@alice@Other.Example", want: "@alice@other.example"},
		{raw: "alice@other.example", want: "@alice@other.example"},
		{raw: "@Alice", want: "@Alice"},
		{raw: "alice", want: "@alice"},
		{raw: "@alice@Misskey.Example", want: "@alice"}, // the account's own host
		{raw: "@alice@misskey.example:8443", want: "@alice@misskey.example:8443"},
		{raw: "@first.last@pleroma.example", want: "@first.last@pleroma.example"},
		{raw: "@a-b@pleroma.example", want: "@a-b@pleroma.example"},
		{raw: "@first.last", problem: `the user name "first.last" of a user of this server may contain only letters, digits and underscores`},
		{raw: "first.last@misskey.example", problem: `of a user of this server`},
		{raw: "@al+ice@other.example", problem: `the user name "al+ice" may contain only letters, digits, underscores, dots and dashes`},
		{raw: "@", problem: "has no user name"},
		{raw: "@a@b@c", problem: "too many @"},
		{raw: "https://other.example/@alice", problem: "is a URL"},
		{raw: "@alice@", problem: "has no host"},
		{raw: "@alice@bad_host", problem: "cannot appear in a server name"},
	}
	for _, tt := range tests {
		got, prob := normaliseUserAcct(tt.raw, "misskey.example")
		if tt.problem != "" {
			if !strings.Contains(prob, tt.problem) || got != "" {
				t.Errorf("normaliseUserAcct(%q) = %q, %q; want a problem containing %q", tt.raw, got, prob, tt.problem)
			}
			continue
		}
		if got != tt.want || prob != "" {
			t.Errorf("normaliseUserAcct(%q) = %q, %q; want %q", tt.raw, got, prob, tt.want)
		}
	}
}

// TestIsUsernameMatchesPatterns checks the loop against the regular
// expressions it replaced.
func TestIsUsernameMatchesPatterns(t *testing.T) {
	local := regexp.MustCompile(`^[a-zA-Z0-9_]+$`)
	remote := regexp.MustCompile(`^[a-zA-Z0-9_.-]+$`)
	for _, s := range []string{"", "a", "alice_01", "Al.ice", "a-b", "a b", "a\n", "\na", "é", "a@b", "a/b", "_", ".", "-", "Z9", "a\x00", "ｆｕｌｌ", "a+b"} {
		if got, want := isUsername(s, false), local.MatchString(s); got != want {
			t.Errorf("isUsername(%q, false) = %v, the pattern says %v", s, got, want)
		}
		if got, want := isUsername(s, true), remote.MatchString(s); got != want {
			t.Errorf("isUsername(%q, true) = %v, the pattern says %v", s, got, want)
		}
	}
}
