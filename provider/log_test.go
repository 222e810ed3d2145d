package provider

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// With a logger, every attempt is logged with its endpoint, attempt,
// status and duration, and every retry and wait decision; at trace level
// the bodies too. The token appears nowhere, though the server echoes it
// and the request carries it in `i`.
func TestLogRequestsAndDecisions(t *testing.T) {
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
		switch n {
		case 1:
			unavailable(w)
		case 2:
			rateLimited("2", 0)(w, r, req, n)
		default:
			writeJSON(w, http.StatusOK, map[string]any{"username": "weatherbot", "description": "echo " + testToken, "token": "other-secret-value"})
		}
	})
	for _, level := range []slog.Level{slog.LevelDebug, LevelTrace} {
		var buf bytes.Buffer
		logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: level}))
		c, _ := newTestClient(t, fs.URL, WithLogger(logger))
		if err := c.Read(context.Background(), "users/show", map[string]any{"i": testToken, "username": "alice"}, nil); err != nil {
			t.Fatal(err)
		}
		log := buf.String()
		want := []string{
			`level=DEBUG msg=request endpoint=users/show attempt=1 status=503 duration=\S+ bytes=\d+`,
			`level=DEBUG msg=retrying endpoint=users/show cause="HTTP 503" wait=500ms retry=1 of=3`,
			`level=DEBUG msg=request endpoint=users/show attempt=2 status=429 duration=`,
			`level=DEBUG msg="rate limited; waiting" endpoint=users/show asked=2s source="Misskey's Retry-After" raw=2 max_wait_left=1h15m0s`,
			`level=DEBUG msg=request endpoint=users/show attempt=3 status=200 duration=`,
		}
		if level == LevelTrace {
			want = append(want,
				`level=DEBUG-4 msg="request body" endpoint=users/show attempt=1 body="{\\"i\\":\\"<redacted>\\",\\"username\\":\\"alice\\"}"`,
				`level=DEBUG-4 msg="response body" endpoint=users/show attempt=3 status=200 body="{\\"description\\":\\"echo <redacted>\\",\\"token\\":\\"<redacted>\\",\\"username\\":\\"weatherbot\\"}"`)
		} else if strings.Contains(log, "body") {
			t.Errorf("bodies logged at debug level:\n%s", log)
		}
		for _, w := range want {
			if !regexp.MustCompile(w).MatchString(log) {
				t.Errorf("level %v: no line matches %s in\n%s", level, w, log)
			}
		}
		for _, secret := range []string{testToken, "other-secret-value", "Authorization", "Bearer"} {
			if strings.Contains(log, secret) {
				t.Errorf("level %v: the log holds %q:\n%s", level, secret, log)
			}
		}
		fs.mu.Lock()
		fs.reqs = nil
		fs.mu.Unlock()
	}
}

// Without a logger nothing is logged and nothing breaks; a capped wait is
// logged as the decision not to wait.
func TestLogCappedWait(t *testing.T) {
	fs := newFakeServer(t, rateLimited("999999", 0))
	var buf bytes.Buffer
	c, _ := newTestClient(t, fs.URL, WithLogger(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	if err := c.Write(context.Background(), "notes/delete", nil, nil); err == nil {
		t.Fatal("no error")
	}
	if !strings.Contains(buf.String(), `msg="rate limited; not waiting: over the maximum wait" endpoint=notes/delete asked=277h46m39s`) {
		t.Errorf("log:\n%s", buf.String())
	}
}
