package emulator

// drive/folders/update — ep/drive/folders/update.ts: rename and/or move a
// folder. An empty or absent name is ignored; parentId null moves it to the
// root; a parent inside the folder itself is RECURSIVE_NESTING. A name
// over 128 characters fails in the database like on create.
func init() { register("drive/folders/update", nil, handleDriveFoldersUpdate) }

var (
	errUpdateFolderNoSuchFolder = clientError("NO_SUCH_FOLDER", "f7974dac-2c0d-4a27-926e-23583b28e98e", "No such folder.")
	errNoSuchParentFolder       = clientError("NO_SUCH_PARENT_FOLDER", "ce104e3a-faaf-49d5-b459-10ff0cbbcaa1", "No such parent folder.")
	errRecursiveNesting         = clientError("RECURSIVE_NESTING", "dbeb024837894013aed44279f9199740", "It can not be structured like nesting folders recursively.")
)

func handleDriveFoldersUpdate(c *call) (any, *apiError) {
	st := c.e.st
	id, _ := c.str("folderId")
	f := st.ownFolder(id, c.me.ID)
	if f == nil {
		return nil, errUpdateFolderNoSuchFolder
	}
	name := f.Name
	if s, ok := c.str("name"); ok && s != "" {
		name = s
	}
	parentID := f.ParentID
	if c.has("parentId") {
		newParent, isString := c.str("parentId")
		switch {
		case isString && newParent == f.ID:
			return nil, errRecursiveNesting
		case !isString:
			parentID = nil
		default:
			parent := st.ownFolder(newParent, c.me.ID)
			if parent == nil {
				return nil, errNoSuchParentFolder
			}
			// Walk up from the new parent: meeting the folder is a cycle.
			for p := parent.ParentID; p != nil; {
				if *p == f.ID {
					return nil, errRecursiveNesting
				}
				up := st.driveFolder(*p)
				if up == nil {
					break
				}
				p = up.ParentID
			}
			parentID = &parent.ID
		}
	}
	if apiErr := errFolderNameTooLong(name); apiErr != nil {
		return nil, apiErr
	}
	f.Name, f.ParentID = name, parentID
	return c.e.packDriveFolder(f, false), nil
}
