package emulator

import (
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/mkctl/mkctl/provider/misskeyapi"
)

// Adding an endpoint: create ep_<name>.go with
//
//	func init() { register("notes/create", perHour(300), handleNotesCreate) }
//
//	func handleNotesCreate(c *call) (any, *apiError) { … }
//
// The pipeline has already authenticated, rate-limited, checked the
// permission kind and validated c.params against api.json (defaults
// applied) by the time the handler runs, under the emulator's lock. Put the
// endpoint's table in state (state.go) so Save/Load keep it, give its
// samples a set-up in replay_test.go, and return nil for a 204.

// handler runs an endpoint. It gets the validated parameters (defaults
// applied) and returns the result to send — nil for 204 — or an error.
// It runs with the emulator's lock held.
type handler func(c *call) (any, *apiError)

// RateLimit is an endpoint's meta.limit.
type RateLimit struct {
	Duration    time.Duration
	Max         float64
	MinInterval time.Duration
}

// endpoint is one implemented endpoint. Kind, RequireCredential and
// Secure come from api.json, so they cannot drift from the real server.
type endpoint struct {
	Name              string
	Kind              string
	RequireCredential bool
	Secure            bool
	AllowGet          bool
	// RequireFile: the body is multipart/form-data with one file
	// (drive/files/create, the only such endpoint; upload.go).
	RequireFile bool
	Limit       *RateLimit
	Handle      handler
}

// endpoints is the handler registry. Each ep_*.go file adds its endpoints
// in an init function with register. Their meta (Kind, RequireCredential,
// Secure, AllowGet) is filled from api.json on first use, not at init:
// parsing the spec costs tens of milliseconds, and every mkctl command
// links the emulator while only --sandbox, `sandbox serve` and tests run it.
var endpoints = map[string]*endpoint{}

var endpointsOnce sync.Once

// register adds an endpoint. A name registered twice panics at once; a
// name the spec does not know panics on the emulator's first use (every
// test run shows both).
func register(name string, limit *RateLimit, h handler) *endpoint {
	if _, dup := endpoints[name]; dup {
		panic(fmt.Sprintf("emulator: %q registered twice", name))
	}
	ep := &endpoint{Name: name, Limit: limit, Handle: h}
	endpoints[name] = ep
	return ep
}

// registry returns the endpoints with their meta taken from api.json,
// parsing the spec the first time. After that the map is only read.
func registry() map[string]*endpoint {
	endpointsOnce.Do(func() {
		for name, ep := range endpoints {
			spec, ok := misskeyapi.Endpoint(name)
			if !ok {
				panic(fmt.Sprintf("emulator: %q is not an endpoint of Misskey %s", name, misskeyapi.Version()))
			}
			ep.Kind = spec.Kind
			ep.RequireCredential = spec.RequireCredential
			ep.Secure = spec.Secure
			ep.AllowGet = spec.AllowGet
			ep.RequireFile = spec.Multipart
		}
	})
	return endpoints
}

// perHour is the usual `limit: {duration: ms('1hour'), max: n}`.
func perHour(n float64) *RateLimit { return &RateLimit{Duration: time.Hour, Max: n} }

// Implements reports whether the emulator serves an endpoint.
func Implements(name string) bool {
	_, ok := registry()[name]
	return ok
}

// Endpoints lists the endpoints the emulator serves, sorted.
func Endpoints() []string {
	names := make([]string, 0, len(endpoints))
	for n := range registry() {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// call is one request on its way through an endpoint.
type call struct {
	e       *Emulator
	ep      *endpoint
	me      *User        // nil when anonymous
	token   *AccessToken // nil for a native token or no token
	params  map[string]any
	reqHost string  // Host the request was sent to, lower case
	upload  *upload // the file of a multipart request (upload.go)
	now     time.Time
}

// native reports a native (web session) token: secrets are included and
// the registry domain comes from the request.
func (c *call) native() bool { return c.me != nil && c.token == nil }

// has reports whether a parameter was sent (null counts as sent).
func (c *call) has(name string) bool {
	_, ok := c.params[name]
	return ok
}

// str reads a string parameter; ok is false when absent or not a string.
func (c *call) str(name string) (string, bool) {
	s, ok := c.params[name].(string)
	return s, ok
}

// optStr reads a nullable string parameter: nil for null.
func (c *call) optStr(name string) *string {
	if s, ok := c.params[name].(string); ok {
		return &s
	}
	return nil
}

// boolean reads a boolean parameter.
func (c *call) boolean(name string) (bool, bool) {
	b, ok := c.params[name].(bool)
	return b, ok
}

// strings reads an array of strings (validation has checked the types).
func (c *call) strings(name string) []string {
	items, _ := c.params[name].([]any)
	out := make([]string, 0, len(items))
	for _, it := range items {
		if s, ok := it.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// integer reads a number parameter (JSON numbers decode as float64); 0
// when absent or null.
func (c *call) integer(name string) int64 {
	n, _ := c.params[name].(float64)
	return int64(n)
}

// otherUser resolves the userId parameter of an endpoint that acts on
// another user (following, blocking, mute, renote-mute): each compares the
// id with the caller's before it looks the user up, so an own id answers
// yourself (the endpoint's *_IS_YOURSELF) and an unknown one noSuchUser.
func (c *call) otherUser(yourself, noSuchUser *apiError) (*User, *apiError) {
	id, _ := c.str("userId")
	if id == c.me.ID {
		return nil, yourself
	}
	u := c.e.st.user(id)
	if u == nil {
		return nil, noSuchUser
	}
	return u, nil
}
