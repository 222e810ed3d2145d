package credentials

import (
	"errors"
	"strings"
	"testing"

	"github.com/mkctl/mkctl/internal/hosturl"
)

// A pasted --host value often carries a newline or spaces; the
// configuration's host attribute does not forgive them, the command line
// does.
func TestCanonicalHostTrimsSpace(t *testing.T) {
	for in, want := range map[string]string{
		" misskey.example\n":        "https://misskey.example",
		"\thttp://127.0.0.1:3000/ ": "http://127.0.0.1:3000",
	} {
		if got, err := CanonicalHost(in); err != nil || got != want {
			t.Errorf("CanonicalHost(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if got, err := CanonicalHost("  "); err == nil {
		t.Errorf("CanonicalHost(blank) = %q, want an error", got)
	}
}

// The error is the shared *hosturl.Problem, worded for the command line:
// it suggests the https:// URL and never repeats a password.
func TestCanonicalHostError(t *testing.T) {
	_, err := CanonicalHost("http://misskey.example")
	var p *hosturl.Problem
	if !errors.As(err, &p) || p.Kind != hosturl.Insecure {
		t.Fatalf("CanonicalHost(http://misskey.example) = %v, want an Insecure *hosturl.Problem", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "allowed only for a server on this machine") || !strings.Contains(msg, "use https://misskey.example") {
		t.Errorf("error does not explain or suggest https: %s", msg)
	}
	if _, err := CanonicalHost("https://bot:s3cret@misskey.example"); err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("credentials in the host: %v", err)
	}
}

// A stored host and a configured one match in any spelling of the same
// server, and not across servers or schemes.
func TestSameHost(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"https://misskey.example", "Misskey.Example", true},
		{"https://misskey.example", "https://misskey.example:443/", true},
		{"http://localhost:80", "http://LOCALHOST", true},
		{"https://misskey.example", "https://misskey.example:8443", false},
		{"https://localhost", "http://localhost", false},
		{"https://misskey.example", "https://other.example", false},
		// Neither can be canonicalised: compared as they are.
		{"not a host", "not a host", true},
		{"not a host", "https://misskey.example", false},
	} {
		if got := sameHost(tt.a, tt.b); got != tt.want {
			t.Errorf("sameHost(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
