package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"
)

// allPermissions is every permission kind a MiAuth token can ask for that
// the emulator's endpoints use, and then some.
var allPermissions = []string{
	"read:account", "write:account", "read:following", "write:following", "write:notes",
	"read:drive", "write:drive", "read:blocks", "write:blocks", "read:mutes", "write:mutes",
}

var testStart = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// newTestEmulator makes an emulator on a fake clock and fails the test on
// any violation it did not expect (tests that provoke one reset them).
func newTestEmulator(t *testing.T, opts Options) (*Emulator, *FakeClock) {
	t.Helper()
	clock := NewFakeClock(testStart)
	if opts.Clock == nil {
		opts.Clock = clock
	}
	e := New(opts)
	t.Cleanup(func() { e.AssertNoViolations(t) })
	return e, clock
}

// answer is one HTTP answer of the emulator.
type answer struct {
	Status int
	Header http.Header
	Body   []byte
}

func (a answer) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(a.Body, &m); err != nil {
		t.Fatalf("status %d, body %q: %v", a.Status, a.Body, err)
	}
	return m
}

func (a answer) list(t *testing.T) []any {
	t.Helper()
	var l []any
	if err := json.Unmarshal(a.Body, &l); err != nil {
		t.Fatalf("status %d, body %q: %v", a.Status, a.Body, err)
	}
	return l
}

// errorCode returns error.code and error.id of an error answer.
func (a answer) errorCode(t *testing.T) (code, id string) {
	t.Helper()
	m := a.json(t)
	e, ok := m["error"].(map[string]any)
	if !ok {
		t.Fatalf("status %d, no error in %s", a.Status, a.Body)
	}
	return e["code"].(string), e["id"].(string)
}

// raw sends a request as is.
func raw(t *testing.T, e *Emulator, method, path string, header http.Header, body string) answer {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return answer{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

// post calls an endpoint with the token in the body ("" for none).
func post(t *testing.T, e *Emulator, endpoint, token string, body map[string]any) answer {
	t.Helper()
	b := map[string]any{}
	for k, v := range body {
		b[k] = v
	}
	if token != "" {
		b["i"] = token
	}
	data, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return raw(t, e, http.MethodPost, "/api/"+endpoint, http.Header{"Content-Type": {"application/json"}}, string(data))
}

// postBearer calls an endpoint with the token in the Authorization header.
func postBearer(t *testing.T, e *Emulator, endpoint, token string, body map[string]any) answer {
	t.Helper()
	if body == nil {
		body = map[string]any{}
	}
	data, _ := json.Marshal(body)
	return raw(t, e, http.MethodPost, "/api/"+endpoint, http.Header{
		"Content-Type":  {"application/json"},
		"Authorization": {"Bearer " + token},
	}, string(data))
}

// mustOK fails unless the answer is 200 and returns its object.
func mustOK(t *testing.T, a answer) map[string]any {
	t.Helper()
	if a.Status != http.StatusOK {
		t.Fatalf("status %d: %s", a.Status, a.Body)
	}
	return a.json(t)
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// fakeTB records what AssertNoViolations reports.
type fakeTB struct{ errors []string }

func (f *fakeTB) Helper() {}
func (f *fakeTB) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}
