package cmd

import (
	"bytes"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/mkctl/mkctl/provider"
)

// lockedBuffer is a bytes.Buffer a server goroutine writes while the test
// reads it.
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

// TestWatchMetricsServerLogIsRedacted: a panic in the --metrics handler
// (here a nil account entry: a real nil dereference) is logged by
// net/http through the command's redacting error stream, not the raw
// process stderr. The redaction is seen working on the logged line: a
// registered secret in it is replaced.
func TestWatchMetricsServerLogIsRedacted(t *testing.T) {
	var raw lockedBuffer
	io := &IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &raw}
	const secret = "invalid memory address or nil pointer dereference"
	addSecret(io, secret)

	m := newWatchMetrics()
	m.accounts["account.news"] = nil
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stop := m.serveOn(ln, io.ErrOut)
	resp, err := http.Get("http://" + ln.Addr().String() + "/metrics")
	if err == nil {
		resp.Body.Close()
	}
	stop() // waits for the panicking connection to be closed, after its log
	got := raw.String()
	if !strings.Contains(got, "watch --metrics: http: panic serving") {
		t.Fatalf("error stream %q: the handler's panic was not logged through it", got)
	}
	if strings.Contains(got, secret) || !strings.Contains(got, provider.Redacted) {
		t.Errorf("error stream %q: the logged line did not go through the redacting stream", got)
	}
}
