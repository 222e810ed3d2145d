package emulator

import (
	"crypto/md5"
	"encoding/hex"
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

// DriveFile is a drive_file row, reduced to what folders and notes need:
// the emulator has no uploads, files come from AddDriveFile.
type DriveFile struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"createdAt"`
	UserID    string    `json:"userId"`
	FolderID  *string   `json:"folderId"`
	Name      string    `json:"name"`
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

// packDriveFile is DriveFileEntityService.pack of a file without content:
// an empty octet stream.
func (e *Emulator) packDriveFile(f *DriveFile) map[string]any {
	sum := md5.Sum(nil)
	return map[string]any{
		"id":           f.ID,
		"createdAt":    jsDate(f.CreatedAt),
		"name":         f.Name,
		"type":         "application/octet-stream",
		"md5":          hex.EncodeToString(sum[:]),
		"size":         0,
		"isSensitive":  false,
		"blurhash":     nil,
		"properties":   map[string]any{},
		"url":          e.opts.URL + "/files/" + f.ID,
		"thumbnailUrl": nil,
		"comment":      nil,
		"folderId":     optString(f.FolderID),
		"folder":       nil,
		"userId":       f.UserID,
		"user":         nil,
	}
}
