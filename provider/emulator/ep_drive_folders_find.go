package emulator

// drive/folders/find — ep/drive/folders/find.ts: the caller's folders with
// exactly that name under parentId (null or absent: the root). An array,
// since names are not unique; no pagination.
func init() { register("drive/folders/find", nil, handleDriveFoldersFind) }

func handleDriveFoldersFind(c *call) (any, *apiError) {
	name, _ := c.str("name")
	parent := c.optStr("parentId")
	out := []any{}
	for _, f := range c.e.st.DriveFolders {
		if f.UserID == c.me.ID && f.Name == name && sameParent(f.ParentID, parent) {
			out = append(out, c.e.packDriveFolder(f, false))
		}
	}
	return out, nil
}
