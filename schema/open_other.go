//go:build !unix

package schema

import "os"

// openNonBlocking opens path for reading. Outside Unix there is no FIFO
// that blocks open; the type checks around it still refuse devices.
func openNonBlocking(path string) (*os.File, error) {
	return os.Open(path)
}
