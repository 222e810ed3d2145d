package cmd

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// BROWSER is honoured after MKCTL_BROWSER: the first of its ':'-separated
// commands, with the URL at %s or at the end.
func TestBrowserEnv(t *testing.T) {
	const u = "https://misskey.example/miauth/x"
	for _, tc := range []struct {
		mkctl, browser string
		want           []string
	}{
		{"", "", nil},
		{"", "w3m", []string{"w3m", u}},
		{"", "firefox --private-window:chromium", []string{"firefox", "--private-window", u}},
		{"", "lynx -accept_all_cookies %s", []string{"lynx", "-accept_all_cookies", u}},
		{"fakebrowser -deny", "w3m", []string{"fakebrowser", "-deny", u}},
	} {
		env := map[string]string{browserEnvVar: tc.mkctl, "BROWSER": tc.browser}
		getenv := func(k string) string { return env[k] }
		if got := browserCommand(getenv, u); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("MKCTL_BROWSER=%q BROWSER=%q: %q, want %q", tc.mkctl, tc.browser, got, tc.want)
		}
		if tc.want != nil && !canOpenBrowser(getenv) {
			t.Errorf("BROWSER=%q: no browser", tc.browser)
		}
	}
}

func TestSystemStreamsColour(t *testing.T) {
	terminal := func(tty ...*os.File) func(*os.File) bool {
		return func(f *os.File) bool { return slices.Contains(tty, f) }
	}
	for _, tc := range []struct {
		name          string
		env           map[string]string
		tty           func(*os.File) bool
		out, errColor bool
	}{
		{"both terminals", nil, terminal(os.Stdout, os.Stderr), true, true},
		{"2>err.log", nil, terminal(os.Stdout), true, false},
		{">out.log", nil, terminal(os.Stderr), false, true},
		{"TERM=dumb", map[string]string{"TERM": "dumb"}, terminal(os.Stdout, os.Stderr), false, false},
		{"NO_COLOR", map[string]string{"NO_COLOR": "1"}, terminal(os.Stdout, os.Stderr), false, false},
		{"forced stderr", map[string]string{"MKCTL_FORCE_TTY": "stderr"}, terminal(), false, true},
		{"forced all", map[string]string{"MKCTL_FORCE_TTY": "1"}, terminal(), true, true},
	} {
		s := systemStreams(func(k string) string { return tc.env[k] }, tc.tty)
		if s.Colors().Enabled != tc.out || s.ErrColors().Enabled != tc.errColor {
			t.Errorf("%s: stdout colour %v, stderr colour %v; want %v, %v", tc.name, s.Colors().Enabled, s.ErrColors().Enabled, tc.out, tc.errColor)
		}
	}
}
