package emulator

// drive/folders/show — ep/drive/folders/show.ts: one of the caller's
// folders, detailed (foldersCount, filesCount, and the parent chain).
func init() { register("drive/folders/show", nil, handleDriveFoldersShow) }

var errShowFolderNoSuchFolder = clientError("NO_SUCH_FOLDER", "d74ab9eb-bb09-4bba-bf24-fb58f761e1e9", "No such folder.")

func handleDriveFoldersShow(c *call) (any, *apiError) {
	id, _ := c.str("folderId")
	f := c.e.st.ownFolder(id, c.me.ID)
	if f == nil {
		return nil, errShowFolderNoSuchFolder
	}
	return c.e.packDriveFolder(f, true), nil
}
