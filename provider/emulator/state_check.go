package emulator

import (
	"fmt"
	"slices"
	"strings"
)

// check refuses a loaded state that the database behind a real Misskey could
// never hold: rows without ids, two rows with one id, references to rows
// that do not exist, and chains (folder parents, replies, renotes) that loop.
// Handlers assume all of that holds — packDriveFolder and packNote recurse
// along the chains, drive/folders/update walks them — so a state file edited
// by hand or merged badly would otherwise crash the emulator with a stack
// overflow or hang it. Every error names the row and what is wrong with it.
func (s *state) check() error {
	if err := s.checkUsers(); err != nil {
		return err
	}
	if err := s.checkUniqueIDs(); err != nil {
		return err
	}
	if err := s.checkTables(); err != nil {
		return err
	}
	return s.checkChains()
}

// checkUsers: ids and usernames present and unique. A local username is the
// login and the sandbox's key for an account (usernameLower is unique in
// Misskey); a remote one is unique per host.
func (s *state) checkUsers() error {
	ids := map[string]int{}
	names := map[string]int{}
	tokens := map[string]string{}
	for i, u := range s.Users {
		if u == nil || u.ID == "" || u.Username == "" {
			return fmt.Errorf("user #%d has no id or username", i+1)
		}
		if j, dup := ids[u.ID]; dup {
			return fmt.Errorf("users #%d and #%d have the same id %q (duplicate id)", j, i+1, u.ID)
		}
		ids[u.ID] = i + 1
		key := strings.ToLower(u.Username)
		if u.Host != nil {
			key += "@" + strings.ToLower(*u.Host)
		}
		if j, dup := names[key]; dup {
			return fmt.Errorf("users #%d and #%d have the same username %q", j, i+1, u.Username)
		}
		names[key] = i + 1
		if u.Token != "" {
			if other, dup := tokens[u.Token]; dup {
				return fmt.Errorf("user %q and %s have the same token", u.ID, other)
			}
			tokens[u.Token] = fmt.Sprintf("user %q", u.ID)
		}
	}
	for i, t := range s.AccessTokens {
		if t == nil || t.ID == "" || t.Token == "" || s.user(t.UserID) == nil {
			return fmt.Errorf("access token #%d is incomplete or of an unknown user", i+1)
		}
		// The token alone authenticates: two rows with one token would
		// make a request's user and permissions depend on table order.
		if other, dup := tokens[t.Token]; dup {
			return fmt.Errorf("access token %q and %s have the same token", t.ID, other)
		}
		tokens[t.Token] = fmt.Sprintf("access token %q", t.ID)
	}
	for i, it := range s.Registry {
		if it == nil || s.user(it.UserID) == nil {
			return fmt.Errorf("registry item #%d is of an unknown user", i+1)
		}
	}
	return nil
}

// checkUniqueIDs: within a table, ids are primary keys. A nil row is left
// to checkTables, which names it.
func (s *state) checkUniqueIDs() error {
	type table struct {
		name string
		ids  []string
	}
	var tables []table
	add := func(name string, n int, id func(i int) (string, bool)) {
		t := table{name: name}
		for i := range n {
			if v, ok := id(i); ok {
				t.ids = append(t.ids, v)
			}
		}
		tables = append(tables, t)
	}
	add("access token", len(s.AccessTokens), func(i int) (string, bool) { return s.AccessTokens[i].ID, true })
	add("registry item", len(s.Registry), func(i int) (string, bool) { return s.Registry[i].ID, true })
	add("note", len(s.Notes), func(i int) (string, bool) { n := s.Notes[i]; return idOf(n, func() string { return n.ID }) })
	add("pin", len(s.Pins), func(i int) (string, bool) { p := s.Pins[i]; return idOf(p, func() string { return p.ID }) })
	add("following", len(s.Followings), func(i int) (string, bool) { f := s.Followings[i]; return idOf(f, func() string { return f.ID }) })
	add("follow request", len(s.FollowRequests), func(i int) (string, bool) {
		r := s.FollowRequests[i]
		return idOf(r, func() string { return r.ID })
	})
	add("drive folder", len(s.DriveFolders), func(i int) (string, bool) { f := s.DriveFolders[i]; return idOf(f, func() string { return f.ID }) })
	add("drive file", len(s.DriveFiles), func(i int) (string, bool) { f := s.DriveFiles[i]; return idOf(f, func() string { return f.ID }) })
	add("antenna", len(s.Antennas), func(i int) (string, bool) { a := s.Antennas[i]; return idOf(a, func() string { return a.ID }) })
	add("user list", len(s.UserLists), func(i int) (string, bool) { l := s.UserLists[i]; return idOf(l, func() string { return l.ID }) })
	add("clip", len(s.Clips), func(i int) (string, bool) { c := s.Clips[i]; return idOf(c, func() string { return c.ID }) })
	add("webhook", len(s.Webhooks), func(i int) (string, bool) { w := s.Webhooks[i]; return idOf(w, func() string { return w.ID }) })
	add("blocking", len(s.Blockings), func(i int) (string, bool) { b := s.Blockings[i]; return idOf(b, func() string { return b.ID }) })
	add("muting", len(s.Mutings), func(i int) (string, bool) { m := s.Mutings[i]; return idOf(m, func() string { return m.ID }) })
	add("renote muting", len(s.RenoteMutings), func(i int) (string, bool) { m := s.RenoteMutings[i]; return idOf(m, func() string { return m.ID }) })
	add("note draft", len(s.Drafts), func(i int) (string, bool) { d := s.Drafts[i]; return idOf(d, func() string { return d.ID }) })
	for _, t := range tables {
		seen := map[string]bool{}
		for _, id := range t.ids {
			if id == "" {
				continue // checkTables names the row
			}
			if seen[id] {
				return fmt.Errorf("two %ss have the id %q (duplicate id)", t.name, id)
			}
			seen[id] = true
		}
	}
	return nil
}

// idOf is the id of a row, or false for a nil row.
func idOf[T any](row *T, id func() string) (string, bool) {
	if row == nil {
		return "", false
	}
	return id(), true
}

// checkTables refuses a loaded state whose rows are missing or point at
// users, notes, folders or lists that do not exist: handlers assume the
// references hold, as the database's foreign keys guarantee.
func (s *state) checkTables() error {
	ids := map[string]map[string]bool{"note": {}, "folder": {}, "list": {}}
	for i, n := range s.Notes {
		if n == nil || n.ID == "" || s.user(n.UserID) == nil {
			return fmt.Errorf("note #%d is incomplete or of an unknown user", i+1)
		}
		ids["note"][n.ID] = true
	}
	for _, n := range s.Notes {
		for _, ref := range []struct {
			what string
			id   *string
		}{{"a reply to", n.ReplyID}, {"a renote of", n.RenoteID}} {
			if ref.id != nil && !ids["note"][*ref.id] {
				// replyId and renoteId are foreign keys ON DELETE CASCADE.
				return fmt.Errorf("note %q is %s an unknown note %q", n.ID, ref.what, *ref.id)
			}
		}
	}
	folderOwner := map[string]string{}
	for i, f := range s.DriveFolders {
		if f == nil || f.ID == "" || s.user(f.UserID) == nil {
			return fmt.Errorf("drive folder #%d is incomplete or of an unknown user", i+1)
		}
		ids["folder"][f.ID] = true
		folderOwner[f.ID] = f.UserID
	}
	for i, l := range s.UserLists {
		if l == nil || l.ID == "" || s.user(l.UserID) == nil {
			return fmt.Errorf("user list #%d is incomplete or of an unknown user", i+1)
		}
		ids["list"][l.ID] = true
		for _, m := range l.UserIDs {
			if s.user(m) == nil {
				return fmt.Errorf("user list #%d has an unknown member %q", i+1, m)
			}
		}
	}
	for i, p := range s.Pins {
		if p == nil || s.user(p.UserID) == nil || !ids["note"][p.NoteID] {
			return fmt.Errorf("pin #%d is of an unknown user or note", i+1)
		}
	}
	for i, f := range s.Followings {
		if f == nil || f.ID == "" || s.user(f.FollowerID) == nil || s.user(f.FolloweeID) == nil {
			return fmt.Errorf("following #%d is incomplete or of an unknown user", i+1)
		}
	}
	for i, r := range s.FollowRequests {
		if r == nil || r.ID == "" || s.user(r.FollowerID) == nil || s.user(r.FolloweeID) == nil {
			return fmt.Errorf("follow request #%d is incomplete or of an unknown user", i+1)
		}
	}
	for i, f := range s.DriveFolders {
		if f.ParentID == nil {
			continue
		}
		owner, ok := folderOwner[*f.ParentID]
		if !ok {
			return fmt.Errorf("drive folder #%d (%q) has an unknown parent %q", i+1, f.ID, *f.ParentID)
		}
		// drive/folders/create and update look the parent up among the
		// caller's own folders: no API call can nest across users.
		if owner != f.UserID {
			return fmt.Errorf("drive folder %q has another user's folder %q as its parent", f.ID, *f.ParentID)
		}
	}
	for i, f := range s.DriveFiles {
		if f == nil || f.ID == "" || s.user(f.UserID) == nil || (f.FolderID != nil && !ids["folder"][*f.FolderID]) {
			return fmt.Errorf("drive file #%d is incomplete or of an unknown user or folder", i+1)
		}
	}
	for i, a := range s.Antennas {
		if a == nil || a.ID == "" || s.user(a.UserID) == nil || (a.UserListID != nil && !ids["list"][*a.UserListID]) {
			return fmt.Errorf("antenna #%d is incomplete or of an unknown user or list", i+1)
		}
	}
	for i, cl := range s.Clips {
		if cl == nil || cl.ID == "" || s.user(cl.UserID) == nil {
			return fmt.Errorf("clip #%d is incomplete or of an unknown user", i+1)
		}
	}
	for i, cn := range s.ClipNotes {
		if cn == nil || s.clip(cn.ClipID) == nil || s.note(cn.NoteID) == nil {
			return fmt.Errorf("clip note #%d is of an unknown clip or note", i+1)
		}
	}
	for i, w := range s.Webhooks {
		if w == nil || w.ID == "" || s.user(w.UserID) == nil {
			return fmt.Errorf("webhook #%d is incomplete or of an unknown user", i+1)
		}
	}
	// Every request scans these tables (the mute sweep and the scheduled
	// posts run first), so a null or dangling row would fail them all.
	for i, b := range s.Blockings {
		if b == nil || b.ID == "" || s.user(b.BlockerID) == nil || s.user(b.BlockeeID) == nil {
			return fmt.Errorf("blocking #%d is incomplete or of an unknown user", i+1)
		}
	}
	for i, m := range s.Mutings {
		if m == nil || m.ID == "" || s.user(m.MuterID) == nil || s.user(m.MuteeID) == nil {
			return fmt.Errorf("muting #%d is incomplete or of an unknown user", i+1)
		}
	}
	for i, m := range s.RenoteMutings {
		if m == nil || m.ID == "" || s.user(m.MuterID) == nil || s.user(m.MuteeID) == nil {
			return fmt.Errorf("renote muting #%d is incomplete or of an unknown user", i+1)
		}
	}
	for i, d := range s.Drafts {
		if d == nil || d.ID == "" || s.user(d.UserID) == nil {
			return fmt.Errorf("note draft #%d is incomplete or of an unknown user", i+1)
		}
	}
	s.follows = nil // rebuilt from the loaded rows
	return nil
}

// checkChains refuses folder-parent, reply and renote chains that come back
// to where they started. It runs after checkTables, so every link resolves;
// each walk is bounded by the table size, so even a loop the check missed
// could not hang the load.
func (s *state) checkChains() error {
	folders := make(map[string]*string, len(s.DriveFolders))
	for _, f := range s.DriveFolders {
		folders[f.ID] = f.ParentID
	}
	if id, loop := findLoop(folders); loop != "" {
		return fmt.Errorf("drive folder %q: its parent chain loops (%s)", id, loop)
	}
	replies := make(map[string]*string, len(s.Notes))
	renotes := make(map[string]*string, len(s.Notes))
	for _, n := range s.Notes {
		replies[n.ID], renotes[n.ID] = n.ReplyID, n.RenoteID
	}
	if id, loop := findLoop(replies); loop != "" {
		return fmt.Errorf("note %q: its reply chain loops (%s)", id, loop)
	}
	if id, loop := findLoop(renotes); loop != "" {
		return fmt.Errorf("note %q: its renote chain loops (%s)", id, loop)
	}
	return nil
}

// findLoop finds a cycle in a graph where each node has at most one
// successor (next[id], nil for none), in time linear in its size. It returns
// the first node of the first cycle, in the order the ids were met, and the
// cycle written "a → b → a".
func findLoop(next map[string]*string) (string, string) {
	const (
		unseen = iota
		onPath
		done
	)
	mark := make(map[string]int, len(next))
	// Walk from every node in a fixed order so the error is reproducible.
	ids := make([]string, 0, len(next))
	for id := range next {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, start := range ids {
		var path []string
		id := start
		for {
			if mark[id] == done {
				break
			}
			if mark[id] == onPath {
				i := slices.Index(path, id)
				cycle := append(append([]string{}, path[i:]...), id)
				for _, p := range path {
					mark[p] = done
				}
				return id, strings.Join(cycle, " → ")
			}
			mark[id] = onPath
			path = append(path, id)
			n := next[id]
			if n == nil {
				break
			}
			if _, known := next[*n]; !known {
				break // checkTables already refused dangling links
			}
			id = *n
		}
		for _, p := range path {
			mark[p] = done
		}
	}
	return "", ""
}
