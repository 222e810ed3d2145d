package provider

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRequestShape(t *testing.T) {
	me := loadSample(t, "01")
	upd := loadSample(t, "05")
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
		switch req.Endpoint {
		case "i":
			me.write(w)
		case "i/update":
			upd.write(w)
		default:
			http.NotFound(w, r)
		}
	})
	c, _ := newTestClient(t, fs.URL)
	var out map[string]any
	if err := c.Read(context.Background(), "i", nil, &out); err != nil {
		t.Fatal(err)
	}
	if out["username"] != "alice" {
		t.Errorf("decoded username = %v, want alice", out["username"])
	}
	if err := c.Write(context.Background(), "i/update", map[string]any{"location": "Tokyo"}, nil); err != nil {
		t.Fatal(err)
	}
	reqs := fs.requests("")
	if len(reqs) != 2 {
		t.Fatalf("got %d requests, want 2", len(reqs))
	}
	for _, q := range reqs {
		if q.Method != http.MethodPost {
			t.Errorf("%s: method %s, want POST", q.Endpoint, q.Method)
		}
		if got := q.Header.Get("Authorization"); got != "Bearer "+testToken {
			t.Errorf("%s: Authorization = %q", q.Endpoint, got)
		}
		if got := q.Header.Get("User-Agent"); got != "mkctl/dev" {
			t.Errorf("%s: User-Agent = %q, want mkctl/dev", q.Endpoint, got)
		}
		if got := q.Header.Get("Content-Type"); got != "application/json" {
			t.Errorf("%s: Content-Type = %q", q.Endpoint, got)
		}
		if strings.Contains(string(q.Raw), testToken) {
			t.Errorf("%s: token in body %s", q.Endpoint, q.Raw)
		}
		if _, ok := q.Body["i"]; ok {
			t.Errorf("%s: body has an \"i\" field", q.Endpoint)
		}
	}
	if string(reqs[0].Raw) != "{}" {
		t.Errorf("i body = %s, want {}", reqs[0].Raw)
	}
	if string(reqs[1].Raw) != `{"location":"Tokyo"}` {
		t.Errorf("i/update body = %s", reqs[1].Raw)
	}
}

func TestUserAgentOption(t *testing.T) {
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
		w.WriteHeader(http.StatusNoContent)
	})
	c, _ := newTestClient(t, fs.URL, WithUserAgent("mkctl/1.2.3"))
	if err := c.Read(context.Background(), "i", nil, nil); err != nil {
		t.Fatal(err)
	}
	if got := fs.requests("i")[0].Header.Get("User-Agent"); got != "mkctl/1.2.3" {
		t.Errorf("User-Agent = %q", got)
	}
}

func TestNoContentLeavesOutUntouched(t *testing.T) {
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
		if req.Endpoint == "i/registry/set" {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.WriteHeader(http.StatusOK) // 200 with an empty body
	})
	c, _ := newTestClient(t, fs.URL)
	out := map[string]any{"kept": true}
	for _, ep := range []string{"i/registry/set", "other"} {
		if err := c.Write(context.Background(), ep, map[string]any{"key": "k", "value": 1}, &out); err != nil {
			t.Fatalf("%s: %v", ep, err)
		}
		if len(out) != 1 || out["kept"] != true {
			t.Errorf("%s: out changed to %v", ep, out)
		}
	}
}

func TestNonJSONSuccessIsAnError(t *testing.T) {
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html>captive portal</html>"))
	})
	c, _ := newTestClient(t, fs.URL)
	var out map[string]any
	err := c.Read(context.Background(), "i", nil, &out)
	if err == nil || !strings.Contains(err.Error(), "not the JSON Misskey sends") {
		t.Fatalf("err = %v", err)
	}
}

func TestNewClientURLs(t *testing.T) {
	cases := []struct {
		url, wantBase, wantErr string
	}{
		{"https://misskey.example", "https://misskey.example", ""},
		{"https://Misskey.Example/", "https://misskey.example", ""},
		{"https://misskey.example:8443", "https://misskey.example:8443", ""},
		{"http://127.0.0.1:3000", "http://127.0.0.1:3000", ""},
		{"http://127.8.9.10", "http://127.8.9.10", ""},
		{"http://localhost:3000", "http://localhost:3000", ""},
		{"http://LocalHost", "http://localhost", ""},
		{"http://[::1]:3000", "http://[::1]:3000", ""},
		{"http://misskey.example", "", "use https://misskey.example"},
		{"http://10.0.0.1", "", "only for loopback"},
		{"http://localhost.evil.example", "", "only for loopback"},
		{"misskey.example", "", "want a base URL like https://"},
		{"ftp://misskey.example", "", "scheme must be https"},
		{"https://misskey.example/api", "", "only scheme and host"},
		{"https://misskey.example?x=1", "", "only scheme and host"},
		{"https://user:pw@misskey.example", "", "user name or password"},
	}
	for _, tc := range cases {
		c, err := NewClient(tc.url, testToken)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: err = %v, want one containing %q", tc.url, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.url, err)
			continue
		}
		if c.BaseURL() != tc.wantBase {
			t.Errorf("%s: base = %q, want %q", tc.url, c.BaseURL(), tc.wantBase)
		}
	}
}

func TestNewClientRejectsBadToken(t *testing.T) {
	bad := "abc def\n"
	_, err := NewClient("https://misskey.example", bad)
	if err == nil {
		t.Fatal("no error for a token with whitespace")
	}
	if strings.Contains(err.Error(), "abc") {
		t.Errorf("error repeats the token: %v", err)
	}
}

func TestEmptyTokenSendsNoAuthorization(t *testing.T) {
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
		w.WriteHeader(http.StatusNoContent)
	})
	c, err := NewClient(fs.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Read(context.Background(), "meta", nil, nil); err != nil {
		t.Fatal(err)
	}
	if h := fs.requests("meta")[0].Header.Get("Authorization"); h != "" {
		t.Errorf("Authorization = %q, want none", h)
	}
}

func TestRateLimitWaitThenSuccess(t *testing.T) {
	limited := loadSample(t, "50")
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
		if n == 1 {
			limited.write(w)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"id": "f1", "name": req.Body["name"]})
	})
	c, rec := newTestClient(t, fs.URL)
	var out map[string]any
	// A write: a 429 did nothing, so it is safe to send again.
	if err := c.Write(context.Background(), "drive/folders/create", map[string]any{"name": "one-too-many"}, &out); err != nil {
		t.Fatal(err)
	}
	if out["id"] != "f1" {
		t.Errorf("out = %v", out)
	}
	if n := len(fs.requests("drive/folders/create")); n != 2 {
		t.Errorf("%d calls, want 2", n)
	}
	if len(rec.slept) != 1 || rec.slept[0] != 3600*time.Second {
		t.Errorf("slept %v, want [1h0m0s] from Retry-After", rec.slept)
	}
	want := "rate limited on drive/folders/create; waiting 1h (Misskey's Retry-After) …"
	if len(rec.notify) != 1 || rec.notify[0] != want {
		t.Errorf("notify = %q, want %q", rec.notify, want)
	}
}

func TestRateLimitFallbacks(t *testing.T) {
	now := time.UnixMilli(1795695175000)
	cases := []struct {
		name   string
		header string
		info   map[string]any
		want   time.Duration
		source string
	}{
		{"retry-after seconds", "3599", nil, 3599 * time.Second, "waiting 59m59s (Misskey's Retry-After)"},
		{"retry-after zero waits a second", "0", nil, time.Second, "waiting 1s"},
		{"resetMs rounded up", "", map[string]any{"resetMs": float64(now.UnixMilli() + 90_500)}, 91 * time.Second, "waiting 1m31s (until Misskey's limit resets)"},
		{"nothing", "", nil, 60 * time.Second, "waiting 1m (Misskey sent no reset time)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
				if n == 1 {
					if tc.header != "" {
						w.Header().Set("Retry-After", tc.header)
					}
					writeJSON(w, http.StatusTooManyRequests, map[string]any{"error": map[string]any{
						"message": "Rate limit exceeded. Please try again later.", "code": "RATE_LIMIT_EXCEEDED",
						"id": "d5826d14-3982-4d2e-8011-b9e9f02499ef", "kind": "client", "info": tc.info}})
					return
				}
				w.WriteHeader(http.StatusNoContent)
			})
			c, rec := newTestClient(t, fs.URL)
			c.now = func() time.Time { return now }
			if err := c.Read(context.Background(), "following/create", nil, nil); err != nil {
				t.Fatal(err)
			}
			if len(rec.slept) != 1 || rec.slept[0] != tc.want {
				t.Errorf("slept %v, want %v", rec.slept, tc.want)
			}
			if len(rec.notify) != 1 || !strings.Contains(rec.notify[0], tc.source) {
				t.Errorf("notify %q, want it to contain %q", rec.notify, tc.source)
			}
		})
	}
}

func TestRateLimitCancelDuringWait(t *testing.T) {
	limited := loadSample(t, "50")
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
		limited.write(w)
	})
	// The real sleep: the wait is an hour, so only cancellation can end it.
	c, err := NewClient(fs.URL, testToken)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Write(ctx, "drive/folders/create", map[string]any{"name": "x"}, nil) }()
	for len(fs.requests("")) == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if !strings.HasPrefix(err.Error(), "drive/folders/create: ") {
			t.Errorf("err = %q, want it to name the endpoint", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Write still waiting after the context was cancelled")
	}
	if n := len(fs.requests("")); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
}

func TestRateLimitCap(t *testing.T) {
	limited := loadSample(t, "50")
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
		limited.write(w)
	})
	c, rec := newTestClient(t, fs.URL, WithMaxRateLimitWait(30*time.Minute))
	err := c.Write(context.Background(), "drive/folders/create", nil, nil)
	if !IsCode(err, "RATE_LIMIT_EXCEEDED") {
		t.Fatalf("err = %v, want RATE_LIMIT_EXCEEDED", err)
	}
	if len(rec.slept) != 0 {
		t.Errorf("slept %v though the wait is over the cap", rec.slept)
	}
	if n := len(fs.requests("")); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
}

func TestRateLimitGivesUpAfterRepeated429(t *testing.T) {
	limited := loadSample(t, "50")
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
		limited.write(w)
	})
	c, rec := newTestClient(t, fs.URL, WithMaxRateLimitWait(10*time.Hour)) // five hour-long waits
	err := c.Write(context.Background(), "drive/folders/create", nil, nil)
	if !IsCode(err, "RATE_LIMIT_EXCEEDED") {
		t.Fatalf("err = %v", err)
	}
	if len(rec.slept) != maxRateLimitWaits || len(fs.requests("")) != maxRateLimitWaits+1 {
		t.Errorf("slept %d times over %d calls", len(rec.slept), len(fs.requests("")))
	}
}

func unavailable(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(http.StatusServiceUnavailable)
	w.Write([]byte("upstream is restarting\n"))
}

func TestReadRetries503(t *testing.T) {
	me := loadSample(t, "01")
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
		if n <= 2 {
			unavailable(w)
			return
		}
		me.write(w)
	})
	c, rec := newTestClient(t, fs.URL)
	var out map[string]any
	if err := c.Read(context.Background(), "i", nil, &out); err != nil {
		t.Fatal(err)
	}
	if out["id"] != "au12na4bvr920004" {
		t.Errorf("out id = %v", out["id"])
	}
	if n := len(fs.requests("i")); n != 3 {
		t.Errorf("%d calls, want 3", n)
	}
	// Exponential: base, then twice the base (jitter disabled in tests).
	if len(rec.slept) != 2 || rec.slept[0] != backoffBase || rec.slept[1] != 2*backoffBase {
		t.Errorf("slept %v, want [%v %v]", rec.slept, backoffBase, 2*backoffBase)
	}
	if len(rec.notify) != 2 || !strings.Contains(rec.notify[0], "i failed (HTTP 503); retrying in 500ms (retry 1 of 3)") {
		t.Errorf("notify = %q", rec.notify)
	}
}

func TestReadRetryHonoursRetryAfterOn503(t *testing.T) {
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
		if n == 1 {
			w.Header().Set("Retry-After", "7")
			unavailable(w)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	c, rec := newTestClient(t, fs.URL)
	if err := c.Read(context.Background(), "i", nil, nil); err != nil {
		t.Fatal(err)
	}
	if len(rec.slept) != 1 || rec.slept[0] != 7*time.Second {
		t.Errorf("slept %v, want [7s]", rec.slept)
	}
}

func TestReadGivesUpAfterMaxRetries(t *testing.T) {
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) { unavailable(w) })
	c, rec := newTestClient(t, fs.URL, WithMaxRetries(2))
	err := c.Read(context.Background(), "i", nil, nil)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 503 || apiErr.Code != "HTTP_503" {
		t.Fatalf("err = %v", err)
	}
	if apiErr.Message != "upstream is restarting" {
		t.Errorf("message = %q", apiErr.Message)
	}
	if n := len(fs.requests("i")); n != 3 || len(rec.slept) != 2 {
		t.Errorf("%d calls, %d sleeps; want 3 and 2", n, len(rec.slept))
	}
}

func TestReadRetriesInternalErrorOnce(t *testing.T) {
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
		writeJSON(w, 500, map[string]any{"error": map[string]any{"message": "Internal error occurred.", "code": "INTERNAL_ERROR",
			"id": "5d37dbcb-891e-41ca-a3d6-e690c97775ac", "kind": "server", "info": map[string]any{"e": map[string]any{"message": "db down"}}}})
	})
	c, _ := newTestClient(t, fs.URL)
	err := c.Read(context.Background(), "drive/folders", nil, nil)
	if !IsCode(err, "INTERNAL_ERROR") {
		t.Fatalf("err = %v", err)
	}
	if !strings.HasSuffix(err.Error(), "(db down)") {
		t.Errorf("err = %q, want the inner message", err)
	}
	if n := len(fs.requests("")); n != 2 {
		t.Errorf("%d calls, want 2 (one retry)", n)
	}
}

func TestReadDoesNotRetryMisskeyAnswerOn500(t *testing.T) {
	s := loadSample(t, "04")
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) { s.write(w) })
	c, rec := newTestClient(t, fs.URL)
	err := c.Read(context.Background(), "users/show", map[string]any{"username": "x", "host": "invalid.example"}, nil)
	if !IsCode(err, "FAILED_TO_RESOLVE_REMOTE_USER") {
		t.Fatalf("err = %v", err)
	}
	if n := len(fs.requests("")); n != 1 || len(rec.slept) != 0 {
		t.Errorf("%d calls, %d sleeps; want 1 and 0", n, len(rec.slept))
	}
}

func TestWriteNotRetriedOn503(t *testing.T) {
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) { unavailable(w) })
	c, rec := newTestClient(t, fs.URL)
	err := c.Write(context.Background(), "notes/create", map[string]any{"text": "hi"}, nil)
	if !IsCode(err, "HTTP_503") {
		t.Fatalf("err = %v", err)
	}
	if n := len(fs.requests("")); n != 1 || len(rec.slept) != 0 {
		t.Errorf("%d calls, %d sleeps; want 1 and 0", n, len(rec.slept))
	}
}

// hangUp closes the connection without an answer: a network error after
// the request was sent.
func hangUp(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

func TestNetworkErrors(t *testing.T) {
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) { hangUp(w) })
	host := strings.TrimPrefix(fs.URL, "http://")

	c, rec := newTestClient(t, fs.URL)
	err := c.Write(context.Background(), "notes/create", nil, nil)
	var nerr *NetworkError
	if !errors.As(err, &nerr) {
		t.Fatalf("write err = %v, want a NetworkError", err)
	}
	if !strings.HasPrefix(err.Error(), "notes/create: cannot reach "+host+": ") {
		t.Errorf("write err = %q, want it to name endpoint and host", err)
	}
	if n := len(fs.requests("notes/create")); n != 1 || len(rec.slept) != 0 {
		t.Errorf("write: %d calls, %d sleeps; want 1 and 0", n, len(rec.slept))
	}

	err = c.Read(context.Background(), "i", nil, nil)
	if !errors.As(err, &nerr) {
		t.Fatalf("read err = %v", err)
	}
	if n := len(fs.requests("i")); n != defaultMaxRetries+1 {
		t.Errorf("read: %d calls, want %d", n, defaultMaxRetries+1)
	}
}

func TestPerRequestTimeout(t *testing.T) {
	release := make(chan struct{})
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	c, _ := newTestClient(t, fs.URL, WithTimeout(20*time.Millisecond), WithMaxRetries(1))
	err := c.Read(context.Background(), "i", nil, nil)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "no answer within 20ms") {
		t.Fatalf("err = %v", err)
	}
	if n := len(fs.requests("")); n != 2 {
		t.Errorf("%d calls, want 2", n)
	}
}

func TestRedirectIsAnError(t *testing.T) {
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
		http.Redirect(w, r, "https://misskey.example/api/i", http.StatusMovedPermanently)
	})
	c, _ := newTestClient(t, fs.URL)
	err := c.Read(context.Background(), "i", nil, nil)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "HTTP_301" {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(apiErr.Hint(), "https://misskey.example/api/i") {
		t.Errorf("hint = %q", apiErr.Hint())
	}
}
