package provider

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A 429 that mkctl will not wait out must say how long the wait would have
// been: "RATE_LIMIT_EXCEEDED" alone does not tell a one-second limit from
// an hour-long one, and the user has to decide whether to run again now.
func TestRateLimitCapErrorNamesTheWait(t *testing.T) {
	limited := loadSample(t, "50") // drive/folders/create, Retry-After: 3600
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
		limited.write(w)
	})
	c, _ := newTestClient(t, fs.URL, WithMaxRateLimitWait(5*time.Second))
	err := c.Write(context.Background(), "drive/folders/create", nil, nil)
	if !IsCode(err, "RATE_LIMIT_EXCEEDED") {
		t.Fatalf("err = %v, want RATE_LIMIT_EXCEEDED", err)
	}
	want := "drive/folders/create: Misskey answered 429 RATE_LIMIT_EXCEEDED: Rate limit exceeded. Please try again later." +
		" (mkctl would have to wait 1h (Misskey's Retry-After: 3600), more than the 5s it may wait; --max-wait sets that limit)"
	if err.Error() != want {
		t.Errorf("err =\n  %q\nwant\n  %q", err.Error(), want)
	}
}

// After the last wait it allows, the error says mkctl did wait.
func TestRateLimitGiveUpErrorSaysItWaited(t *testing.T) {
	limited := loadSample(t, "50")
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
		limited.write(w)
	})
	// Five hour-long waits fit only a cap above the default 1h15m.
	c, _ := newTestClient(t, fs.URL, WithMaxRateLimitWait(10*time.Hour))
	err := c.Write(context.Background(), "drive/folders/create", nil, nil)
	if !IsCode(err, "RATE_LIMIT_EXCEEDED") || !strings.HasSuffix(err.Error(), "(still limited after waiting 5 times)") {
		t.Errorf("err = %v", err)
	}
}
