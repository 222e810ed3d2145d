//go:build unix

package schema

import (
	"path/filepath"
	"syscall"
	"testing"
)

// makeFIFO makes a named pipe that nothing ever writes to: opening it for
// reading blocks, unless the opener asks not to.
func makeFIFO(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	return p
}
