package schema

import (
	"fmt"
	"strings"
)

// Helpers for `mkctl export` (package schema/export) about drive files:
// the rules a drive_file block and avatar/banner are checked with, so that
// export declares only files that Load accepts as they are.

// MaxFileName and MaxFileComment are the limits of a drive_file's name
// (UTF-16 code units, as JavaScript counts) and comment (code points).
const (
	MaxFileName    = maxFileName
	MaxFileComment = maxFileComment
)

// FileNameProblem says why a drive_file block cannot be labelled name
// (checkFileName's rules: Misskey refuses it or stores it under another
// name), "" when it can.
func FileNameProblem(name string) string {
	switch fileNameFaultOf(name) {
	case fileNameEmpty:
		return "its name is empty or only white space"
	case fileNameSlash:
		return "its name contains \"/\", which mkctl uses to separate folders"
	case fileNameBackslash:
		return "its name contains \"\\\", which Misskey refuses in new file names"
	case fileNameDotDot:
		return "its name contains \"..\", which Misskey refuses in new file names"
	case fileNameSpace:
		return "its name starts or ends with white space, which Misskey trims from new file names"
	case fileNameBlob:
		return "Misskey does not keep the name \"blob\" for a new file"
	case fileNameNUL:
		return "its name contains a NUL character"
	case fileNameLong:
		return fmt.Sprintf("its name is %d characters long, more than the %d Misskey accepts", fileNameLen(name), maxFileName)
	}
	return ""
}

// CorrectFilename is the name Misskey stores a file uploaded as name
// under, for the extension ext (DetectedExt) its content has: name when it
// already ends with it, else name with it appended.
func CorrectFilename(name, ext string) string { return correctFilename(name, ext) }

// DefaultUploadable reports whether Misskey's default role policy accepts
// a file of type mime (uploadableFileTypes: text/*, image/*, video/*,
// audio/*, application/json); for other types Load checks neither the
// name's extension nor refuses the block (it warns).
func DefaultUploadable(mime string) bool { return defaultUploadable(mime) }

// CheckSourceFile reads the file p (relative to dir) as a drive_file block
// named name would read it as its source — or, with name "", as avatar or
// banner — and returns its md5, size and detected type, and why Load would
// refuse it ("" when it would not): an unreadable or unrecognised file, a
// name Misskey would store with an extension appended, an avatar or banner
// that is not an image.
func CheckSourceFile(dir, p, name string) (md5 string, size int64, mime, problem string) {
	src, ext, err := loadFileSource(dir, p, name)
	if err != nil {
		return src.MD5, src.Size, src.Type, err.detail
	}
	if name == "" {
		if !strings.HasPrefix(src.Type, "image/") {
			return src.MD5, src.Size, src.Type, fmt.Sprintf("mkctl detects its content as %s, not an image", src.Type)
		}
		return src.MD5, src.Size, src.Type, ""
	}
	if src.Type == octetStream {
		return src.MD5, src.Size, src.Type, "mkctl does not recognise its content (application/octet-stream)"
	}
	if defaultUploadable(src.Type) {
		if stored := correctFilename(name, ext); stored != name {
			return src.MD5, src.Size, src.Type, fmt.Sprintf("mkctl detects its content as %s, so a file of that name would be stored as %q", src.Type, stored)
		}
	}
	return src.MD5, src.Size, src.Type, ""
}
