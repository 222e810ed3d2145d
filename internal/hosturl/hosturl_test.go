package hosturl

import (
	"errors"
	"strings"
	"testing"
)

func TestCanonical(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"misskey.example", "https://misskey.example"},
		{"Misskey.Example", "https://misskey.example"},
		{"https://misskey.example/", "https://misskey.example"},
		{"https://Misskey.Example/", "https://misskey.example"},
		{"HTTPS://misskey.example", "https://misskey.example"},
		{"https://misskey.example:443", "https://misskey.example"},
		{"misskey.example:8443", "https://misskey.example:8443"},
		{"https://misskey.example:80", "https://misskey.example:80"},
		{"http://127.0.0.1:3000", "http://127.0.0.1:3000"},
		{"http://127.8.9.10", "http://127.8.9.10"},
		{"http://localhost:3000/", "http://localhost:3000"},
		{"http://LOCALHOST:3000", "http://localhost:3000"},
		{"http://localhost:80", "http://localhost"},
		{"http://localhost:443", "http://localhost:443"},
		{"http://[::1]:3000", "http://[::1]:3000"},
		{"https://[::1]:443", "https://[::1]"},
		{"https://[2001:DB8::1]", "https://[2001:db8::1]"},
		{"localhost:3000", "https://localhost:3000"},
		{"xn--bcher-kva.example", "https://xn--bcher-kva.example"},
		{"192.0.2.1", "https://192.0.2.1"},
		// One server, one spelling: the fully qualified name's trailing
		// dot is dropped and internationalised names become punycode, as
		// Misskey converts them.
		{"misskey.example.", "https://misskey.example"},
		{"https://Misskey.Example.:8443/", "https://misskey.example:8443"},
		{"bücher.example", "https://xn--bcher-kva.example"},
		{"https://BÜCHER.example", "https://xn--bcher-kva.example"},
		{"https://misskey.example:65535", "https://misskey.example:65535"},
	}
	for _, tt := range tests {
		got, p := Canonical(tt.in)
		if p != nil || got != tt.want {
			t.Errorf("Canonical(%q) = %q, %v; want %q", tt.in, got, p, tt.want)
		}
		// The canonical form is a fixed point: credentials re-canonicalise
		// stored hosts and compare them.
		if again, p := Canonical(got); p != nil || again != got {
			t.Errorf("Canonical(%q) = %q, %v; not a fixed point", got, again, p)
		}
	}
}

func TestCanonicalProblems(t *testing.T) {
	tests := []struct {
		in      string
		kind    Kind
		summary string
		fix     string // Problem.Fix
	}{
		{"", Empty, "Invalid host", ""},
		{"misskey example", Whitespace, "Invalid host", ""},
		{" misskey.example", Whitespace, "Invalid host", ""},
		{"misskey.example\n", Whitespace, "Invalid host", ""},
		{"misskey.example\x7f", Whitespace, "Invalid host", ""},
		{"https://misskey.example:http", NotURL, "Invalid host", ""},
		{"%zz", NotURL, "Invalid host", ""},
		{"https://bot:s3cret@misskey.example", Userinfo, "Invalid host", ""},
		{"bot@misskey.example", Userinfo, "Invalid host", ""},
		{"ftp://misskey.example", Scheme, "Unsupported URL scheme", "https://misskey.example"},
		{"FTP://misskey.example/x", Scheme, "Unsupported URL scheme", "https://misskey.example"},
		{"https://", NoHostname, "Invalid host", ""},
		{"https:///misskey.example", NoHostname, "Invalid host", ""},
		{"https:misskey.example", NotURL, "Invalid host", ""}, // read as the host "https" with a bad port
		{"https://:443", NoHostname, "Invalid host", ""},
		{"https://misskey.example/api", Path, "Host URL has a path", "https://misskey.example"},
		{"misskey.example/api", Path, "Host URL has a path", "https://misskey.example"},
		{"HTTP://localhost:3000/api", Path, "Host URL has a path", "http://localhost:3000"},
		{"https://misskey.example?x", Path, "Host URL has a path", "https://misskey.example"},
		{"https://misskey.example?", Path, "Host URL has a path", "https://misskey.example"},
		{"https://misskey.example#top", Path, "Host URL has a path", "https://misskey.example"},
		{"misskey.example:99999", BadPort, "Invalid host", ""},
		{"misskey.example:0", BadPort, "Invalid host", ""},
		{"https://misskey.example:65536", BadPort, "Invalid host", ""},
		{"misskey.example..", BadHostname, "Invalid host", ""},
		{"xn--a.example", BadHostname, "Invalid host", ""},
		{"mis_skey.example", BadHostname, "Invalid host", ""},
		{"misskey..example", BadHostname, "Invalid host", ""},
		{".misskey.example", BadHostname, "Invalid host", ""},
		{"http://misskey.example", Insecure, "Insecure host URL", "https://misskey.example"},
		{"http://10.0.0.1:3000", Insecure, "Insecure host URL", "https://10.0.0.1:3000"},
		{"http://[::2]", Insecure, "Insecure host URL", "https://[::2]"},
		{"http://localhost.example", Insecure, "Insecure host URL", "https://localhost.example"},
		{"http://0.0.0.0:3000", Insecure, "Insecure host URL", "https://0.0.0.0:3000"},
	}
	for _, tt := range tests {
		got, p := Canonical(tt.in)
		if p == nil {
			t.Errorf("Canonical(%q) = %q, want a problem of kind %d", tt.in, got, tt.kind)
			continue
		}
		if got != "" || p.Kind != tt.kind || p.Summary != tt.summary || p.Fix != tt.fix {
			t.Errorf("Canonical(%q) = %q, {Kind %d, Summary %q, Fix %q}; want \"\", {%d, %q, %q}",
				tt.in, got, p.Kind, p.Summary, p.Fix, tt.kind, tt.summary, tt.fix)
		}
		if p.Detail == "" || p.Hint == "" || strings.HasSuffix(p.Detail, ".") || strings.HasSuffix(p.Hint, ".") {
			t.Errorf("Canonical(%q): detail %q, hint %q: both must be set, without a final period", tt.in, p.Detail, p.Hint)
		}
		if tt.fix != "" && !strings.Contains(p.Hint, tt.fix) {
			t.Errorf("Canonical(%q): hint %q does not suggest %s", tt.in, p.Hint, tt.fix)
		}
		if msg := p.Error(); !strings.HasPrefix(msg, p.Detail) || !strings.HasSuffix(msg, p.Hint) {
			t.Errorf("Canonical(%q): Error() %q lacks the detail or the hint", tt.in, msg)
		}
	}
}

// The reason a plain-http host is refused: the command line's tests look
// for this phrase.
func TestInsecureWording(t *testing.T) {
	_, p := Canonical("http://misskey.example")
	if p == nil || !strings.Contains(p.Error(), "allowed only for a server on this machine") {
		t.Fatalf("Canonical(http://misskey.example): %v", p)
	}
	var err error = p
	var target *Problem
	if !errors.As(err, &target) || target.Kind != Insecure {
		t.Errorf("errors.As does not find the *Problem: %v", err)
	}
}

// A URL with credentials must not be echoed back, whichever rule refuses it
// first: it may hold a password.
func TestCanonicalHidesPassword(t *testing.T) {
	for _, in := range []string{
		"https://bot:s3cret@misskey.example",
		"bot:s3cret@misskey.example",
		"https://bot:s3cret@misskey example",   // refused for the space
		"https://bot:s3cret@misskey.example:x", // refused by url.Parse
		"bot:s3cret@misskey.example:x/path",
	} {
		_, p := Canonical(in)
		if p == nil {
			t.Errorf("Canonical(%q) accepted", in)
			continue
		}
		if strings.Contains(p.Error(), "s3cret") || strings.Contains(p.Error(), "bot:") {
			t.Errorf("Canonical(%q) echoes the credentials: %s", in, p.Error())
		}
	}
}

func TestWithoutUserinfo(t *testing.T) {
	for in, want := range map[string]string{
		"https://u:p@host.example":   "https://…@host.example",
		"u:p@host.example:x":         "…@host.example:x",
		"https://a@b@host.example/x": "https://…@host.example/x",
		"https://host.example/@bob":  "https://host.example/@bob", // @ in the path is no user info
		"host.example?q=a@b":         "host.example?q=a@b",
		"misskey example":            "misskey example",
	} {
		if got := withoutUserinfo(in); got != want {
			t.Errorf("withoutUserinfo(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCanonicalHostnameChecks(t *testing.T) {
	for _, ok := range []string{"misskey.example", "Misskey.Example", "xn--bcher-kva.example", "bücher.example", "misskey.example.", "a-b.c", "127.0.0.1", "::1", "2001:db8::1", "localhost"} {
		if _, p := CanonicalHostname(ok); p != nil {
			t.Errorf("CanonicalHostname(%q): %v", ok, p)
		}
	}
	for bad, want := range map[string]string{
		"b\u00fccher\u200d.example": "no valid punycode form",
		"mis_skey":                  "the character '_' cannot appear",
		"a/b":                       "the character '/' cannot appear",
		"a..b":                      "empty label",
		".a":                        "empty label",
	} {
		_, p := CanonicalHostname(bad)
		if p == nil || p.Kind != BadHostname || !strings.Contains(p.Detail, want) || p.Hint == "" {
			t.Errorf("CanonicalHostname(%q) = %+v, want a BadHostname problem mentioning %q with a hint", bad, p, want)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	for h, want := range map[string]bool{
		"localhost":         true,
		"LocalHost":         true,
		"127.0.0.1":         true,
		"127.255.255.254":   true,
		"::1":               true,
		"::ffff:127.0.0.1":  true,
		"localhost.":        false,
		"localhost.example": false,
		"128.0.0.1":         false,
		"0.0.0.0":           false,
		"::":                false,
		"::2":               false,
		"[::1]":             false, // a hostname, not a host: no brackets
		"":                  false,
	} {
		if got := IsLoopback(h); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", h, got, want)
		}
	}
}
