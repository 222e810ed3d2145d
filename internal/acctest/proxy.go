package acctest

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Proxy sits between mkctl and the real server: it counts requests per
// endpoint and answers, and lets a test act on the k-th request (kill the
// process that sent it, hold it back). It never logs bodies or headers, so
// tokens cannot leak through it.
type Proxy struct {
	URL string // give this to mkctl instead of Server.URL

	mu      sync.Mutex
	total   int
	counts  map[string]int // endpoint → requests
	status  map[string]int // "endpoint 429" → answers
	hook    func(n int, endpoint string) bool
	answer  func(n int, endpoint string, status int) bool
	srv     *httptest.Server
	backend *url.URL
}

// NewProxy starts a proxy to s, closed when t ends.
func (s *Server) NewProxy(t testing.TB) *Proxy {
	t.Helper()
	backend, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{counts: map[string]int{}, status: map[string]int{}, backend: backend}
	rp := httputil.NewSingleHostReverseProxy(backend)
	rp.ModifyResponse = func(resp *http.Response) error {
		ep := endpointOf(resp.Request.URL.Path)
		p.mu.Lock()
		p.status[ep+" "+strconv.Itoa(resp.StatusCode)]++
		answer := p.answer
		p.mu.Unlock()
		n, _ := resp.Request.Context().Value(requestNumber{}).(int)
		if answer != nil && !answer(n, ep, resp.StatusCode) {
			// The server has done the work; the client must never learn it.
			return errAnswerDropped
		}
		return nil
	}
	rp.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) {
		if errors.Is(err, errAnswerDropped) {
			dropConnection(w)
			return
		}
		http.Error(w, "test proxy: "+err.Error(), http.StatusBadGateway)
	}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ep := endpointOf(r.URL.Path)
		p.mu.Lock()
		p.total++
		n := p.total
		p.counts[ep]++
		hook := p.hook
		p.mu.Unlock()
		if hook != nil && !hook(n, ep) {
			// Dropped before the server saw it: the connection just closes.
			dropConnection(w)
			return
		}
		r.Host = backend.Host
		rp.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestNumber{}, n)))
	}))
	t.Cleanup(p.srv.Close)
	p.URL = p.srv.URL
	return p
}

// OnRequest sets a hook run before each request is forwarded, with the
// request's number (1-based, across endpoints) and endpoint; returning
// false drops the request without forwarding it. nil removes the hook.
func (p *Proxy) OnRequest(hook func(n int, endpoint string) bool) {
	p.mu.Lock()
	p.hook = hook
	p.mu.Unlock()
}

// OnAnswer sets a hook run when the server has answered a request, before
// the answer is passed on, with the request's number (as OnRequest counts),
// endpoint and status; returning false drops the answer: the client's
// connection closes although the server did the work (a lost reply). nil
// removes the hook.
func (p *Proxy) OnAnswer(hook func(n int, endpoint string, status int) bool) {
	p.mu.Lock()
	p.answer = hook
	p.mu.Unlock()
}

// requestNumber carries a request's number from the handler to the
// answer hook.
type requestNumber struct{}

var errAnswerDropped = errors.New("answer dropped by the test")

// dropConnection closes the client's connection without an answer.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if c, _, err := hj.Hijack(); err == nil {
			c.Close()
			return
		}
	}
	http.Error(w, "dropped by the test proxy", http.StatusBadGateway)
}

// Count is how many requests an endpoint received ("i/update").
func (p *Proxy) Count(endpoint string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.counts[endpoint]
}

// Answers is how many answers of an endpoint had the status (429).
func (p *Proxy) Answers(endpoint string, status int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.status[endpoint+" "+strconv.Itoa(status)]
}

// Total is the number of requests so far.
func (p *Proxy) Total() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.total
}

// Reset forgets the counts.
func (p *Proxy) Reset() {
	p.mu.Lock()
	p.total = 0
	p.counts = map[string]int{}
	p.status = map[string]int{}
	p.mu.Unlock()
}

func endpointOf(path string) string {
	return strings.TrimPrefix(path, "/api/")
}
