// Package emulator is an in-memory Misskey server for tests and for
// `mkctl --sandbox`. It serves the endpoints mkctl calls with the shapes,
// statuses and error ids a real Misskey 2026.5.4 gives (see the recorded
// exchanges in testdata/samples), checks every request body against the
// real api.json, and — stricter than the server — refuses parameters the
// server would silently ignore, recording them as Violations.
package emulator

import (
	"net/url"
	"strings"
	"sync"
	"time"
)

// Options configure an Emulator. The zero value is usable.
type Options struct {
	// URL is the server's base URL (config.url), used for avatar and
	// profile URLs and to tell the local host from remote ones. Default
	// "http://127.0.0.1:3000", the server the samples were recorded on.
	URL string
	// Clock defaults to the system clock.
	Clock Clock
	// RateLimits turns on the endpoints' rate limits. A real server
	// applies them only in production mode; tests that do not test
	// limits are simpler without them, so they are off by default.
	RateLimits bool
	// Name is the instance name meta reports. Default "Misskey Emulator".
	Name string
}

// Emulator is an in-memory Misskey server. It is an http.Handler serving
// /api/…; all its methods are safe for concurrent use.
type Emulator struct {
	opts  Options
	clock Clock
	host  string // config.host: the URL's host[:port], lower case

	mu sync.Mutex // guards st: requests run one at a time against it
	st *state

	logMu      sync.Mutex // guards the request log, the violations and the faults
	requests   []LoggedRequest
	violations []Violation
	faults     map[string][]FaultMode // armed by FailNext, per endpoint, first in first out

	hub streamHub // streaming connections (streaming.go)
}

// New makes an empty emulator.
func New(opts Options) *Emulator {
	registry() // the endpoints' meta from api.json, parsed on first use
	if opts.URL == "" {
		opts.URL = "http://127.0.0.1:3000"
	}
	opts.URL = strings.TrimRight(opts.URL, "/")
	if opts.Clock == nil {
		opts.Clock = systemClock{}
	}
	if opts.Name == "" {
		opts.Name = "Misskey Emulator"
	}
	host := opts.URL
	if u, err := url.Parse(opts.URL); err == nil && u.Host != "" {
		host = u.Host
	}
	return &Emulator{opts: opts, clock: opts.Clock, host: strings.ToLower(host), st: newState()}
}

// now is the emulator's time, in UTC with millisecond precision like a
// JavaScript Date, so that dates round-trip through JSON unchanged.
func (e *Emulator) now() time.Time {
	return e.clock.Now().UTC().Truncate(time.Millisecond)
}

// isLocalHost reports whether host names this server: its configured host,
// or the host the request was sent to (a client reaching the emulator under
// another name — the sandbox, a test server — means this server too).
func (c *call) isLocalHost(host string) bool {
	host = strings.ToLower(host)
	return host == c.e.host || (c.reqHost != "" && host == c.reqHost)
}
