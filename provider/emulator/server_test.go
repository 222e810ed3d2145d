package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mkctl/mkctl/provider/misskeyapi"
)

func TestServerRefusals(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	alice := e.CreateUser("alice")
	tok := e.NativeToken(alice.ID)
	jsonHeader := http.Header{"Content-Type": {"application/json"}}
	tests := []struct {
		name      string
		method    string
		path      string
		header    http.Header
		body      string
		status    int
		emptyBody bool
		violation ViolationKind
	}{
		{"GET on POST endpoint", http.MethodGet, "/api/i", nil, "", 405, true, ViolationBadRequest},
		{"unknown endpoint POST", http.MethodPost, "/api/notes/update", jsonHeader, "{}", 404, false, ViolationUnknownEndpoint},
		{"unknown endpoint GET", http.MethodGet, "/api/notes/update", nil, "", 404, false, ViolationUnknownEndpoint},
		{"real endpoint not emulated", http.MethodPost, "/api/notes/timeline", jsonHeader, "{}", 501, false, ViolationNotImplemented},
		{"invalid JSON", http.MethodPost, "/api/i", jsonHeader, `{"i":`, 400, false, ViolationBadRequest},
		{"empty JSON body", http.MethodPost, "/api/i", jsonHeader, "", 400, false, ViolationBadRequest},
		{"not JSON", http.MethodPost, "/api/i", http.Header{"Content-Type": {"text/plain"}}, `{"i":"` + tok + `"}`, 415, false, ViolationBadRequest},
		{"too large", http.MethodPost, "/api/i", jsonHeader, `{"i":"` + tok + `","x":"` + strings.Repeat("a", 1<<20) + `"}`, 413, false, ViolationBadRequest},
		{"array body", http.MethodPost, "/api/meta", jsonHeader, `[]`, 400, false, ViolationInvalidParam},
		{"no body", http.MethodPost, "/api/meta", nil, "", 400, false, ViolationInvalidParam},
	}
	for _, tt := range tests {
		a := raw(t, e, tt.method, tt.path, tt.header, tt.body)
		if a.Status != tt.status || (len(a.Body) == 0) != tt.emptyBody {
			t.Errorf("%s: %d %q", tt.name, a.Status, a.Body)
		}
		v := e.Violations()
		if len(v) != 1 || v[0].Kind != tt.violation {
			t.Errorf("%s: violations %v, want one %s", tt.name, v, tt.violation)
		}
		e.ResetViolations()
	}
	// Refused calls are calls too: all are in the request log.
	if reqs := e.Requests(); len(reqs) != len(tests) || reqs[0].Status != 405 || reqs[4].Endpoint != "i" {
		t.Errorf("request log %+v", reqs)
	}
	if a := raw(t, e, http.MethodGet, "/elsewhere", nil, ""); a.Status != 404 {
		t.Errorf("outside /api/: %d", a.Status)
	}
}

func TestServerHeaders(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	alice := e.CreateUser("alice")
	a := post(t, e, "i", e.NativeToken(alice.ID), nil)
	if a.Header.Get("Content-Type") != "application/json; charset=utf-8" || a.Header.Get("Cache-Control") != "private, max-age=0, must-revalidate" {
		t.Errorf("headers %v", a.Header)
	}
	if strings.Contains(string(a.Body), `\u003c`) {
		t.Error("HTML-escaped JSON")
	}
}

// Every endpoint's meta comes from api.json; the rate limits from
// API-NOTES ("Rate limits of the endpoints in scope").
func TestEndpointMetaMatchesSpec(t *testing.T) {
	limits := map[string]float64{
		"i/update": 20, "notes/create": 300, "notes/delete": 300, "following/create": 100, "following/delete": 100,
		"following/update": 100, "drive/folders/create": 10, "users/lists/push": 30, "drive/files/create": 120,
		// Not in API-NOTES' table: ep/notes/unrenote.ts meta.limit (2026.5.4).
		"notes/unrenote":  300,
		"blocking/create": 20, "blocking/delete": 100, "mute/create": 20, "renote-mute/create": 20, "clips/add-note": 20,
		"notes/drafts/create": 300, "notes/drafts/update": 300,
	}
	minIntervals := map[string]time.Duration{"notes/delete": time.Second, "notes/unrenote": time.Second}
	for _, name := range Endpoints() {
		ep := endpoints[name]
		spec, ok := misskeyapi.Endpoint(name)
		if !ok || ep.Kind != spec.Kind || ep.RequireCredential != spec.RequireCredential || ep.Secure != spec.Secure {
			t.Errorf("%s: meta %+v differs from the spec", name, ep)
		}
		want, limited := limits[name]
		if limited != (ep.Limit != nil) || limited && (ep.Limit.Max != want || ep.Limit.Duration.Hours() != 1 || ep.Limit.MinInterval != minIntervals[name]) {
			t.Errorf("%s: limit %+v, want %v/hour, minInterval %v", name, ep.Limit, want, minIntervals[name])
		}
	}
	for _, name := range []string{"i", "i/update", "users/show", "meta", "i/registry/get", "i/registry/get-detail", "i/registry/set", "i/registry/remove", "i/registry/keys", "miauth/gen-token"} {
		if !Implements(name) {
			t.Errorf("%s not implemented", name)
		}
	}
}

func TestTransport(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	alice := e.CreateUser("alice")
	client := &http.Client{Transport: e.Transport()}
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, "http://127.0.0.1/api/i", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+e.NativeToken(alice.ID))
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var me map[string]any
	json.Unmarshal(body, &me)
	if resp.StatusCode != 200 || me["username"] != "alice" || resp.Header.Get("Content-Type") == "" {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
	// 204 has no body.
	req, _ = http.NewRequest(http.MethodPost, "http://127.0.0.1/api/i/registry/set", strings.NewReader(`{"key":"k","value":null,"scope":[]}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+e.NativeToken(alice.ID))
	resp, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if body, _ := io.ReadAll(resp.Body); resp.StatusCode != 204 || len(body) != 0 {
		t.Errorf("%d %q", resp.StatusCode, body)
	}
	// A cancelled context fails like a network error.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req, _ = http.NewRequestWithContext(ctx, http.MethodPost, "http://127.0.0.1/api/meta", strings.NewReader(`{}`))
	if _, err := client.Do(req); err == nil {
		t.Error("cancelled request succeeded")
	}
}

// Over a real socket, and with requests in parallel (run with -race).
func TestServeHTTPConcurrently(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	srv := httptest.NewServer(e)
	defer srv.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 20 {
		u := e.CreateUser(fmt.Sprintf("user%d", i))
		tok := e.IssueToken(u.ID, []string{"read:account", "write:account"})
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, body := range []string{`{"location":"here"}`, `{"key":"k","value":1,"scope":["s"]}`} {
				endpoint := "i/update"
				if strings.Contains(body, "key") {
					endpoint = "i/registry/set"
				}
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/"+endpoint, strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+tok)
				resp, err := srv.Client().Do(req)
				if err != nil {
					errs <- err
					return
				}
				resp.Body.Close()
				if resp.StatusCode >= 300 {
					errs <- fmt.Errorf("%s: %d", endpoint, resp.StatusCode)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := len(e.Requests()); n != 40 {
		t.Errorf("%d requests logged, want 40", n)
	}
}
