package schema

import (
	"io"
	"os"
)

// ReadFileAsIs reads path under the same rules as every file mkctl reads
// (a regular file of at most MaxFileBytes; a directory, device, named pipe
// or socket is refused before it is read, and a pipe is never waited on),
// but returns the bytes as they are: CRLF line endings are kept. mkctl fmt
// needs this: it compares a file with its formatted form and must write
// back a Windows checkout's line endings unchanged.
func ReadFileAsIs(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := checkRegular(path, info); err != nil {
		return nil, err
	}
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The path may have been swapped for a FIFO or device since Stat.
	info, err = f.Stat()
	if err != nil {
		return nil, err
	}
	if err := checkRegular(path, info); err != nil {
		return nil, err
	}
	return ReadAllLimited(f, path)
}

// ReadAllLimited reads r to its end, refusing more than MaxFileBytes
// (standard input for mkctl fmt -, which cannot be checked with Stat). One
// byte more than allowed is read, so nothing beyond the limit is held.
func ReadAllLimited(r io.Reader, name string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxFileBytes {
		return nil, refused(errTooBig, "%s is larger than %d MiB, the most mkctl reads", name, MaxFileBytes>>20)
	}
	return b, nil
}
