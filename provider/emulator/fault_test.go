package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// FaultDropResponse: the request runs, the client gets a 502 that is not
// a Misskey error. Single-shot: the next call is normal.
func TestFaultDropResponse(t *testing.T) {
	w := newWorld(t, Options{})
	w.e.FailNext("notes/create", FaultDropResponse)
	a := w.as("notes/create", map[string]any{"text": "lost reply"})
	if a.Status != http.StatusBadGateway || !strings.HasPrefix(a.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("%d %v", a.Status, a.Header)
	}
	var body map[string]any
	if json.Unmarshal(a.Body, &body) == nil {
		t.Errorf("a JSON body %s: a client could mistake it for the server's answer", a.Body)
	}
	if notes := w.e.NotesOf(w.alice.ID); len(notes) != 1 || *notes[0].Text != "lost reply" {
		t.Fatalf("the request did not run: %+v", notes)
	}
	w.ok("notes/create", map[string]any{"text": "second"})
	if n := len(w.e.NotesOf(w.alice.ID)); n != 2 {
		t.Errorf("%d notes, the fault fired twice?", n)
	}
	reqs := w.e.Requests()
	if len(reqs) != 2 || reqs[0].Fault != FaultDropResponse || reqs[0].Status != 502 || reqs[0].ServerStatus != 200 ||
		reqs[0].Body["text"] != "lost reply" || reqs[1].Fault != "" || reqs[1].Status != 200 {
		t.Errorf("request log %+v", reqs)
	}
	if _, tok := reqs[0].Body["i"]; tok {
		t.Error("the token is in the log")
	}
}

// FaultBeforeExecute: 503, nothing runs, no rate limit counts it.
func TestFaultBeforeExecute(t *testing.T) {
	w := newWorld(t, Options{RateLimits: true})
	for range 9 {
		w.ok("drive/folders/create", map[string]any{"name": "f"})
	}
	w.e.FailNext("drive/folders/create", FaultBeforeExecute)
	w.e.FailNext("drive/folders/create", FaultDropResponse)
	a := w.as("drive/folders/create", map[string]any{"name": "never"})
	if a.Status != http.StatusServiceUnavailable || strings.Contains(string(a.Body), "RATE_LIMIT") {
		t.Fatalf("%d %s", a.Status, a.Body)
	}
	if n := len(w.e.DriveFoldersOf(w.alice.ID)); n != 9 {
		t.Fatalf("%d folders: the faulted request ran", n)
	}
	// The armed faults fire in order: now the dropped answer, which ran
	// (the 10th create of the hour).
	if a := w.as("drive/folders/create", map[string]any{"name": "ran"}); a.Status != http.StatusBadGateway {
		t.Fatalf("second fault: %d", a.Status)
	}
	if n := len(w.e.DriveFoldersOf(w.alice.ID)); n != 10 {
		t.Fatalf("%d folders after the dropped answer", n)
	}
	wantError(t, w.as("drive/folders/create", map[string]any{"name": "11th"}), http.StatusTooManyRequests, "RATE_LIMIT_EXCEEDED", "d5826d14-3982-4d2e-8011-b9e9f02499ef")
	reqs := w.e.Requests()
	last := reqs[len(reqs)-3:]
	if last[0].Fault != FaultBeforeExecute || last[0].Status != 503 || last[0].ServerStatus != 0 || last[0].Body["name"] != "never" ||
		last[1].Fault != FaultDropResponse || last[1].ServerStatus != 200 || last[2].Fault != "" {
		t.Errorf("log %+v", last)
	}
	// A fault on one endpoint leaves the others alone.
	w.e.FailNext("i", FaultBeforeExecute)
	w.okList("drive/folders", nil)
	if a := w.as("i", nil); a.Status != 503 {
		t.Errorf("i: %d", a.Status)
	}
}

func TestFailNextRefusesUnknownEndpoints(t *testing.T) {
	w := newWorld(t, Options{})
	for _, tt := range []struct {
		endpoint string
		mode     FaultMode
	}{{"notes/craete", FaultDropResponse}, {"notes/create", FaultMode("sometimes")}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("FailNext(%q, %q) did not panic", tt.endpoint, tt.mode)
				}
			}()
			w.e.FailNext(tt.endpoint, tt.mode)
		}()
	}
}
