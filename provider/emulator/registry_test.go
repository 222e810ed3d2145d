package emulator

import (
	"net/http"
	"reflect"
	"testing"
	"time"
)

func TestRegistryPerToken(t *testing.T) {
	e, clock := newTestEmulator(t, Options{})
	alice := e.CreateUser("alice")
	tokA := e.IssueToken(alice.ID, []string{"read:account", "write:account"})
	tokB := e.IssueToken(alice.ID, []string{"read:account", "write:account"})
	native := e.NativeToken(alice.ID)
	scope := []any{"mkctl"}

	set := func(tok string, body map[string]any) {
		t.Helper()
		if a := post(t, e, "i/registry/set", tok, body); a.Status != http.StatusNoContent || len(a.Body) != 0 {
			t.Fatalf("set: %d %q", a.Status, a.Body)
		}
	}
	get := func(tok, key string, extra map[string]any) answer {
		body := map[string]any{"key": key, "scope": scope}
		for k, v := range extra {
			body[k] = v
		}
		return post(t, e, "i/registry/get", tok, body)
	}

	set(tokA, map[string]any{"key": "state", "value": map[string]any{"v": 1.0}, "scope": scope})
	if got := mustOK(t, get(tokA, "state", nil)); !reflect.DeepEqual(got, map[string]any{"v": 1.0}) {
		t.Errorf("get with the same token: %v", got)
	}
	// Another token of the same user has its own namespace; the domain
	// parameter does not reach around it.
	for name, a := range map[string]answer{
		"other token":             get(tokB, "state", nil),
		"other token with domain": get(tokB, "state", map[string]any{"domain": nil}),
		"native, null domain":     get(native, "state", nil),
		"other scope":             post(t, e, "i/registry/get", tokA, map[string]any{"key": "state", "scope": []any{"other"}}),
	} {
		code, id := a.errorCode(t)
		if a.Status != 400 || code != "NO_SUCH_KEY" || id != "ac3ed68a-62f0-422b-a7bc-d5e09e8f6a6a" {
			t.Errorf("%s: %d %s %s", name, a.Status, code, id)
		}
	}
	// The native token reads a token's domain by its id.
	domain := e.st.AccessTokens[0].ID
	if got := mustOK(t, get(native, "state", map[string]any{"domain": domain})); got["v"] != 1.0 {
		t.Errorf("native token with the token's domain: %v", got)
	}

	// Update, get-detail, keys.
	clock.Advance(10 * time.Second)
	set(tokA, map[string]any{"key": "state", "value": map[string]any{"v": 2.0}, "scope": scope})
	set(tokA, map[string]any{"key": "other", "value": "text", "scope": scope})
	detail := mustOK(t, post(t, e, "i/registry/get-detail", tokA, map[string]any{"key": "state", "scope": scope}))
	if detail["updatedAt"] != jsDate(clock.Now()) || !reflect.DeepEqual(detail["value"], map[string]any{"v": 2.0}) {
		t.Errorf("get-detail %v", detail)
	}
	a := post(t, e, "i/registry/get-detail", tokA, map[string]any{"key": "nope", "scope": scope})
	if _, id := a.errorCode(t); id != "97a1e8e7-c0f7-47d2-957a-92e61256e01a" {
		t.Errorf("get-detail missing: %s", id)
	}
	if ks := post(t, e, "i/registry/keys", tokA, map[string]any{"scope": scope}).list(t); !reflect.DeepEqual(ks, []any{"state", "other"}) {
		t.Errorf("keys %v", ks)
	}
	if ks := post(t, e, "i/registry/keys", tokB, map[string]any{"scope": scope}).list(t); len(ks) != 0 {
		t.Errorf("keys of the other token %v", ks)
	}

	// A string value comes back JSON-encoded; a null value as 204.
	if a := get(tokA, "other", nil); a.Status != 200 || string(a.Body) != `"text"` {
		t.Errorf("string value: %d %s", a.Status, a.Body)
	}
	set(tokA, map[string]any{"key": "nothing", "value": nil, "scope": scope})
	if a := get(tokA, "nothing", nil); a.Status != http.StatusNoContent || len(a.Body) != 0 {
		t.Errorf("null value: %d %q", a.Status, a.Body)
	}
	if d := mustOK(t, post(t, e, "i/registry/get-detail", tokA, map[string]any{"key": "nothing", "scope": scope})); d["value"] != nil {
		t.Errorf("get-detail of null: %v", d)
	}

	// Remove; removing again is no error.
	for range 2 {
		if a := post(t, e, "i/registry/remove", tokA, map[string]any{"key": "state", "scope": scope}); a.Status != http.StatusNoContent {
			t.Errorf("remove: %d %s", a.Status, a.Body)
		}
	}
	if a := get(tokA, "state", nil); a.Status != 400 {
		t.Errorf("after remove: %d", a.Status)
	}
}

func TestRegistryScopeDefaultAndValidation(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	alice := e.CreateUser("alice")
	tok := e.NativeToken(alice.ID)
	// scope is required but defaults to []: the empty scope.
	if a := post(t, e, "i/registry/set", tok, map[string]any{"key": "k", "value": 1}); a.Status != http.StatusNoContent {
		t.Fatalf("set without scope: %d %s", a.Status, a.Body)
	}
	if a := post(t, e, "i/registry/get", tok, map[string]any{"key": "k", "scope": []any{}}); a.Status != 200 || string(a.Body) != "1" {
		t.Errorf("get from []: %d %s", a.Status, a.Body)
	}
	a := post(t, e, "i/registry/set", tok, map[string]any{"key": "k", "value": 1, "scope": []any{"mk.ctl"}})
	if a.Status != 400 {
		t.Errorf("dotted scope: %d", a.Status)
	}
	e.ResetViolations()
}
