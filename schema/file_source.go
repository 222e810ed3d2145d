package schema

import (
	"crypto/md5"
	"encoding/binary"
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

// checkImageSize applies Misskey's rule that an image wider or taller than
// 16383 px is stored as application/octet-stream (and so refused under the
// default policy). PNG, GIF, JPEG, BMP and WebP are measured from their
// headers, as probe-image-size does; other image types, and headers that
// cannot be read, are not checked here (Misskey also turns an image it
// cannot measure into application/octet-stream, but mkctl would rather
// not refuse a file the server accepts).
func checkImageSize(r io.ReaderAt, size int64, t fileType, p string) *sourceError {
	w, h := imageSize(r, size, t.mime)
	if w > maxImageSide || h > maxImageSide {
		return srcErr("Image too large", "%q is %d×%d px; Misskey stores an image wider or taller than %d px as application/octet-stream, which its default role policy refuses (UNALLOWED_FILE_TYPE). Hint: scale the image down.", p, w, h, maxImageSide)
	}
	return nil
}

// imageSize reads an image's dimensions from its header; 0, 0 when it
// cannot.
func imageSize(r io.ReaderAt, size int64, mime string) (int, int) {
	b := make([]byte, 30)
	n, _ := r.ReadAt(b, 0)
	b = b[:n]
	switch mime {
	case "image/png", "image/apng":
		if len(b) >= 24 && string(b[12:16]) == "IHDR" {
			return int(binary.BigEndian.Uint32(b[16:20])), int(binary.BigEndian.Uint32(b[20:24]))
		}
	case "image/gif":
		if len(b) >= 10 {
			return int(binary.LittleEndian.Uint16(b[6:8])), int(binary.LittleEndian.Uint16(b[8:10]))
		}
	case "image/bmp":
		if len(b) >= 26 {
			if binary.LittleEndian.Uint32(b[14:18]) == 12 { // BITMAPCOREHEADER
				return int(binary.LittleEndian.Uint16(b[18:20])), int(binary.LittleEndian.Uint16(b[20:22]))
			}
			w := int(int32(binary.LittleEndian.Uint32(b[18:22])))
			h := int(int32(binary.LittleEndian.Uint32(b[22:26])))
			return max(w, -w), max(h, -h) // a top-down BMP has a negative height
		}
	case "image/webp":
		return webpSize(b)
	case "image/jpeg":
		return jpegSize(r, size)
	}
	return 0, 0
}

// jpegSize walks a JPEG's segments to its frame header (SOFn).
func jpegSize(r io.ReaderAt, size int64) (int, int) {
	pos := int64(2)
	h := make([]byte, 9)
	for i := 0; i < 10000 && pos+4 <= size; i++ {
		if n, _ := r.ReadAt(h, pos); n < 4 {
			return 0, 0
		}
		if h[0] != 0xFF {
			return 0, 0
		}
		marker := h[1]
		switch {
		case marker == 0xFF: // fill byte
			pos++
			continue
		case marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7):
			pos += 2 // no length
			continue
		case marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC:
			if n, _ := r.ReadAt(h, pos); n < 9 {
				return 0, 0
			}
			return int(binary.BigEndian.Uint16(h[7:9])), int(binary.BigEndian.Uint16(h[5:7]))
		}
		pos += 2 + int64(binary.BigEndian.Uint16(h[2:4]))
	}
	return 0, 0
}

// webpSize reads the canvas size from a WebP's first chunk (b is the
// file's first 30 bytes).
func webpSize(b []byte) (int, int) {
	if len(b) < 30 {
		return 0, 0
	}
	switch string(b[12:16]) {
	case "VP8 ":
		return int(binary.LittleEndian.Uint16(b[26:28]) & 0x3FFF), int(binary.LittleEndian.Uint16(b[28:30]) & 0x3FFF)
	case "VP8L":
		v := binary.LittleEndian.Uint32(b[21:25])
		return int(v&0x3FFF) + 1, int(v>>14&0x3FFF) + 1
	case "VP8X":
		w := int(b[24]) | int(b[25])<<8 | int(b[26])<<16
		h := int(b[27]) | int(b[28])<<8 | int(b[29])<<16
		return w + 1, h + 1
	}
	return 0, 0
}
