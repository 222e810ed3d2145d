package provider

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

const testToken = "tok3nV4lue-9f8e7d6c5b4a39281706" // never to be seen in output

// sample is one recorded exchange with a real Misskey 2026.5.4.
type sample struct {
	Endpoint string            `json:"endpoint"`
	Request  map[string]any    `json:"request"`
	Status   int               `json:"status"`
	Headers  map[string]string `json:"headers"`
	Response json.RawMessage   `json:"response"`
}

func loadSample(t *testing.T, number string) sample {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join("emulator", "testdata", "samples", number+"-*.json"))
	if err != nil || len(matches) != 1 {
		t.Fatalf("sample %s: found %v (%v)", number, matches, err)
	}
	data, err := os.ReadFile(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	var s sample
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("sample %s: %v", number, err)
	}
	return s
}

// responseMap decodes the sample's response for tests that edit it.
func (s sample) responseMap(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(s.Response, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func (s sample) write(w http.ResponseWriter) {
	for k, v := range s.Headers {
		w.Header().Set(k, v)
	}
	w.WriteHeader(s.Status)
	if s.Status != http.StatusNoContent && string(s.Response) != "null" {
		w.Write(s.Response)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// recorded is one request the fake server received.
type recorded struct {
	Method   string
	Endpoint string // path without /api/
	Header   http.Header
	Raw      []byte
	Body     map[string]any
}

// fakeServer records every request and lets handle answer it; n counts the
// calls of that endpoint so far, starting at 1.
type fakeServer struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []recorded
}

func newFakeServer(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, req recorded, n int)) *fakeServer {
	t.Helper()
	fs := &fakeServer{}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		rec := recorded{Method: r.Method, Endpoint: r.URL.Path[len("/api/"):], Header: r.Header.Clone(), Raw: raw}
		json.Unmarshal(raw, &rec.Body)
		fs.mu.Lock()
		fs.reqs = append(fs.reqs, rec)
		n := 0
		for _, q := range fs.reqs {
			if q.Endpoint == rec.Endpoint {
				n++
			}
		}
		fs.mu.Unlock()
		handle(w, r, rec, n)
	}))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *fakeServer) requests(endpoint string) []recorded {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	var out []recorded
	for _, q := range fs.reqs {
		if endpoint == "" || q.Endpoint == endpoint {
			out = append(out, q)
		}
	}
	return out
}

// recorder collects what the client slept and told the user.
type recorder struct {
	mu     sync.Mutex
	slept  []time.Duration
	notify []string
}

func (r *recorder) sleep(ctx context.Context, d time.Duration) error {
	r.mu.Lock()
	r.slept = append(r.slept, d)
	r.mu.Unlock()
	return ctx.Err()
}

func (r *recorder) note(msg string) {
	r.mu.Lock()
	r.notify = append(r.notify, msg)
	r.mu.Unlock()
}

// newTestClient makes a client for fs with a fake sleep and no jitter.
func newTestClient(t *testing.T, baseURL string, opts ...Option) (*Client, *recorder) {
	t.Helper()
	rec := &recorder{}
	all := append([]Option{WithSleep(rec.sleep), WithNotify(rec.note)}, opts...)
	c, err := NewClient(baseURL, testToken, all...)
	if err != nil {
		t.Fatal(err)
	}
	c.jitter = func(d time.Duration) time.Duration { return d }
	return c, rec
}
