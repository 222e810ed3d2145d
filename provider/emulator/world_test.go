package emulator

import (
	"net/http"
	"testing"
)

// world is an emulator with alice and bob and a token of each that may do
// everything the emulator serves.
type world struct {
	t          *testing.T
	e          *Emulator
	clock      *FakeClock
	alice, bob *User
	aliceTok   string
	bobTok     string
}

func newWorld(t *testing.T, opts Options) *world {
	t.Helper()
	e, clock := newTestEmulator(t, opts)
	w := &world{t: t, e: e, clock: clock, alice: e.CreateUser("alice"), bob: e.CreateUser("bob")}
	w.aliceTok = e.IssueToken(w.alice.ID, allPermissions)
	w.bobTok = e.IssueToken(w.bob.ID, allPermissions)
	return w
}

// as calls an endpoint with alice's token.
func (w *world) as(endpoint string, body map[string]any) answer {
	w.t.Helper()
	return post(w.t, w.e, endpoint, w.aliceTok, body)
}

// ok calls as alice and returns the object of a 200.
func (w *world) ok(endpoint string, body map[string]any) map[string]any {
	w.t.Helper()
	return mustOK(w.t, w.as(endpoint, body))
}

// okList calls as alice and returns the array of a 200.
func (w *world) okList(endpoint string, body map[string]any) []any {
	w.t.Helper()
	a := w.as(endpoint, body)
	if a.Status != http.StatusOK {
		w.t.Fatalf("%s: %d %s", endpoint, a.Status, a.Body)
	}
	return a.list(w.t)
}

// noContent calls as alice and wants a 204 with no body.
func (w *world) noContent(endpoint string, body map[string]any) {
	w.t.Helper()
	if a := w.as(endpoint, body); a.Status != http.StatusNoContent || len(a.Body) != 0 {
		w.t.Fatalf("%s: %d %s, want 204", endpoint, a.Status, a.Body)
	}
}

// wantError checks an error answer's status, code and id.
func wantError(t *testing.T, a answer, status int, code, id string) {
	t.Helper()
	if a.Status != status {
		t.Fatalf("status %d, want %d: %s", a.Status, status, a.Body)
	}
	gotCode, gotID := a.errorCode(t)
	if gotCode != code || gotID != id {
		t.Errorf("error %s %s, want %s %s", gotCode, gotID, code, id)
	}
}

// ids returns the "id" of each object of a list.
func ids(items []any) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, it.(map[string]any)["id"].(string))
	}
	return out
}
