package provider

import (
	"context"
	"fmt"
	"net/http"
)

// Permission probes: finding out, without changing anything, whether a
// token holds a permission kind. Misskey checks the token's permission
// (ApiCallService step 6) before it validates the parameters (step 7), so a
// request whose body breaks the endpoint's schema answers PERMISSION_DENIED
// when the permission is missing and INVALID_PARAM when it is granted, and
// never runs the endpoint (API-NOTES §0, "Order of checks").
//
// The rate limiter runs before both checks and counts rejected calls too
// (step 2), so each probe goes to an endpoint without a rate limit. Each
// is also an endpoint mkctl never calls for real, so a probe neither
// spends a budget mkctl's changes need nor shows up among them.

// ProbeHeader marks a probe request. The real server ignores it; the
// emulator (provider/emulator/probe.go) does not count the probe's
// deliberate INVALID_PARAM as a client mistake.
const ProbeHeader = "X-Mkctl-Probe"

// probe is the request that tests one permission kind.
type probe struct {
	endpoint string
	body     map[string]any
}

// permissionProbes has one probe for every permission kind mkctl uses.
// Each body lacks a required parameter or breaks a minimum (checked
// against api.json by TestPermissionProbesAreInvalid).
var permissionProbes = map[string]probe{
	"read:account":    {"i/registry/get", map[string]any{}},                    // key is required
	"write:account":   {"i/registry/remove", map[string]any{}},                 // key is required (mkctl writes with i/registry/set)
	"read:following":  {"following/requests/sent", map[string]any{"limit": 0}}, // limit ≥ 1
	"write:following": {"following/requests/accept", map[string]any{}},         // userId is required (mkctl cancels its own requests, never accepts)
	"read:drive":      {"drive/folders", map[string]any{"limit": 0}},           // limit ≥ 1
	"write:drive":     {"drive/folders/update", map[string]any{}},              // folderId is required
	"read:blocks":     {"blocking/list", map[string]any{"limit": 0}},           // limit ≥ 1
	"read:mutes":      {"mute/list", map[string]any{"limit": 0}},               // limit ≥ 1
	"write:mutes":     {"mute/delete", map[string]any{}},                       // userId is required
	// Both write:blocks endpoints have a rate limit: blocking/delete's 100
	// an hour is its own bucket, and mkctl needs far fewer unblocks than
	// blocks (blocking/create, 20 an hour), so the probe costs one of 100
	// and nothing of the blocks' budget.
	"write:blocks": {"blocking/delete", map[string]any{}}, // userId is required
	// Every write:notes endpoint has a rate limit (notes/create,
	// notes/delete, notes/unrenote). notes/unrenote's 300 an hour (at
	// least a second apart) is a bucket of its own that mkctl never uses
	// otherwise, so the probe costs none of the notes/create and
	// notes/delete budget the changes need; a second probe within the
	// second is waited out like any 429.
	"write:notes": {"notes/unrenote", map[string]any{}}, // noteId is required
}

// ProbePermissions asks the server, once per kind, whether c's token holds
// each of perms, and returns the ones it lacks, in the order given. It
// changes nothing on the server. An answer other than PERMISSION_DENIED or
// INVALID_PARAM (a bad token, an unreachable server) is an error.
func ProbePermissions(ctx context.Context, c *Client, perms []string) (missing []string, err error) {
	pc := c.probing()
	for _, kind := range perms {
		p, ok := permissionProbes[kind]
		if !ok {
			return nil, fmt.Errorf("mkctl cannot test whether a token holds the permission %s", kind)
		}
		err := pc.Read(ctx, p.endpoint, p.body, nil)
		switch {
		case err == nil, IsCode(err, "INVALID_PARAM"):
			// Granted: the call got past the permission check. (Success
			// would mean the body was valid after all; it still proves
			// the permission.)
		case IsCode(err, "PERMISSION_DENIED"):
			missing = append(missing, kind)
		default:
			return nil, fmt.Errorf("testing whether the token holds %s: %w", kind, err)
		}
	}
	return missing, nil
}

// probing returns a copy of c whose requests carry ProbeHeader. Retries,
// 429 waits and token redaction stay those of Client.Read.
func (c *Client) probing() *Client {
	cp := *c
	hc := *c.hc // keeps the redirect policy and any timeout
	hc.Transport = probeTransport{next: c.hc.Transport}
	cp.hc = &hc
	return &cp
}

// probeTransport adds ProbeHeader to every request.
type probeTransport struct{ next http.RoundTripper }

func (t probeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	next := t.next
	if next == nil {
		next = http.DefaultTransport
	}
	r := req.Clone(req.Context()) // a RoundTripper must not change the caller's request
	r.Header.Set(ProbeHeader, "permission")
	return next.RoundTrip(r)
}
