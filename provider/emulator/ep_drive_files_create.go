package emulator

import (
	"net/http"
	"strings"
	"time"
)

// drive/files/create — ep/drive/files/create.ts and DriveService.addFile:
// upload a file (multipart, upload.go); 120 an hour, counted before
// anything else, so a refused or deduplicated upload counts too.
//
// The name is the field "name", else the part's filename; trimmed, and ""
// or "blob" mean none. The stored name gets the sniffed extension appended
// when it does not end with it (photo.jpg of PNG bytes → photo.jpg.png; no
// name → untitled.png). Without force, bytes the user already has return
// that file unchanged — only isSensitive true marks it sensitive — before
// any type, size, capacity or folder check. An unknown or foreign folderId
// is an uncaught error: 500 INTERNAL_ERROR without info.
func init() { register("drive/files/create", perHour(120), handleDriveFilesCreate) }

var (
	errCreateInvalidFileName = clientError("INVALID_FILE_NAME", "f449b209-0c60-4e51-84d5-29486263bfd4", "Invalid file name.")
	errNoFreeSpace           = clientError("NO_FREE_SPACE", "d08dbc37-a6a9-463a-8c47-96c32ab5f064", "Cannot upload the file because you have no free space of drive.")
	errMaxFileSizeExceeded   = &apiError{Code: "MAX_FILE_SIZE_EXCEEDED", ID: "b9d8c348-33f0-4673-b9a9-5d4da058977a",
		Message: "Cannot upload the file because it exceeds the maximum file size.", Kind: "client", Status: http.StatusRequestEntityTooLarge}
	errUnallowedFileType = clientError("UNALLOWED_FILE_TYPE", "4becd248-7f2c-48c4-a9f0-75edc4f9a1ea", "Cannot upload the file because it is an unallowed file type.")
	// errUploadFailed is `throw new ApiError()`: what create.ts makes of
	// any other failure (an unknown folder).
	errUploadFailed = &apiError{Code: "INTERNAL_ERROR", ID: "5d37dbcb-891e-41ca-a3d6-e690c97775ac",
		Message: "Internal error occurred. Please contact us if the error persists.", Kind: "server"}
)

func handleDriveFilesCreate(c *call) (any, *apiError) {
	st := c.e.st
	up := c.upload
	name := up.name // ps.name ?? file.name
	if s, ok := c.str("name"); ok {
		name = &s
	}
	if name != nil {
		t := jsTrim(*name)
		switch {
		case t == "" || t == "blob":
			name = nil
		case !validFileName(t):
			return nil, errCreateInvalidFileName
		default:
			name = &t
		}
	}
	force, _ := c.boolean("force")
	sensitive, _ := c.boolean("isSensitive")

	if !force {
		if same := st.filesWithMD5(c.me.ID, up.md5); len(same) > 0 {
			f := same[0]
			if sensitive && !f.IsSensitive {
				f.IsSensitive = true
			}
			return c.e.packDriveFile(f, fileView{}), nil
		}
	}

	info := detectFile(up.data, name)
	size := int64(len(up.data))
	if !c.me.isModerator() { // moderators skip the type, size and capacity checks
		if !typeAllowed(c.me.policies()["uploadableFileTypes"], info.mime) {
			return nil, errUnallowedFileType
		}
		if float64(size) > c.me.policyNumber("maxFileSizeMb")*1024*1024 {
			return nil, errMaxFileSizeExceeded
		}
		if float64(st.driveUsage(c.me.ID)+size) > c.me.policyNumber("driveCapacityMb")*1024*1024 {
			return nil, errNoFreeSpace
		}
	}
	var folder *string
	if id, ok := c.str("folderId"); ok && id != "" {
		f := st.ownFolder(id, c.me.ID)
		if f == nil {
			return nil, errUploadFailed
		}
		folder = &f.ID
	}
	stored := "untitled"
	if name != nil {
		stored = *name
	}
	f := st.storeFile(c.me, folder, correctFilename(stored, info.ext), up.data, up.md5, info, c.now)
	f.Comment = c.optStr("comment")
	f.IsSensitive = sensitive || c.me.AlwaysMarkNsfw || c.me.policyBool("alwaysMarkNsfw")
	return c.e.packDriveFile(f, fileView{}), nil
}

// typeAllowed is addFile's test of policy uploadableFileTypes.
func typeAllowed(policy any, mime string) bool {
	list, _ := policy.([]any)
	for _, x := range list {
		t, _ := x.(string)
		switch {
		case t == "*" || t == "*/*":
			return true
		case strings.HasSuffix(t, "/*") && strings.HasPrefix(mime, t[:len(t)-1]):
			return true
		case t == mime:
			return true
		}
	}
	return false
}

// storeFile inserts a drive_file row for content already sniffed.
func (s *state) storeFile(u *User, folder *string, name string, data []byte, sum string, info fileInfo, now time.Time) *DriveFile {
	f := &DriveFile{
		ID: s.IDs.next(now), CreatedAt: now, UserID: u.ID, FolderID: folder, Name: name,
		Type: info.mime, MD5: sum, Size: int64(len(data)), Width: info.width, Height: info.height, Orientation: info.orientation,
		AccessKey: newUUID(), Data: data,
	}
	if hasWebpublic(info, data) {
		f.WebpublicKey = "webpublic-" + newUUID()
	}
	if hasThumbnail(info.mime) {
		f.ThumbnailKey = "thumbnail-" + newUUID()
	}
	if blurhashTypes[info.mime] {
		b := fakeBlurhash(sum)
		f.Blurhash = &b
	}
	s.DriveFiles = append(s.DriveFiles, f)
	return f
}

// thumbnailFallback is 'sharp-convertible-image': without a thumbnail,
// getThumbnailUrl gives the image's own public URL.
var thumbnailFallback = map[string]bool{
	"image/jpeg": true, "image/tiff": true, "image/png": true, "image/gif": true, "image/apng": true,
	"image/vnd.mozilla.apng": true, "image/webp": true, "image/avif": true, "image/svg+xml": true,
}

// hasThumbnail: DriveService.generateAlts makes a thumbnail of what sharp
// reads ('sharp-convertible-image-with-bmp'). Of a video it makes one with
// ffmpeg, when installed and the video plays; the server the conformance
// test runs against makes none (thumbnailUrl null, as without an external
// videoThumbnailGenerator), and neither does the emulator.
func hasThumbnail(mime string) bool {
	switch mime {
	case "image/jpeg", "image/tiff", "image/png", "image/gif", "image/apng", "image/vnd.mozilla.apng",
		"image/webp", "image/avif", "image/svg+xml", "image/x-icon", "image/bmp":
		return true
	}
	return false
}

const base83 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~"

// fakeBlurhash stands for the blurhash the server computes from the pixels
// (sharp, 5×5 components: 54 characters): same form, derived from the md5.
// Compare blurhashes by presence, never by value.
func fakeBlurhash(sum string) string {
	out := []byte("e")
	for i := 0; len(out) < 54; i++ {
		out = append(out, base83[(int(sum[i%len(sum)])*7+i)%83])
	}
	return string(out)
}

// newUUID is a random (v4) UUID, as the server names stored files.
func newUUID() string { return newErrorID() }
