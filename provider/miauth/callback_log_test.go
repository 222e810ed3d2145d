package miauth

import (
	"bytes"
	"net/http"
	"strings"
	"sync"
	"testing"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestCallbackServerLogGoesToErrOut: a panic in the callback handler (a
// real one: closing a nil channel) is logged by net/http to the writer
// the login passes (its redacting error stream), not the raw process
// stderr.
func TestCallbackServerLogGoesToErrOut(t *testing.T) {
	var errOut lockedBuffer
	cb, err := listenCallback(&Callback{session: session}, &errOut) // hit nil: close panics
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(cb.URL() + "?session=" + session)
	if err == nil {
		resp.Body.Close()
	}
	cb.Close() // waits for the panicking connection to be closed, after its log
	if got := errOut.String(); !strings.Contains(got, "login: http: panic serving") || !strings.Contains(got, "close of nil channel") {
		t.Errorf("error stream %q: the handler's panic was not logged through it", got)
	}
}
