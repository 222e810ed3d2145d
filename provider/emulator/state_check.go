package emulator

import "fmt"

// checkTables refuses a loaded state whose rows are missing or point at
// users, notes, folders or lists that do not exist: handlers assume the
// references hold, as the database's foreign keys guarantee.
func (s *state) checkTables() error {
	users := map[string]bool{}
	for _, u := range s.Users {
		users[u.ID] = true
	}
	ids := map[string]map[string]bool{"note": {}, "folder": {}, "list": {}}
	for i, n := range s.Notes {
		if n == nil || n.ID == "" || !users[n.UserID] {
			return fmt.Errorf("note #%d is incomplete or of an unknown user", i+1)
		}
		ids["note"][n.ID] = true
	}
	for i, f := range s.DriveFolders {
		if f == nil || f.ID == "" || !users[f.UserID] {
			return fmt.Errorf("drive folder #%d is incomplete or of an unknown user", i+1)
		}
		ids["folder"][f.ID] = true
	}
	for i, l := range s.UserLists {
		if l == nil || l.ID == "" || !users[l.UserID] {
			return fmt.Errorf("user list #%d is incomplete or of an unknown user", i+1)
		}
		ids["list"][l.ID] = true
		for _, m := range l.UserIDs {
			if !users[m] {
				return fmt.Errorf("user list #%d has an unknown member %q", i+1, m)
			}
		}
	}
	for i, p := range s.Pins {
		if p == nil || !users[p.UserID] || !ids["note"][p.NoteID] {
			return fmt.Errorf("pin #%d is of an unknown user or note", i+1)
		}
	}
	for i, f := range s.Followings {
		if f == nil || f.ID == "" || !users[f.FollowerID] || !users[f.FolloweeID] {
			return fmt.Errorf("following #%d is incomplete or of an unknown user", i+1)
		}
	}
	for i, r := range s.FollowRequests {
		if r == nil || r.ID == "" || !users[r.FollowerID] || !users[r.FolloweeID] {
			return fmt.Errorf("follow request #%d is incomplete or of an unknown user", i+1)
		}
	}
	for i, f := range s.DriveFolders {
		if f.ParentID != nil && !ids["folder"][*f.ParentID] {
			return fmt.Errorf("drive folder #%d has an unknown parent", i+1)
		}
	}
	for i, f := range s.DriveFiles {
		if f == nil || f.ID == "" || !users[f.UserID] || (f.FolderID != nil && !ids["folder"][*f.FolderID]) {
			return fmt.Errorf("drive file #%d is incomplete or of an unknown user or folder", i+1)
		}
	}
	for i, a := range s.Antennas {
		if a == nil || a.ID == "" || !users[a.UserID] || (a.UserListID != nil && !ids["list"][*a.UserListID]) {
			return fmt.Errorf("antenna #%d is incomplete or of an unknown user or list", i+1)
		}
	}
	s.follows = nil // rebuilt from the loaded rows
	return nil
}
