package schema

import (
	"strings"
	"testing"
)

func TestNormaliseHost(t *testing.T) {
	tests := []struct {
		in, want string
		summary  string // "" when valid
	}{
		// The canonical form itself is tested in internal/hosturl; these
		// check that it comes through, and the wording of each refusal.
		{"Misskey.Example", "https://misskey.example", ""},
		{"http://[::1]:3000", "http://[::1]:3000", ""},

		{"http://misskey.example", "", "Insecure host URL"},
		{"http://10.0.0.1:3000", "", "Insecure host URL"},
		{"http://[::2]", "", "Insecure host URL"},
		{"http://localhost.example", "", "Insecure host URL"},
		{"https://misskey.example/api", "", "Host URL has a path"},
		{"misskey.example/api", "", "Host URL has a path"},
		{"https://misskey.example?x", "", "Host URL has a path"},
		{"https://misskey.example#top", "", "Host URL has a path"},
		{"ftp://misskey.example", "", "Unsupported URL scheme"},
		{"", "", "Invalid host"},
		{"misskey example", "", "Invalid host"},
		{"https://", "", "Invalid host"},
		{"https://misskey.example:http", "", "Invalid host"},
		{"bücher.example", "https://xn--bcher-kva.example", ""},
		{"Misskey.Example.", "https://misskey.example", ""},
		{"misskey.example:99999", "", "Invalid host"},
		{"misskey.example:0", "", "Invalid host"},
		{"mis_skey.example", "", "Invalid host"},
		{"misskey..example", "", "Invalid host"},
	}
	for _, tt := range tests {
		got, prob := normaliseHost(tt.in)
		switch {
		case tt.summary == "" && prob != nil:
			t.Errorf("normaliseHost(%q): unexpected problem %+v", tt.in, prob)
		case tt.summary == "" && got != tt.want:
			t.Errorf("normaliseHost(%q) = %q, want %q", tt.in, got, tt.want)
		case tt.summary != "" && prob == nil:
			t.Errorf("normaliseHost(%q) = %q, want problem %q", tt.in, got, tt.summary)
		case tt.summary != "" && prob.Summary != tt.summary:
			t.Errorf("normaliseHost(%q): summary %q, want %q", tt.in, prob.Summary, tt.summary)
		case prob != nil && !strings.Contains(prob.Detail, "Hint:"):
			t.Errorf("normaliseHost(%q): detail has no hint: %s", tt.in, prob.Detail)
		}
	}
}

// A URL with credentials must not be echoed back: it may hold a password.
func TestNormaliseHostHidesCredentials(t *testing.T) {
	_, prob := normaliseHost("https://bot:s3cret@misskey.example")
	if prob == nil {
		t.Fatal("credentials accepted")
	}
	if strings.Contains(prob.Detail, "s3cret") {
		t.Errorf("detail echoes the password: %s", prob.Detail)
	}
}

func TestNormaliseAcct(t *testing.T) {
	tests := []struct {
		in, own, want string
		problem       string // substring; "" when valid
	}{
		{"@alice@Mastodon.Example", "misskey.example", "@alice@mastodon.example", ""},
		{"alice@mastodon.example", "misskey.example", "@alice@mastodon.example", ""},
		{"@Alice", "misskey.example", "@Alice", ""},
		{"alice", "misskey.example", "@alice", ""},
		{"@alice@MISSKEY.example", "misskey.example", "@alice", ""},
		{"@alice@misskey.example", "misskey.example:3000", "@alice@misskey.example", ""},
		{"@alice@127.0.0.1:3000", "127.0.0.1:3000", "@alice", ""},
		{"@alice@other.example:8443", "", "@alice@other.example:8443", ""},
		{"@alice@Misskey.Example.", "misskey.example", "@alice", ""},
		{"@alice@bücher.example", "", "@alice@xn--bcher-kva.example", ""},
		{"@alice@bücher.example", "xn--bcher-kva.example", "@alice", ""},
		{"@alice@host.example:99999", "", "", "invalid port"},
		{"@alice@host.example:0", "", "", "invalid port"},

		{"https://mastodon.example/@alice", "", "", "is a URL"},
		{"@alice @x.example", "", "", "contains spaces"},
		{"@a@b@c", "", "", "too many @"},
		{"@", "", "", "no user name"},
		{"@@host.example", "", "", "no user name"},
		{"@alice@", "", "", "no host"},
		{"@alice@host.example:x", "", "", "invalid port"},
		{"@alice@bad_host", "", "", "cannot appear in a server name"},
		{"@ali/ce@host.example", "", "", "never have"},
	}
	for _, tt := range tests {
		got, prob := normaliseAcct(tt.in, tt.own)
		if tt.problem == "" {
			if prob != "" || got != tt.want {
				t.Errorf("normaliseAcct(%q, %q) = %q, %q; want %q", tt.in, tt.own, got, prob, tt.want)
			}
			continue
		}
		if !strings.Contains(prob, tt.problem) {
			t.Errorf("normaliseAcct(%q) problem %q, want it to contain %q", tt.in, prob, tt.problem)
		}
	}
}

func TestNormaliseUsername(t *testing.T) {
	for in, want := range map[string]string{"weatherbot": "weatherbot", "@Weather_Bot2": "Weather_Bot2"} {
		if got, detail := normaliseUsername(in); got != want || detail != "" {
			t.Errorf("normaliseUsername(%q) = %q, %q", in, got, detail)
		}
	}
	for _, in := range []string{"", "@", "weather-bot", "weather.bot", "@@bot", "bot@host.example", "ボット"} {
		if _, detail := normaliseUsername(in); !strings.Contains(detail, "Hint:") {
			t.Errorf("normaliseUsername(%q) accepted or gave no hint: %q", in, detail)
		}
	}
}
