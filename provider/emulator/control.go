package emulator

import (
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Test control: set-ups the API cannot make (a remote server accepting a
// follow), shortcuts for benchmarks, and read-outs of the stored state for
// assertions. They take the emulator's lock like a request and use the
// emulator's clock. Unknown user, note or folder ids are mistakes in the
// test and panic, like UpdateUser.

// ErrNoFollowRequest is AcceptFollowRequest's answer when no such request
// is pending.
var ErrNoFollowRequest = errors.New("emulator: no pending follow request")

func (e *Emulator) mustUser(id string) *User {
	u := e.st.user(id)
	if u == nil {
		panic(fmt.Sprintf("emulator: no user %q", id))
	}
	return u
}

// SetLocked locks or unlocks an account, as the user would in settings
// (i/update isLocked): unlocking accepts every pending request to it.
func (e *Emulator) SetLocked(userID string, locked bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.mustUser(userID)
	was := u.IsLocked
	u.IsLocked = locked
	if was && !locked {
		e.st.acceptAllFollowRequests(u, e.now())
	}
}

// AcceptFollowRequest accepts follower's pending request to followee, as
// the followee does with following/requests/accept — or, for a remote
// followee, as its server does when its Accept activity arrives.
func (e *Emulator) AcceptFollowRequest(followerID, followeeID string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.st.acceptFollowRequest(e.mustUser(followerID), e.mustUser(followeeID), e.now()) {
		return fmt.Errorf("accept %s → %s: %w", followerID, followeeID, ErrNoFollowRequest)
	}
	return nil
}

// SeedFollowRequest makes follower's request to followee pending (e.g. a
// remote user asking to follow a locked local one), replacing one that is.
func (e *Emulator) SeedFollowRequest(followerID, followeeID string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	follower, followee := e.mustUser(followerID), e.mustUser(followeeID)
	now := e.now()
	e.st.removeFollowRequest(follower.ID, followee.ID)
	e.st.FollowRequests = append(e.st.FollowRequests, &FollowRequest{ID: e.st.IDs.next(now), CreatedAt: now, FollowerID: follower.ID, FolloweeID: followee.ID})
}

// SeedFollows makes userID follow every followee at once, without
// requests, rate limits or HTTP — for benchmarks and large fixtures. The
// follows get ids in the given order. Existing follows and the user
// itself are skipped.
func (e *Emulator) SeedFollows(userID string, followeeIDs []string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	follower := e.mustUser(userID)
	now := e.now()
	for _, id := range followeeIDs {
		followee := e.mustUser(id)
		if followee.ID == follower.ID || e.st.followingOf(follower.ID, followee.ID) != nil {
			continue
		}
		e.st.insertFollowing(follower, followee, false, now)
	}
}

// SeedUsers adds n local users named prefix0 … prefix<n-1> quickly (no
// per-user uniqueness scan) and returns their ids. It panics if a name is
// not a valid username or is taken.
func (e *Emulator) SeedUsers(prefix string, n int) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	taken := map[string]bool{}
	for _, u := range e.st.Users {
		if u.IsLocal() {
			taken[strings.ToLower(u.Username)] = true
		}
	}
	now := e.now()
	ids := make([]string, 0, n)
	for i := range n {
		name := prefix + strconv.Itoa(i)
		if !usernamePattern.MatchString(name) || taken[strings.ToLower(name)] {
			panic(fmt.Sprintf("emulator: SeedUsers: invalid or taken username %q", name))
		}
		taken[strings.ToLower(name)] = true
		u := newUser(e.st.IDs.next(now), name, now)
		u.Token = randomString(tokenAlphabet, nativeTokenLength)
		e.st.Users = append(e.st.Users, u)
		ids = append(ids, u.ID)
	}
	return ids
}

// SeedFolders creates folders named names under parentID ("" for the
// root) without the 10-an-hour limit and returns their ids in order.
func (e *Emulator) SeedFolders(userID, parentID string, names []string) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.mustUser(userID)
	parent := e.mustFolder(u, parentID)
	now := e.now()
	ids := make([]string, 0, len(names))
	for _, name := range names {
		f := &DriveFolder{ID: e.st.IDs.next(now), CreatedAt: now, UserID: u.ID, Name: name, ParentID: parent}
		e.st.DriveFolders = append(e.st.DriveFolders, f)
		ids = append(ids, f.ID)
	}
	return ids
}

// mustFolder checks a folder id of the user's ("" is the root, nil).
func (e *Emulator) mustFolder(u *User, folderID string) *string {
	if folderID == "" {
		return nil
	}
	f := e.st.ownFolder(folderID, u.ID)
	if f == nil {
		panic(fmt.Sprintf("emulator: no folder %q of user %q", folderID, u.ID))
	}
	return &f.ID
}

// AddDriveFile puts an (empty) file named name into the user's folder
// folderID ("" for the root) and returns its id. Files make folders
// non-empty for drive/folders/delete and can be attached to notes.
func (e *Emulator) AddDriveFile(userID, folderID, name string) string {
	return e.AddDriveFileBytes(userID, folderID, name, nil)
}

// AddDriveFileBytes stores data as the user's file named name (kept as
// given: no extension appended) in folderID ("" for the root), as an
// upload would with force — the type sniffed from the bytes, md5 and size
// computed — but without the upload's checks and rate limit. It returns
// the file's id.
func (e *Emulator) AddDriveFileBytes(userID, folderID, name string, data []byte) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.mustUser(userID)
	folder := e.mustFolder(u, folderID)
	sum := md5.Sum(data)
	f := e.st.storeFile(u, folder, name, append([]byte(nil), data...), hex.EncodeToString(sum[:]), detectFile(data, &name), e.now())
	return f.ID
}

// FilesOf returns copies of the user's drive files, oldest first.
func (e *Emulator) FilesOf(userID string) []*DriveFile {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.mustUser(userID)
	var out []*DriveFile
	for _, f := range e.st.DriveFiles {
		if f.UserID == u.ID {
			out = append(out, f.snapshot())
		}
	}
	slices.SortFunc(out, func(a, b *DriveFile) int { return compareIDs(a.ID, b.ID) })
	return out
}

// DriveFileByID returns a copy of a drive file, or nil.
func (e *Emulator) DriveFileByID(id string) *DriveFile {
	e.mu.Lock()
	defer e.mu.Unlock()
	if f := e.st.driveFile(id); f != nil {
		return f.snapshot()
	}
	return nil
}

// CreateNote posts a public note as the user, as notes/create would
// (without its rate limit), and returns its id.
func (e *Emulator) CreateNote(userID, text string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.mustUser(userID)
	now := e.now()
	n := &Note{ID: e.st.IDs.next(now), CreatedAt: now, UserID: u.ID, Visibility: "public"}
	if t := jsTrim(text); t != "" {
		n.Text = &t
	}
	e.st.insertNote(n, u, now)
	e.st.countTargets(n, u)
	return n.ID
}

// PinNote pins one of the user's notes as i/pin would; the error carries
// the API error (NO_SUCH_NOTE, PIN_LIMIT_EXCEEDED, ALREADY_PINNED).
func (e *Emulator) PinNote(userID, noteID string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if apiErr := e.st.pin(e.mustUser(userID), noteID, e.now()); apiErr != nil {
		return fmt.Errorf("emulator: pin %s: %w", noteID, apiErr)
	}
	return nil
}

// PinnedNoteIDs lists the user's pinned notes most recently pinned first,
// the order `i` shows them in.
func (e *Emulator) PinnedNoteIDs(userID string) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var ids []string
	for _, p := range e.st.pinsOf(e.mustUser(userID).ID) {
		ids = append(ids, p.NoteID)
	}
	return ids
}

// NotesOf returns copies of the user's notes, oldest first.
func (e *Emulator) NotesOf(userID string) []*Note {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.mustUser(userID)
	var out []*Note
	for _, n := range e.st.Notes {
		if n.UserID == u.ID {
			out = append(out, n.snapshot())
		}
	}
	slices.SortFunc(out, func(a, b *Note) int { return compareIDs(a.ID, b.ID) })
	return out
}

// FolloweeIDs lists whom the user follows, oldest follow first.
func (e *Emulator) FolloweeIDs(userID string) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.mustUser(userID)
	var out []string
	for _, f := range e.st.Followings {
		if f.FollowerID == u.ID {
			out = append(out, f.FolloweeID)
		}
	}
	return out
}

// PendingFolloweeIDs lists the users the user has asked to follow and that
// have not accepted yet, oldest request first.
func (e *Emulator) PendingFolloweeIDs(userID string) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.mustUser(userID)
	var out []string
	for _, r := range e.st.FollowRequests {
		if r.FollowerID == u.ID {
			out = append(out, r.FolloweeID)
		}
	}
	return out
}

// FollowingOf returns a copy of the follow of follower to followee, or nil.
func (e *Emulator) FollowingOf(followerID, followeeID string) *Following {
	e.mu.Lock()
	defer e.mu.Unlock()
	if f := e.st.followingOf(followerID, followeeID); f != nil {
		c := *f
		return &c
	}
	return nil
}

// DriveFoldersOf returns copies of all the user's folders, oldest first.
func (e *Emulator) DriveFoldersOf(userID string) []*DriveFolder {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.mustUser(userID)
	var out []*DriveFolder
	for _, f := range e.st.DriveFolders {
		if f.UserID == u.ID {
			c := *f
			out = append(out, &c)
		}
	}
	return out
}

// AntennasOf returns copies of the user's antennas, in antennas/list order.
func (e *Emulator) AntennasOf(userID string) []*Antenna {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.mustUser(userID)
	var out []*Antenna
	for _, a := range e.st.Antennas {
		if a.UserID == u.ID {
			out = append(out, a.snapshot())
		}
	}
	return out
}

// UserListsOf returns copies of the user's lists, oldest first.
func (e *Emulator) UserListsOf(userID string) []*UserList {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.mustUser(userID)
	var out []*UserList
	for _, l := range e.st.UserLists {
		if l.UserID == u.ID {
			out = append(out, l.snapshot())
		}
	}
	return out
}
