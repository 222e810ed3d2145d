package emulator

import (
	"fmt"
	"slices"
	"strings"
)

// The drive file endpoints other than create (ep/drive.ts, ep/drive/
// stream.ts, ep/drive/files.ts and ep/drive/files/*). None is rate limited.
func init() {
	register("drive", nil, handleDrive)
	register("drive/files", nil, handleDriveFiles)
	register("drive/stream", nil, handleDriveStream)
	register("drive/files/find", nil, handleDriveFilesFind)
	register("drive/files/find-by-hash", nil, handleDriveFilesFindByHash)
	register("drive/files/check-existence", nil, handleDriveFilesCheckExistence)
	register("drive/files/show", nil, handleDriveFilesShow)
	register("drive/files/update", nil, handleDriveFilesUpdate)
	register("drive/files/delete", nil, handleDriveFilesDelete)
	register("drive/files/attached-notes", nil, handleDriveFilesAttachedNotes)
	register("drive/files/move-bulk", nil, handleDriveFilesMoveBulk)
}

var (
	errShowNoSuchFile      = clientError("NO_SUCH_FILE", "067bc436-2718-4795-b0fb-ecbe43949e31", "No such file.")
	errShowAccessDenied    = clientError("ACCESS_DENIED", "25b73c73-68b1-41d0-bad1-381cfdf6579f", "Access denied.")
	errUpdateInvalidName   = clientError("INVALID_FILE_NAME", "395e7156-f9f0-475e-af89-53c3c23080c2", "Invalid file name.")
	errUpdateNoSuchFile    = clientError("NO_SUCH_FILE", "e7778c7e-3af9-49cd-9690-6dbc3e6c972d", "No such file.")
	errUpdateAccessDenied  = clientError("ACCESS_DENIED", "01a53b27-82fc-445b-a0c1-b558465a8ed2", "Access denied.")
	errUpdateNoSuchFolder  = clientError("NO_SUCH_FOLDER", "ea8fb7a5-af77-4a08-b608-c0218176cd73", "No such folder.")
	errUpdateRestricted    = clientError("RESTRICTED_BY_ROLE", "7f59dccb-f465-75ab-5cf4-3ce44e3282f7", "This feature is restricted by your role.")
	errDeleteNoSuchFile    = clientError("NO_SUCH_FILE", "908939ec-e52b-4458-b395-1025195cea58", "No such file.")
	errDeleteAccessDenied  = clientError("ACCESS_DENIED", "5eb8d909-2540-4970-90b8-dd6f86088121", "Access denied.")
	errAttachedNoSuchFile  = clientError("NO_SUCH_FILE", "c118ece3-2e4b-4296-99d1-51756e32d232", "No such file.")
	updateValuesMissingMsg = `Cannot perform update query because update values are not defined. Call "qb.set(...)" method to specify updated values.`
)

// drive: the capacity (policy driveCapacityMb) and usage, in bytes.
func handleDrive(c *call) (any, *apiError) {
	return map[string]any{
		"capacity": c.me.policyNumber("driveCapacityMb") * 1024 * 1024,
		"usage":    c.e.st.driveUsage(c.me.ID),
	}, nil
}

// typeMatches is the `type` filter: "x/*" a prefix (LIKE 'x/%'), anything
// else exact. api.json's pattern allows no digits, "+" or ".".
func typeMatches(f *DriveFile, filter string) bool {
	if filter == "" {
		return true
	}
	if strings.HasSuffix(filter, "/*") {
		return strings.HasPrefix(f.mime(), strings.TrimSuffix(filter, "*"))
	}
	return f.mime() == filter
}

// drive/files: the files directly in folderId (null: the root). A sort
// replaces the cursor's ordering and is inverted: "+createdAt" is newest
// first, "+name" and "+size" descending.
func handleDriveFiles(c *call) (any, *apiError) {
	folder := c.optStr("folderId")
	filter, _ := c.str("type")
	var rows []*DriveFile
	for _, f := range c.e.st.DriveFiles {
		if f.UserID == c.me.ID && sameParent(f.FolderID, folder) && typeMatches(f, filter) {
			rows = append(rows, f)
		}
	}
	sortKey, _ := c.str("sort")
	if sortKey != "" {
		rows = cursorWindow(c, rows, func(f *DriveFile) string { return f.ID })
		var cmp func(a, b *DriveFile) int
		switch strings.TrimLeft(sortKey, "+-") {
		case "createdAt":
			cmp = func(a, b *DriveFile) int { return compareIDs(a.ID, b.ID) }
		case "name":
			cmp = func(a, b *DriveFile) int { return strings.Compare(a.Name, b.Name) }
		case "size":
			cmp = func(a, b *DriveFile) int { return int(a.Size - b.Size) }
		}
		slices.SortStableFunc(rows, func(a, b *DriveFile) int {
			if sortKey[0] == '+' {
				return -cmp(a, b)
			}
			return cmp(a, b)
		})
		rows = limitRows(c, rows)
	} else {
		rows = paginate(c, rows, func(f *DriveFile) string { return f.ID })
	}
	return c.e.packFiles(rows, fileView{withUserID: true}), nil
}

// drive/stream: all the caller's files, whatever their folder.
func handleDriveStream(c *call) (any, *apiError) {
	filter, _ := c.str("type")
	var rows []*DriveFile
	for _, f := range c.e.st.DriveFiles {
		if f.UserID == c.me.ID && typeMatches(f, filter) {
			rows = append(rows, f)
		}
	}
	return c.e.packFiles(paginate(c, rows, func(f *DriveFile) string { return f.ID }), fileView{withUserID: true}), nil
}

func (e *Emulator) packFiles(rows []*DriveFile, v fileView) []any {
	out := make([]any, 0, len(rows))
	for _, f := range rows {
		out = append(out, e.packDriveFile(f, v))
	}
	return out
}

// drive/files/find: the files named exactly name in folderId (null: the
// root), no defined order.
func handleDriveFilesFind(c *call) (any, *apiError) {
	name, _ := c.str("name")
	folder := c.optStr("folderId")
	var rows []*DriveFile
	for _, f := range c.e.st.DriveFiles {
		if f.UserID == c.me.ID && f.Name == name && sameParent(f.FolderID, folder) {
			rows = append(rows, f)
		}
	}
	return c.e.packFiles(rows, fileView{withUserID: true}), nil
}

// filesByHash are the caller's files with the md5 parameter.
func (c *call) filesByHash() []*DriveFile {
	sum, _ := c.str("md5")
	return c.e.st.filesWithMD5(c.me.ID, sum)
}

// filesWithMD5 are the user's files with that md5 (an exact, case-sensitive
// match), in table order: find-by-hash, check-existence and the duplicate
// an upload without force returns.
func (s *state) filesWithMD5(userID, sum string) []*DriveFile {
	var rows []*DriveFile
	for _, f := range s.DriveFiles {
		if f.UserID == userID && f.md5() == sum {
			rows = append(rows, f)
		}
	}
	return rows
}

func handleDriveFilesFindByHash(c *call) (any, *apiError) {
	return c.e.packFiles(c.filesByHash(), fileView{withUserID: true}), nil
}

func handleDriveFilesCheckExistence(c *call) (any, *apiError) {
	return len(c.filesByHash()) > 0, nil
}

// drive/files/show {fileId} or {url}: the url, thumbnailUrl (or
// webpublicUrl) of a file finds it too. Someone else's file is
// ACCESS_DENIED, except for a moderator (also in update and delete).
func handleDriveFilesShow(c *call) (any, *apiError) {
	var file *DriveFile
	if id, ok := c.str("fileId"); ok {
		file = c.e.st.driveFile(id)
	} else if u, ok := c.str("url"); ok {
		for _, f := range c.e.st.DriveFiles {
			if c.e.fileURL(f) == u || (f.ThumbnailKey != "" && c.e.opts.URL+"/files/"+f.ThumbnailKey == u) ||
				(f.WebpublicKey != "" && c.e.opts.URL+"/files/"+f.WebpublicKey == u) {
				file = f
				break
			}
		}
	}
	if apiErr := c.fileAccess(file, errShowNoSuchFile, errShowAccessDenied); apiErr != nil {
		return nil, apiErr
	}
	return c.e.packDriveFile(file, fileView{withUserID: true, detail: true, withUser: true}), nil
}

// fileAccess is the check drive/files/show, update and delete make on the
// file they found: none is noSuchFile, someone else's is accessDenied
// unless the caller is a moderator.
func (c *call) fileAccess(file *DriveFile, noSuchFile, accessDenied *apiError) *apiError {
	if file == nil {
		return noSuchFile
	}
	if file.UserID != c.me.ID && !c.me.isModerator() {
		return accessDenied
	}
	return nil
}

// drive/files/update — DriveService.updateFile: the name is neither
// trimmed nor given an extension; alwaysMarkNsfw forbids un-marking; a
// request with nothing to change reaches the database as an empty UPDATE
// (500 UpdateValuesMissingError).
func handleDriveFilesUpdate(c *call) (any, *apiError) {
	id, _ := c.str("fileId")
	file := c.e.st.driveFile(id)
	if apiErr := c.fileAccess(file, errUpdateNoSuchFile, errUpdateAccessDenied); apiErr != nil {
		return nil, apiErr
	}
	owner := c.e.st.user(file.UserID)
	name, hasName := c.str("name")
	if hasName && !validFileName(name) {
		return nil, errUpdateInvalidName
	}
	sensitive, hasSensitive := c.boolean("isSensitive")
	if hasSensitive && sensitive != file.IsSensitive && owner.policyBool("alwaysMarkNsfw") && !sensitive {
		return nil, errUpdateRestricted
	}
	var folder *string
	if fid, ok := c.str("folderId"); ok {
		f := c.e.st.ownFolder(fid, file.UserID)
		if f == nil {
			return nil, errUpdateNoSuchFolder
		}
		folder = &f.ID
	}
	if !hasName && !hasSensitive && !c.has("folderId") && !c.has("comment") {
		return nil, internalError(updateValuesMissingMsg, "UpdateValuesMissingError", newErrorID())
	}
	if hasName {
		file.Name = name
	}
	if hasSensitive {
		file.IsSensitive = sensitive
	}
	if c.has("folderId") {
		file.FolderID = folder
	}
	if c.has("comment") {
		file.Comment = c.optStr("comment")
	}
	return c.e.packDriveFile(file, fileView{}), nil
}

// drive/files/delete: 204. The database's foreign keys null the owner's
// avatarId and bannerId (ON DELETE SET NULL); notes keep the id in fileIds
// but no longer list the file in files.
func handleDriveFilesDelete(c *call) (any, *apiError) {
	id, _ := c.str("fileId")
	file := c.e.st.driveFile(id)
	if apiErr := c.fileAccess(file, errDeleteNoSuchFile, errDeleteAccessDenied); apiErr != nil {
		return nil, apiErr
	}
	c.e.st.deleteFile(file)
	return nil, nil
}

func (s *state) deleteFile(file *DriveFile) {
	s.DriveFiles = slices.DeleteFunc(s.DriveFiles, func(f *DriveFile) bool { return f.ID == file.ID })
	for _, u := range s.Users {
		if u.AvatarID != nil && *u.AvatarID == file.ID {
			u.AvatarID = nil
		}
		if u.BannerID != nil && *u.BannerID == file.ID {
			u.BannerID = nil
		}
	}
}

// drive/files/attached-notes: every note whose fileIds hold the caller's
// file, whoever wrote it, paginated.
func handleDriveFilesAttachedNotes(c *call) (any, *apiError) {
	id, _ := c.str("fileId")
	file := c.e.st.ownFile(id, c.me.ID)
	if c.me.isModerator() {
		file = c.e.st.driveFile(id)
	}
	if file == nil {
		return nil, errAttachedNoSuchFile
	}
	var rows []*Note
	for _, n := range c.e.st.Notes {
		if slices.Contains(n.FileIDs, file.ID) {
			rows = append(rows, n)
		}
	}
	out := []any{}
	for _, n := range paginate(c, rows, func(n *Note) string { return n.ID }) {
		out = append(out, c.e.packNote(n, c.me, true))
	}
	return out, nil
}

// drive/files/move-bulk: 204; ids that are not the caller's are skipped.
// An unknown or foreign folder fails findOneByOrFail: 500.
func handleDriveFilesMoveBulk(c *call) (any, *apiError) {
	var folder *string
	if fid, ok := c.str("folderId"); ok {
		f := c.e.st.ownFolder(fid, c.me.ID)
		if f == nil {
			msg := fmt.Sprintf("Could not find any entity of type \"MiDriveFolder\" matching: {\n    \"id\": \"%s\",\n    \"userId\": \"%s\"\n}", fid, c.me.ID)
			return nil, internalError(msg, "EntityNotFoundError", newErrorID())
		}
		folder = &f.ID
	}
	ids := c.strings("fileIds")
	for _, f := range c.e.st.DriveFiles {
		if f.UserID == c.me.ID && slices.Contains(ids, f.ID) {
			f.FolderID = folder
		}
	}
	return nil, nil
}
