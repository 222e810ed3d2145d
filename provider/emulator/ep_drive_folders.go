package emulator

// drive/folders — ep/drive/folders.ts: the direct children of folderId
// (null or absent: the root), paginated by folder id. An unknown folderId
// is not an error: it has no children.
func init() { register("drive/folders", nil, handleDriveFolders) }

func handleDriveFolders(c *call) (any, *apiError) {
	parent := c.optStr("folderId")
	var rows []*DriveFolder
	for _, f := range c.e.st.DriveFolders {
		if f.UserID == c.me.ID && sameParent(f.ParentID, parent) {
			rows = append(rows, f)
		}
	}
	out := []any{}
	for _, f := range paginate(c, rows, func(f *DriveFolder) string { return f.ID }) {
		out = append(out, c.e.packDriveFolder(f, false))
	}
	return out, nil
}
