//go:build unix

package schema

import (
	"os"
	"syscall"
)

// openNonBlocking opens path for reading without blocking: open(2) on a
// FIFO waits for a writer unless O_NONBLOCK is given.
func openNonBlocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
