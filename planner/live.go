package planner

import "time"

// Live is the state of one account as read from Misskey.
type Live struct {
	UserID   string
	Username string
	// Profile is the `i` response keyed by Misskey's (camelCase) field
	// names, with alsoKnownAs translated from user ids to acct strings
	// ("@user@host", sorted) so that it compares with the configuration.
	Profile map[string]any
	// Policies is `i` → policies: this user's effective role policies
	// (pinLimit, antennaLimit, userListLimit, userEachUserListsLimit …).
	Policies map[string]any

	// PinnedNotes are the pinned notes, top first (as `i` lists them).
	PinnedNotes []LiveNote
	// UnpinnedOwnedNotes are notes the ownership record holds as pinned
	// notes but that are not pinned (someone unpinned them, or an apply
	// stopped between notes/create and i/pin): the provider looks each one
	// up with notes/show; the ones that no longer exist are left out.
	UnpinnedOwnedNotes []LiveNote
	// Follows are the established follows and the pending follow
	// requests this account sent, each once.
	Follows []LiveFollow
	// UnlistedFollows is how many established follows exist that Follows
	// does not list. The provider may look up only the declared and
	// recorded followees (users/show) instead of paging through every
	// follow; the rest are then known only as a count (`i`'s
	// followingCount), which is all the plan needs of them: it never
	// touches a follow it neither declares nor owns, unless follows are
	// purged, and then the provider reads them all.
	UnlistedFollows int
	// Users resolves accts the configuration mentions that are not among
	// Follows (new follows, list members, …) to user ids. An acct
	// that could not be resolved is in Unresolved with the reason.
	Users      map[string]string
	Unresolved map[string]string
	// DriveFolders is every folder of the drive, parents before children.
	DriveFolders []LiveFolder
	// DriveFiles are the files in the folders the plan looks at (declared
	// or recorded folders, and the root when files are declared there),
	// plus recorded files wherever they are.
	DriveFiles []LiveFile
	// ProfileImages are the files avatarId and bannerId point at, keyed
	// "avatar" and "banner"; absent when the id is null or the file is
	// gone.
	ProfileImages map[string]LiveFile
	// Drive is the drive's capacity and usage in bytes (the `drive`
	// endpoint), read only when the plan may upload; nil when not read.
	Drive    *DriveUsage
	Antennas []LiveAntenna
	Webhooks []LiveWebhook
	// Clips are read only when the account manages clips (clip.go).
	Clips []LiveClip
	// CheckedNotes are the note ids a clip lists that are not in it yet,
	// looked up with notes/show: NoteMissing or NoteHidden, "" when the
	// note is there to clip. An id not in the map was not checked.
	CheckedNotes map[string]string
	UserLists    []LiveUserList
	// Blocks, Mutes and RenoteMutes are read only when the account manages
	// the kind (block.go).
	Blocks, Mutes, RenoteMutes []LiveRelation
	// Drafts are the note drafts, read only when scheduled notes are
	// managed (scheduled_note.go); nil when not read.
	Drafts *LiveDrafts
	// Ownership is the record mkctl keeps in the account registry; nil
	// when there is none (a new token starts with none).
	Ownership *Ownership
}

// LiveNote is a pinned note.
type LiveNote struct {
	ID                 string
	Text               string
	CW                 *string
	Visibility         string
	LocalOnly          bool
	ReactionAcceptance *string
	CreatedAt          time.Time
	// FileIDs are the ids of the attached files, in order (Note.fileIds;
	// a deleted file's id stays there, API-NOTES §10).
	FileIDs []string
	// Unsupported says why mkctl cannot declare this note ("it has a
	// poll", "it is a renote", ...); "" when a pinned_note block can
	// describe it. Export skips such notes with a comment.
	Unsupported string
}

// LiveFollow is a followed account, or a follow request not yet accepted.
type LiveFollow struct {
	UserID      string
	Acct        string // normalised as schema.Follow.Acct: "@user" when local
	WithReplies bool
	Notify      bool // notify == "normal"
	Pending     bool
}

// LiveFolder is a drive folder.
type LiveFolder struct {
	ID       string
	Name     string
	ParentID string // "" at the root
	Path     string // names from the root joined with "/"
	// HoldsFiles is known only for folders the plan might delete (the
	// provider asks drive/folders/show for those): -1 unknown.
	FilesCount int
	CreatedAt  time.Time
}

// LiveFile is a drive file (issue 11).
type LiveFile struct {
	ID          string
	Name        string
	FolderID    string // "" at the root
	Folder      string // the folder's path, "" at the root
	MD5         string
	Size        int64
	Type        string
	Comment     *string
	IsSensitive bool
	CreatedAt   time.Time
}

// Key is the file's drive path, as schema.DriveFile.Key.
func (f *LiveFile) Key() string {
	if f.Folder == "" {
		return f.Name
	}
	return f.Folder + "/" + f.Name
}

// LiveAntenna is an antenna, in Misskey's field names.
type LiveAntenna struct {
	ID     string
	Name   string
	Fields map[string]any // src, keywords, excludeKeywords, users, userListId, caseSensitive, …
	// CreatedAt tells duplicates apart (see dedupe.go); zero when unknown.
	CreatedAt time.Time
}

// LiveUserList is a user list.
type LiveUserList struct {
	ID        string
	Name      string
	UserIDs   []string
	CreatedAt time.Time
}

// DriveUsage is the `drive` endpoint's answer: capacity (policy
// driveCapacityMb × 1 MiB) and usage, in bytes.
type DriveUsage struct {
	Capacity int64
	Usage    int64
}
