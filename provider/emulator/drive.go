package emulator

import (
	"crypto/md5"
	"encoding/hex"
	"net/url"
	"time"
	"unicode/utf8"
)

// DriveFolder is a drive_folder row.
type DriveFolder struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"createdAt"`
	UserID    string    `json:"userId"`
	Name      string    `json:"name"`
	ParentID  *string   `json:"parentId"` // nil: the drive's root
}

// DriveFile is a drive_file row: what drive/files/create stored
// (ep_drive_files_create.go) or AddDriveFile made. The emulator hands out
// copies (FilesOf).
type DriveFile struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"createdAt"`
	UserID    string    `json:"userId"`
	FolderID  *string   `json:"folderId"`
	Name      string    `json:"name"`
	// Type is the MIME type sniffed from the content; "" in states saved
	// before the emulator had uploads, which stands for an empty
	// application/octet-stream file.
	Type        string  `json:"type,omitempty"`
	MD5         string  `json:"md5,omitempty"` // lower-case hex of Data
	Size        int64   `json:"size"`
	IsSensitive bool    `json:"isSensitive"`
	Comment     *string `json:"comment"`
	Blurhash    *string `json:"blurhash"`
	// Width and Height are properties.width/height of an image (0: none),
	// Orientation its EXIF orientation (0: none).
	Width       int `json:"width,omitempty"`
	Height      int `json:"height,omitempty"`
	Orientation int `json:"orientation,omitempty"`
	// AccessKey names the file under /files/ (url); ThumbnailKey its
	// thumbnail ("": none, thumbnailUrl null); WebpublicKey the copy
	// others see ("": none, they see the original).
	AccessKey    string `json:"accessKey,omitempty"`
	ThumbnailKey string `json:"thumbnailKey,omitempty"`
	WebpublicKey string `json:"webpublicKey,omitempty"`
	// Data is the uploaded content, unchanged.
	Data []byte `json:"data,omitempty"`
}

// snapshot is the copy the emulator hands out.
func (f *DriveFile) snapshot() *DriveFile {
	c := *f
	c.Data = append([]byte(nil), f.Data...)
	return &c
}

// mime is the file's type ("" stands for an empty octet stream).
func (f *DriveFile) mime() string {
	if f.Type == "" {
		return typeOctetStream
	}
	return f.Type
}

func (f *DriveFile) md5() string {
	if f.MD5 == "" {
		sum := md5.Sum(f.Data)
		return hex.EncodeToString(sum[:])
	}
	return f.MD5
}

// driveFolderNameColumn is drive_folder.name's varchar(128): the API
// schema allows 200 characters, the database does not.
const driveFolderNameColumn = 128

// errFolderNameTooLong is the database's refusal of a longer name, which
// ApiCallService turns into INTERNAL_ERROR (sample 32). PostgreSQL counts
// characters, not bytes or UTF-16 units.
func errFolderNameTooLong(name string) *apiError {
	if utf8.RuneCountInString(name) <= driveFolderNameColumn {
		return nil
	}
	return internalError("value too long for type character varying(128)", "QueryFailedError", newErrorID())
}

func (s *state) driveFolder(id string) *DriveFolder {
	for _, f := range s.DriveFolders {
		if f.ID == id {
			return f
		}
	}
	return nil
}

// ownFolder is `driveFoldersRepository.findOneBy({id, userId})`.
func (s *state) ownFolder(id, userID string) *DriveFolder {
	if f := s.driveFolder(id); f != nil && f.UserID == userID {
		return f
	}
	return nil
}

func (s *state) driveFile(id string) *DriveFile {
	for _, f := range s.DriveFiles {
		if f.ID == id {
			return f
		}
	}
	return nil
}

// ownFile is `driveFilesRepository.findOneBy({id, userId})`.
func (s *state) ownFile(id, userID string) *DriveFile {
	if f := s.driveFile(id); f != nil && f.UserID == userID {
		return f
	}
	return nil
}

// driveUsage is DriveFileEntityService.calcDriveUsageOf: the sum of the
// user's file sizes.
func (s *state) driveUsage(userID string) int64 {
	var n int64
	for _, f := range s.DriveFiles {
		if f.UserID == userID {
			n += f.Size
		}
	}
	return n
}

// childCounts counts a folder's direct subfolders and files.
func (s *state) childCounts(folderID string) (folders, files int) {
	for _, f := range s.DriveFolders {
		if f.ParentID != nil && *f.ParentID == folderID {
			folders++
		}
	}
	for _, f := range s.DriveFiles {
		if f.FolderID != nil && *f.FolderID == folderID {
			files++
		}
	}
	return folders, files
}

func sameParent(a, b *string) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// packDriveFolder is DriveFolderEntityService.pack. With detail it adds
// the counts and, only when there is a parent, the parent (detailed,
// recursively).
func (e *Emulator) packDriveFolder(f *DriveFolder, detail bool) map[string]any {
	m := map[string]any{
		"id":        f.ID,
		"createdAt": jsDate(f.CreatedAt),
		"name":      f.Name,
		"parentId":  optString(f.ParentID),
	}
	if detail {
		folders, files := e.st.childCounts(f.ID)
		m["foldersCount"], m["filesCount"] = folders, files
		if f.ParentID != nil {
			if p := e.st.driveFolder(*f.ParentID); p != nil {
				m["parent"] = e.packDriveFolder(p, true)
			}
		}
	}
	return m
}

// fileURL is the file's url: the original, under /files/.
func (e *Emulator) fileURL(f *DriveFile) string {
	key := f.AccessKey
	if key == "" {
		key = f.ID
	}
	return e.opts.URL + "/files/" + key
}

// publicURL is DriveFileEntityService.getPublicUrl: the webpublic copy,
// else the original.
func (e *Emulator) publicURL(f *DriveFile) string {
	if f.WebpublicKey != "" {
		return e.opts.URL + "/files/" + f.WebpublicKey
	}
	return e.fileURL(f)
}

// avatarProxyURL is DriveFileEntityService.getPublicUrl(file, 'avatar'):
// the media proxy's avatar.webp of the file's public URL.
func (e *Emulator) avatarProxyURL(f *DriveFile) string {
	return e.opts.URL + "/proxy/avatar.webp?url=" + url.QueryEscape(e.publicURL(f)) + "&avatar=1"
}

// fileView is how a DriveFile is packed (DriveFileEntityService):
// withUserID sets userId (pack with withUser, or packNullable — listings,
// find-by-hash, notes); detail adds the detailed folder (show); public is
// a pack without self (a note's files): the webpublic url, and the
// orientation applied to the dimensions.
type fileView struct {
	withUserID bool
	detail     bool
	withUser   bool
	public     bool
}

// packDriveFile is DriveFileEntityService.pack/packNullable.
func (e *Emulator) packDriveFile(f *DriveFile, v fileView) map[string]any {
	props := map[string]any{}
	if f.Width > 0 {
		props["width"], props["height"] = f.Width, f.Height
	}
	fileURL := e.fileURL(f)
	if f.Orientation != 0 {
		props["orientation"] = f.Orientation
	}
	if v.public {
		// getPublicProperties: orientations 5–8 turn the image.
		if f.Orientation >= 5 {
			props["width"], props["height"] = f.Height, f.Width
		}
		delete(props, "orientation")
		fileURL = e.publicURL(f)
	}
	var thumb any
	if f.ThumbnailKey != "" {
		thumb = e.opts.URL + "/files/" + f.ThumbnailKey
	} else if thumbnailFallback[f.mime()] {
		thumb = e.publicURL(f) // getThumbnailUrl: an image sharp reads stands for its own thumbnail
	}
	m := map[string]any{
		"id":           f.ID,
		"createdAt":    jsDate(f.CreatedAt),
		"name":         f.Name,
		"type":         f.mime(),
		"md5":          f.md5(),
		"size":         f.Size,
		"isSensitive":  f.IsSensitive,
		"blurhash":     optString(f.Blurhash),
		"properties":   props,
		"url":          fileURL,
		"thumbnailUrl": thumb,
		"comment":      optString(f.Comment),
		"folderId":     optString(f.FolderID),
		"folder":       nil,
		"userId":       nil,
		"user":         nil,
	}
	if v.withUserID {
		m["userId"] = f.UserID
	}
	if v.detail && f.FolderID != nil {
		if folder := e.st.driveFolder(*f.FolderID); folder != nil {
			m["folder"] = e.packDriveFolder(folder, true)
		}
	}
	if v.withUser {
		if u := e.st.user(f.UserID); u != nil {
			m["user"] = e.packLite(u)
		}
	}
	return m
}
