package schema

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
)

// MaxFileBytes is the largest file mkctl reads: a configuration file, a
// --var-file, or a file named by file() or templatefile(). 4 MiB is far
// more than any text Misskey accepts (a description is at most 1,500
// characters, a note 3,000) yet small enough that a pull request cannot
// make CI read gigabytes.
const MaxFileBytes = 4 << 20

// errNotRegular and errTooBig tell callers which hint to give.
var (
	errNotRegular = errors.New("not a regular file")
	errTooBig     = errors.New("file too big")
)

// refusedFile is why a file is not read: msg says it whole, and reason,
// errNotRegular or errTooBig, is there for errors.Is only. (Wrapping with
// "%w" would print the reason again: "is a device, not a regular file:
// not a regular file".)
type refusedFile struct {
	msg    string
	reason error
}

func (e *refusedFile) Error() string { return e.msg }
func (e *refusedFile) Unwrap() error { return e.reason }

func refused(reason error, format string, args ...any) error {
	return &refusedFile{msg: fmt.Sprintf(format, args...), reason: reason}
}

// readLimitedFile reads a regular file of at most MaxFileBytes. Anything
// else — a directory, a device such as /dev/zero, a named pipe, a socket —
// is refused before it is read, because reading it may never end: a FIFO
// even blocks in open(2) until a writer appears, so the type is checked
// with Stat first, the file is opened without blocking, and the type is
// checked again on the open descriptor (the path may have been swapped in
// between). CRLF line endings become LF (see normaliseNewlines).
func readLimitedFile(path string) ([]byte, error) {
	b, err := ReadFileAsIs(path)
	if err != nil {
		return nil, err
	}
	return normaliseNewlines(b), nil
}

func checkRegular(path string, info fs.FileInfo) error {
	mode := info.Mode()
	switch {
	case mode.IsRegular():
		if info.Size() > MaxFileBytes {
			return refused(errTooBig, "%s is %d bytes, larger than %d MiB, the most mkctl reads", path, info.Size(), MaxFileBytes>>20)
		}
		return nil
	case mode.IsDir():
		return refused(errNotRegular, "%s is a directory, not a file", path)
	case mode&fs.ModeNamedPipe != 0:
		return refused(errNotRegular, "%s is a named pipe, not a regular file", path)
	case mode&fs.ModeDevice != 0:
		return refused(errNotRegular, "%s is a device, not a regular file", path)
	case mode&fs.ModeSocket != 0:
		return refused(errNotRegular, "%s is a socket, not a regular file", path)
	}
	return refused(errNotRegular, "%s is not a regular file (%s)", path, mode.Type())
}

// normaliseNewlines turns CRLF into LF, so that a checkout with Windows
// line endings (git's core.autocrlf) plans exactly what a Linux checkout
// plans: heredocs and file() text would otherwise carry a CR at the end of
// every line into the profile. A lone CR is kept; it is not a line ending
// anywhere mkctl runs.
func normaliseNewlines(b []byte) []byte {
	if !bytes.Contains(b, []byte("\r\n")) {
		return b
	}
	return bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
}

// parseHCLFile is hclparse's ParseHCLFile with readLimitedFile's rules:
// a configuration file or --var-file that is not a regular file, or is
// too big, is refused before it is read; CRLF becomes LF.
func parseHCLFile(p *hclparse.Parser, path string) (*hcl.File, hcl.Diagnostics) {
	b, err := readLimitedFile(path)
	if err != nil {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read configuration file",
			Detail:   fmt.Sprintf("%v. Hint: configuration and variable files must be regular files of at most %d MiB.", err, MaxFileBytes>>20),
			Subject:  &hcl.Range{Filename: path, Start: hcl.InitialPos, End: hcl.InitialPos},
		}}
	}
	if diags := checkNumberLiterals(b, path); diags.HasErrors() {
		// Registered unparsed, so that the diagnostics show the line.
		p.AddFile(path, &hcl.File{Body: hcl.EmptyBody(), Bytes: b})
		return nil, diags
	}
	return p.ParseHCL(b, path)
}
