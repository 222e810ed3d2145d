package emulator

import "slices"

// drive/folders/delete — ep/drive/folders/delete.ts: delete an empty
// folder; 204. There is no recursive delete: a folder holding files or
// folders is refused (sample 31).
func init() { register("drive/folders/delete", nil, handleDriveFoldersDelete) }

var (
	errDeleteFolderNoSuchFolder = clientError("NO_SUCH_FOLDER", "1069098f-c281-440f-b085-f9932edbe091", "No such folder.")
	errHasChildFilesOrFolders   = clientError("HAS_CHILD_FILES_OR_FOLDERS", "b0fc8a17-963c-405d-bfbc-859a487295e1", "This folder has child files or folders.")
)

func handleDriveFoldersDelete(c *call) (any, *apiError) {
	id, _ := c.str("folderId")
	f := c.e.st.ownFolder(id, c.me.ID)
	if f == nil {
		return nil, errDeleteFolderNoSuchFolder
	}
	if folders, files := c.e.st.childCounts(f.ID); folders != 0 || files != 0 {
		return nil, errHasChildFilesOrFolders
	}
	c.e.st.DriveFolders = slices.DeleteFunc(c.e.st.DriveFolders, func(x *DriveFolder) bool { return x == f })
	return nil, nil
}
