package provider

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/provider/emulator"
	"github.com/mkctl/mkctl/provider/misskeyapi"
)

// Every probe goes to an endpoint of its permission kind (api.json), which
// the emulator serves, with a body the schema refuses for a value, not for
// an unknown parameter (which Misskey would silently ignore).
func TestPermissionProbesAreInvalid(t *testing.T) {
	for _, kind := range mkctlPermissions {
		p, ok := permissionProbes[kind]
		if !ok {
			t.Errorf("no probe for %s", kind)
			continue
		}
		spec, ok := misskeyapi.Endpoint(p.endpoint)
		if !ok || spec.Kind != kind || !spec.RequireCredential {
			t.Errorf("%s: %s is not an endpoint of that kind", kind, p.endpoint)
		}
		// The body as the server sees it: JSON numbers are float64.
		var body map[string]any
		data, _ := json.Marshal(p.body)
		json.Unmarshal(data, &body)
		if verr := misskeyapi.Validate(p.endpoint, body); verr == nil || verr.Unknown {
			t.Errorf("%s: the body %s passes %s's validation (%v): the probe would run the endpoint", kind, data, p.endpoint, verr)
		}
		if !emulator.Implements(p.endpoint) {
			t.Errorf("%s: the emulator does not serve %s", kind, p.endpoint)
		}
	}
}

// probeEnv is an emulator with rate limits on, alice, and a function making
// a client for her with a token of the given permissions.
func probeEnv(t *testing.T) (*emulator.Emulator, func(perms ...string) *Client) {
	t.Helper()
	clock := emulator.NewFakeClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
	emu := emulator.New(emulator.Options{Clock: clock, RateLimits: true})
	t.Cleanup(func() { emu.AssertNoViolations(t) }) // a probe is not a client mistake
	alice := emu.CreateUser("alice")
	return emu, func(perms ...string) *Client {
		c, err := NewClient("http://127.0.0.1:3000", emu.IssueToken(alice.ID, perms),
			WithHTTPClient(&http.Client{Transport: emu.Transport()}),
			WithSleep(func(ctx context.Context, d time.Duration) error { clock.Advance(d); return ctx.Err() }))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
}

func TestProbePermissions(t *testing.T) {
	emu, client := probeEnv(t)
	ctx := context.Background()
	asked := []string{"write:account", "read:following", "write:following", "write:notes", "read:drive", "write:drive", "read:account"}

	missing, err := ProbePermissions(ctx, client("read:account", "write:following", "read:drive"), asked)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(missing, ","); got != "write:account,read:following,write:notes,write:drive" {
		t.Errorf("missing %s", got)
	}
	if missing, err := ProbePermissions(ctx, client(mkctlPermissions...), asked); err != nil || len(missing) != 0 {
		t.Errorf("a token with every permission: missing %v, %v", missing, err)
	}
	// One answered request per kind and probe (the second write:notes
	// probe comes within notes/unrenote's minInterval and is waited out),
	// and none of the endpoints mkctl changes things with.
	answered := map[string]int{}
	for _, r := range emu.Requests() {
		if r.Status < 400 {
			t.Errorf("a probe ran %s (%d)", r.Endpoint, r.Status)
		}
		if r.Status != http.StatusTooManyRequests {
			answered[r.Endpoint]++
		}
	}
	for _, kind := range asked {
		if n := answered[permissionProbes[kind].endpoint]; n != 2 {
			t.Errorf("%s: %d answers from %s, want 2", kind, n, permissionProbes[kind].endpoint)
		}
	}
	for _, e := range []string{"i/registry/set", "following/requests/cancel", "notes/create", "notes/delete"} {
		if n := emu.RequestCount(e); n != 0 {
			t.Errorf("%d requests to %s", n, e)
		}
	}
}

// notes/unrenote allows one call a second: a probe right after another is
// spaced by the client's pacing, so Misskey does not answer 429 at all.
func TestProbePermissionsIsPaced(t *testing.T) {
	emu, client := probeEnv(t)
	c := client("read:account", "write:notes")
	for i := range 2 {
		missing, err := ProbePermissions(context.Background(), c, []string{"write:notes"})
		if err != nil || len(missing) != 0 {
			t.Fatalf("probe %d: missing %v, %v", i, missing, err)
		}
	}
	var statuses []int
	for _, r := range emu.Requests() {
		statuses = append(statuses, r.Status)
	}
	if !slices.Equal(statuses, []int{400, 400}) {
		t.Errorf("statuses %v", statuses)
	}
}

// Without pacing (another client of the account calling just before), the
// 429 is waited out (it changes nothing either), not mistaken for an answer.
func TestProbePermissionsWaitsOutARateLimit(t *testing.T) {
	emu, client := probeEnv(t)
	c := client("read:account", "write:notes")
	WithoutPacing()(c)
	for i := range 2 {
		missing, err := ProbePermissions(context.Background(), c, []string{"write:notes"})
		if err != nil || len(missing) != 0 {
			t.Fatalf("probe %d: missing %v, %v", i, missing, err)
		}
	}
	var statuses []int
	for _, r := range emu.Requests() {
		statuses = append(statuses, r.Status)
	}
	if !slices.Equal(statuses, []int{400, 429, 400}) {
		t.Errorf("statuses %v", statuses)
	}
}

// The real server ignores the header; the probe sends it on every request,
// leaves the client it came from alone, and fails on answers that are
// neither verdict.
func TestProbePermissionsHeaderAndErrors(t *testing.T) {
	var headers []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		headers = append(headers, r.Header.Get(ProbeHeader))
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/i") {
			w.Write([]byte(`{"id":"x","username":"alice"}`))
			return
		}
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"error":{"message":"Authentication failed.","code":"AUTHENTICATION_FAILED","id":"b0a7f5f8-dc2f-4171-b91f-de88ad238e14","kind":"client"}}`))
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv.URL)
	_, err := ProbePermissions(context.Background(), c, []string{"write:drive"})
	if err == nil || !strings.Contains(err.Error(), "testing whether the token holds write:drive") || !IsCode(err, "AUTHENTICATION_FAILED") {
		t.Errorf("%v", err)
	}
	if strings.Contains(err.Error(), testToken) {
		t.Error("the error shows the token")
	}
	if err := c.Read(context.Background(), "i", nil, nil); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(headers, []string{"permission", ""}) {
		t.Errorf("%s headers: %q", ProbeHeader, headers)
	}
	if _, err := ProbePermissions(context.Background(), c, []string{"write:admin:meta"}); err == nil {
		t.Error("an unknown kind was probed")
	}
	if emulator.ProbeHeader != ProbeHeader {
		t.Errorf("the emulator looks for %q", emulator.ProbeHeader)
	}
}
