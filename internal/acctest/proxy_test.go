package acctest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// The proxy's hooks, against a stand-in backend (no Misskey needed): a
// request dropped before forwarding never reaches the server; an answer
// dropped after it did leaves the client without a reply although the
// server acted — the two ways the kill tests interrupt mkctl.
func TestProxyHooks(t *testing.T) {
	var hits atomic.Int32
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusTeapot)
	}))
	defer backend.Close()
	p := (&Server{URL: backend.URL}).NewProxy(t)
	post := func() (int, error) {
		resp, err := http.Post(p.URL+"/api/notes/create", "application/json", strings.NewReader("{}"))
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}

	if code, err := post(); err != nil || code != http.StatusTeapot {
		t.Fatalf("plain request: %d, %v", code, err)
	}

	p.OnRequest(func(n int, endpoint string) bool { return !(n == 2 && endpoint == "notes/create") })
	if _, err := post(); err == nil {
		t.Error("request 2 was dropped, yet the client got an answer")
	}
	if hits.Load() != 1 {
		t.Errorf("the backend saw %d requests, want 1: the dropped one must not reach it", hits.Load())
	}
	p.OnRequest(nil)

	var mu sync.Mutex // the hook runs on the proxy's goroutine
	var seen []int
	p.OnAnswer(func(n int, endpoint string, status int) bool {
		mu.Lock()
		seen = append(seen, n, status)
		mu.Unlock()
		return false
	})
	if _, err := post(); err == nil {
		t.Error("the answer to request 3 was dropped, yet the client got it")
	}
	if hits.Load() != 2 {
		t.Errorf("the backend saw %d requests, want 2: the request whose answer is dropped must reach it", hits.Load())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 2 || seen[0] != 3 || seen[1] != http.StatusTeapot {
		t.Errorf("answer hook saw %v, want request 3 with status 418", seen)
	}
	if p.Total() != 3 || p.Count("notes/create") != 3 || p.Answers("notes/create", http.StatusTeapot) != 2 {
		t.Errorf("counts: total %d, notes/create %d, 418 answers %d", p.Total(), p.Count("notes/create"), p.Answers("notes/create", http.StatusTeapot))
	}
}
