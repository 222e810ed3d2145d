//go:build unix

package cmd

import (
	"bytes"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestFmtFIFONoHang: a named pipe among the configuration files, or given by
// name, is refused at once: opening it for reading would wait for a writer
// forever.
func TestFmtFIFONoHang(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.mk.hcl")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	for _, args := range [][]string{{"fmt", dir}, {"fmt", "-check", fifo}, {"fmt", "/dev/zero"}} {
		type result struct {
			code   int
			errOut string
		}
		done := make(chan result, 1)
		go func() {
			var out, errOut bytes.Buffer
			code := Main(&IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, args)
			done <- result{code, errOut.String()}
		}()
		select {
		case r := <-done:
			if r.code != ExitError || !strings.Contains(r.errOut, "not a regular file") {
				t.Errorf("mkctl %s: exit %d, stderr %s", strings.Join(args, " "), r.code, r.errOut)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("mkctl %s hangs", strings.Join(args, " "))
		}
	}
}
