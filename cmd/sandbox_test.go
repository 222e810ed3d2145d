package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to read while the command writes to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestSandboxServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan int)
	go func() {
		done <- MainContext(ctx, &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &out},
			[]string{"sandbox", "serve", "--listen", "127.0.0.1:0", "--username", "tester"})
	}()

	urlRe := regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+)`)
	tokenRe := regexp.MustCompile(`Token: +(\S+)`)
	var url, token string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := urlRe.FindStringSubmatch(out.String()); m != nil {
			if tm := tokenRe.FindStringSubmatch(out.String()); tm != nil {
				url, token = m[1], tm[1]
				break
			}
		}
	}
	if url == "" {
		cancel()
		t.Fatalf("no URL and token printed:\n%s", out.String())
	}

	req, _ := http.NewRequest("POST", url+"/api/i", strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var me struct{ Username string }
	if err := json.NewDecoder(resp.Body).Decode(&me); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if me.Username != "tester" {
		t.Fatalf("i answered username %q", me.Username)
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d:\n%s", code, out.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("sandbox serve did not stop on cancel")
	}
}

func TestSandboxServeRefusesNonLoopback(t *testing.T) {
	var out bytes.Buffer
	code := MainContext(context.Background(), &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &out},
		[]string{"sandbox", "serve", "--listen", "0.0.0.0:0"})
	if code != ExitError || !strings.Contains(out.String(), "loopback") {
		t.Fatalf("exit %d: %s", code, out.String())
	}
}
