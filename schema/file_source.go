package schema

import (
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// MaxUploadBytes is the largest file mkctl uploads: Misskey's default
// configuration maxFileSize (262144000 bytes), beyond which the server
// cuts the upload off whatever the role policy says. The default role
// policy (maxFileSizeMb, 30 MiB) is lower, but an administrator may raise
// it; that limit is the server's to enforce.
const MaxUploadBytes = 262144000

// hashBufferBytes is the buffer a file is streamed through to hash it: a
// file of any size costs this much memory, not its size.
const hashBufferBytes = 32 << 10

// sourceError is why a file cannot be uploaded: a summary and a detail
// ending with a hint.
type sourceError struct {
	summary, detail string
}

func (e *sourceError) Error() string { return e.summary + ": " + e.detail }

func srcErr(summary, format string, args ...any) *sourceError {
	return &sourceError{summary: summary, detail: fmt.Sprintf(format, args...)}
}

// fileSources loads each file once per Load: an account with for_each
// names the same files in every instance.
type fileSources struct {
	dir  string
	seen map[string]fileSourceResult
}

type fileSourceResult struct {
	src FileSource
	ext string
	err *sourceError
}

func newFileSources(dir string) *fileSources {
	return &fileSources{dir: dir, seen: map[string]fileSourceResult{}}
}

// load reads the file p (as written in the config) for an upload named
// name ("" for avatar and banner, whose name does not matter): md5, size
// and the type Misskey will detect, with the extension it appends to a
// name that does not end with it. The range is filled in by the caller.
func (fs *fileSources) load(p, name string) (FileSource, string, *sourceError) {
	key := p + "\x00" + name
	if r, ok := fs.seen[key]; ok {
		return r.src, r.ext, r.err
	}
	src, ext, err := loadFileSource(fs.dir, p, name)
	fs.seen[key] = fileSourceResult{src, ext, err}
	return src, ext, err
}

// loadFileSource checks and reads one file. The rules:
//   - the path is relative to the configuration directory, and the file,
//     symbolic links resolved, lies inside that directory: a configuration
//     from a pull request must not be able to upload /etc/passwd or
//     ~/.ssh/id_ed25519 to a public drive;
//   - it is a regular file (a FIFO, device, socket or directory is refused
//     before it is opened, and opened without blocking, as readLimitedFile
//     does) of at most MaxUploadBytes (an empty file is Misskey's
//     application/octet-stream, or text by its name: see sniff);
//   - it is read once, streamed through md5 with a small buffer: a 30 MB
//     video costs 32 KiB of memory.
func loadFileSource(dir, p, name string) (FileSource, string, *sourceError) {
	src := FileSource{Path: p}
	if p == "" {
		return src, "", srcErr("Empty file path", "The path of the file is empty. Hint: write a path relative to the configuration directory, e.g. \"images/logo.png\".")
	}
	if filepath.IsAbs(p) || strings.HasPrefix(p, "/") || strings.HasPrefix(p, `\`) {
		return src, "", srcErr("Absolute file path", "%q is an absolute path; mkctl uploads only files of the configuration directory, so that a configuration cannot publish files of the machine that applies it. Hint: copy the file into the configuration directory and write its path relative to it, e.g. \"images/%s\".", p, filepath.Base(p))
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return src, "", srcErr("Cannot read file", "cannot resolve the configuration directory %s: %v.", dir, err)
	}
	full := filepath.Join(absDir, filepath.FromSlash(p))
	info, err := os.Stat(full)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return src, "", srcErr("File not found", "No file exists at %q (looked for %s).%s Hint: paths are relative to the configuration directory %s.", p, full, siblingHint(full), dir)
		}
		return src, "", srcErr("Cannot read file", "cannot read %s: %v.", full, err)
	}
	if err := checkUploadable(p, info); err != nil {
		return src, "", err
	}
	// Symbolic links are followed, but must stay in the directory.
	realDir, err1 := filepath.EvalSymlinks(absDir)
	real, err2 := filepath.EvalSymlinks(full)
	if err1 != nil || err2 != nil {
		return src, "", srcErr("Cannot read file", "cannot resolve %s: %v.", full, errors.Join(err1, err2))
	}
	if rel, err := filepath.Rel(realDir, real); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return src, "", srcErr("File outside the configuration directory", "%q resolves to %s, outside the configuration directory %s; mkctl uploads only files of the configuration directory, so that a configuration cannot publish files of the machine that applies it. Hint: copy the file into the configuration directory.", p, real, realDir)
	}
	src.Abs = real

	f, err := openNonBlocking(real)
	if err != nil {
		return src, "", srcErr("Cannot read file", "cannot open %s: %v.", real, err)
	}
	defer f.Close()
	info, err = f.Stat()
	if err != nil {
		return src, "", srcErr("Cannot read file", "cannot read %s: %v.", real, err)
	}
	if err := checkUploadable(p, info); err != nil {
		return src, "", err
	}

	h := md5.New()
	buf := make([]byte, hashBufferBytes)
	n, err := io.CopyBuffer(h, io.LimitReader(f, MaxUploadBytes+1), buf)
	if err != nil {
		return src, "", srcErr("Cannot read file", "reading %s failed: %v.", real, err)
	}
	if n > MaxUploadBytes {
		return src, "", tooBigForUpload(p, n)
	}
	src.Size = n
	src.MD5 = hex.EncodeToString(h.Sum(nil))
	// The file is sniffed on the descriptor just hashed; ReadAt reads
	// only the bytes a detector asks for.
	t := sniff(io.NewSectionReader(f, 0, n), n, name)
	src.Type = t.mime
	if serr := checkImageSize(f, n, t, p); serr != nil {
		return src, t.ext, serr
	}
	return src, t.ext, nil
}

// checkUploadable refuses what is not a regular file, or is empty or too
// big, from its metadata alone.
func checkUploadable(p string, info fs.FileInfo) *sourceError {
	mode := info.Mode()
	what := ""
	switch {
	case mode.IsRegular():
		if info.Size() > MaxUploadBytes {
			return tooBigForUpload(p, info.Size())
		}
		return nil
	case mode.IsDir():
		what = "a directory"
	case mode&fs.ModeNamedPipe != 0:
		what = "a named pipe"
	case mode&fs.ModeDevice != 0:
		what = "a device"
	case mode&fs.ModeSocket != 0:
		what = "a socket"
	default:
		what = "not a regular file (" + mode.Type().String() + ")"
	}
	return srcErr("Not a regular file", "%q is %s; mkctl uploads only regular files (a device or a pipe could be read forever). Hint: point at the file itself.", p, what)
}

func tooBigForUpload(p string, n int64) *sourceError {
	return srcErr("File too large", "%q is %d bytes; Misskey's default configuration (maxFileSize) refuses uploads over %d bytes (250 MiB), and its default role policy already refuses files over 30 MiB. Hint: shrink the file.", p, n, int64(MaxUploadBytes))
}

// siblingHint suggests a file of the same directory with a similar name.
func siblingHint(full string) string {
	entries, err := os.ReadDir(filepath.Dir(full))
	if err != nil {
		return ""
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if s := suggestName(filepath.Base(full), names); s != "" {
		return fmt.Sprintf(" Did you mean %q?", s)
	}
	return ""
}
