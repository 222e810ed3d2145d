package provider

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// rateLimited answers every call with Misskey's 429 body and the given
// Retry-After (none when empty) and info.resetMs (none when 0).
func rateLimited(retryAfter string, resetMs float64) func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
	return func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		info := map[string]any{"remaining": 0, "total": 10}
		if resetMs != 0 {
			info["resetMs"] = resetMs
		}
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"error": map[string]any{
			"message": "Rate limit exceeded. Please try again later.", "code": "RATE_LIMIT_EXCEEDED",
			"id": "d5826d14-3982-4d2e-8011-b9e9f02499ef", "kind": "client", "info": info,
		}})
	}
}

// A server asking for an absurd wait makes mkctl fail at once, with an error
// that names the endpoint, what the server asked for and the flag, instead
// of sleeping for 277 hours (or, for a date in the year 9999, 292 years).
func TestAbsurdRateLimitWaitFailsAtOnce(t *testing.T) {
	for _, tc := range []struct {
		name       string
		retryAfter string
		resetMs    float64
		want       []string
	}{
		{"seconds", "999999", 0, []string{"277h46m39s (12 days)", "Misskey's Retry-After: 999999"}},
		{"more seconds than an int64", "99999999999999999999999", 0, []string{"more than 292 years", "Retry-After: 99999999999999999999999"}},
		{"HTTP date", "Fri, 31 Dec 9999 23:59:59 GMT", 0, []string{"more than 292 years", "Retry-After: Fri, 31 Dec 9999 23:59:59 GMT"}},
		{"resetMs", "", 253402300799000, []string{"more than 292 years", "resetMs 253402300799000"}},
		{"resetMs beyond int64", "", 1e300, []string{"more than 292 years", "resetMs 1e+300"}},
		{"a day", "86400", 0, []string{"24h", "Retry-After: 86400"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := newFakeServer(t, rateLimited(tc.retryAfter, tc.resetMs))
			c, rec := newTestClient(t, fs.URL)
			err := c.Write(context.Background(), "drive/folders/create", nil, nil)
			if !IsCode(err, "RATE_LIMIT_EXCEEDED") {
				t.Fatalf("err = %v, want RATE_LIMIT_EXCEEDED", err)
			}
			var wt *WaitTooLongError
			if !errors.As(err, &wt) {
				t.Fatalf("err = %v (%T), want a *WaitTooLongError", err, err)
			}
			if len(rec.slept) != 0 {
				t.Errorf("slept %v; the wait is over the default cap", rec.slept)
			}
			if n := len(fs.requests("")); n != 1 {
				t.Errorf("%d calls, want 1", n)
			}
			msg := err.Error()
			for _, w := range append(tc.want, "drive/folders/create: ", "more than the 1h15m it may wait", "--max-wait") {
				if !strings.Contains(msg, w) {
					t.Errorf("err = %q\nwant it to contain %q", msg, w)
				}
			}
			if h := wt.Hint(); !strings.Contains(h, "--max-wait") {
				t.Errorf("hint %q does not name --max-wait", h)
			}
		})
	}
}

// Misskey's hourly window (Retry-After: 3600) is within the default cap:
// waited out once, then the call succeeds.
func TestDefaultMaxWaitCoversAnHour(t *testing.T) {
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
		if n == 1 {
			rateLimited("3600", 0)(w, r, req, n)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"id": "x"})
	})
	c, rec := newTestClient(t, fs.URL)
	if err := c.Write(context.Background(), "drive/folders/create", nil, nil); err != nil {
		t.Fatal(err)
	}
	if len(rec.slept) != 1 || rec.slept[0] != time.Hour {
		t.Errorf("slept %v, want [1h]", rec.slept)
	}
}

// WithMaxRateLimitWait(0) never waits: the first 429 fails the call.
func TestMaxWaitZeroNeverWaits(t *testing.T) {
	fs := newFakeServer(t, rateLimited("1", 0))
	c, rec := newTestClient(t, fs.URL, WithMaxRateLimitWait(0))
	err := c.Write(context.Background(), "notes/delete", nil, nil)
	if !IsCode(err, "RATE_LIMIT_EXCEEDED") || len(rec.slept) != 0 {
		t.Fatalf("err = %v, slept %v", err, rec.slept)
	}
	if !strings.Contains(err.Error(), "more than the 0s it may wait; --max-wait") {
		t.Errorf("err = %q", err)
	}
}

// A 503 whose Retry-After asks for 277 hours is retried with the usual
// backoff, never a wait of that length.
func TestUnavailableRetryAfterIsCapped(t *testing.T) {
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
		w.Header().Set("Retry-After", "999999")
		unavailable(w)
	})
	c, rec := newTestClient(t, fs.URL)
	if err := c.Read(context.Background(), "i", nil, nil); err == nil {
		t.Fatal("no error")
	}
	for _, d := range rec.slept {
		if d > backoffMax {
			t.Errorf("slept %v, more than the backoff's %v", d, backoffMax)
		}
	}
	if len(rec.slept) != defaultMaxRetries {
		t.Errorf("slept %d times, want %d", len(rec.slept), defaultMaxRetries)
	}
}

// A server that sends its answer one byte at a time, forever, hits the
// per-attempt timeout; with its retries the call still ends in bounded time.
func TestTricklingServerTimesOut(t *testing.T) {
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		w.Write([]byte("{"))
		for {
			select {
			case <-r.Context().Done():
				return
			case <-time.After(20 * time.Millisecond):
			}
			if _, err := w.Write([]byte(" ")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
		}
	})
	c, _ := newTestClient(t, fs.URL, WithTimeout(200*time.Millisecond), WithMaxRetries(2))
	start := time.Now()
	var out map[string]any
	err := c.Read(context.Background(), "i", nil, &out)
	var nerr *NetworkError
	if !errors.As(err, &nerr) || !strings.Contains(err.Error(), "no answer within 200ms") {
		t.Fatalf("err = %v, want no answer within 200ms", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("took %v", el)
	}
	if n := len(fs.requests("")); n != 3 {
		t.Errorf("%d attempts, want 3", n)
	}
}
