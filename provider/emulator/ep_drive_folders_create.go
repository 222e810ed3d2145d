package emulator

// drive/folders/create — ep/drive/folders/create.ts: 10 an hour. The name
// defaults to "Untitled" (the schema default); duplicates are allowed. The
// schema allows 200 characters but the column holds 128: a longer name
// passes validation and fails in the database with a 500 (sample 32).
func init() { register("drive/folders/create", perHour(10), handleDriveFoldersCreate) }

var errCreateFolderNoSuchFolder = clientError("NO_SUCH_FOLDER", "53326628-a00d-40a6-a3cd-8975105c0f95", "No such folder.")

func handleDriveFoldersCreate(c *call) (any, *apiError) {
	name, _ := c.str("name")
	var parentID *string
	if id, ok := c.str("parentId"); ok && id != "" {
		parent := c.e.st.ownFolder(id, c.me.ID)
		if parent == nil {
			return nil, errCreateFolderNoSuchFolder
		}
		parentID = &parent.ID
	}
	if apiErr := errFolderNameTooLong(name); apiErr != nil {
		return nil, apiErr
	}
	f := &DriveFolder{ID: c.e.st.IDs.next(c.now), CreatedAt: c.now, UserID: c.me.ID, Name: name, ParentID: parentID}
	c.e.st.DriveFolders = append(c.e.st.DriveFolders, f)
	return c.e.packDriveFolder(f, false), nil
}
