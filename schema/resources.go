package schema

import "github.com/hashicorp/hcl/v2"

// Collections an account block may list in `purge`: mkctl then deletes every
// object of that collection that the configuration does not declare, even
// ones it did not create.
var Collections = []string{"pinned_notes", "follows", "drive_folders", "drive_files", "antennas", "user_lists", "webhooks", "clips", "blocks", "mutes", "renote_mutes", "scheduled_notes"}

// Lifecycle is the optional `lifecycle { prevent_destroy = true }` block of
// any resource block.
type Lifecycle struct {
	PreventDestroy bool
	Range          hcl.Range // the lifecycle block, for "prevent_destroy is set here"
}

// PinnedNote is a `pinned_note "LABEL"` block. The order of the blocks is the
// order on the profile, top first.
type PinnedNote struct {
	Label              string
	Text               string  // required, 1..3000 characters
	CW                 *string // nil: no content warning
	Visibility         string  // "public" (default), "home" or "followers"
	LocalOnly          bool
	ReactionAcceptance *string // nil (anything), "likeOnly", "likeOnlyForRemote", "nonSensitiveOnly", "nonSensitiveOnlyForLocalLikeOnlyForRemote"
	// Files are the attached drive files, in order: keys (DriveFile.Key)
	// of drive_file blocks of the same account.
	Files     []string
	Lifecycle Lifecycle
	DeclRange hcl.Range
}

// Follow is one followed account: a `follow "@user@host"` block, or one
// instance of a `follow` block with for_each (whose `account` attribute names
// the account).
type Follow struct {
	// Acct is the normalised account: "@user@host" for a remote account,
	// "@user" for an account on the same instance (its host is dropped when
	// it equals the account's own host).
	Acct        string
	WithReplies *bool // nil: not managed
	Notify      *bool // nil: not managed; true → "normal", false → "none"
	Lifecycle   Lifecycle
	DeclRange   hcl.Range
	// Name is the block label when the label names the block rather than
	// the account (with for_each, or with account = …); "" otherwise.
	Name string
	// Key is the for_each key of this instance, "" without for_each.
	Key string
	// AcctRange is where the account is written: the label, or the
	// account expression. Point here when the account cannot be followed.
	AcctRange hcl.Range
}

// DriveFolder is a `drive_folder "NAME"` block; blocks nest. Account.DriveFolders
// lists every folder of the tree, parents before their children.
type DriveFolder struct {
	Name      string // 1..128 characters, no "/"
	Path      string // names from the root joined with "/": "assets/icons"
	Parent    string // the parent's Path, "" for a folder at the root
	Lifecycle Lifecycle
	DeclRange hcl.Range
}

// Antenna is an `antenna "NAME"` block. Every field is managed (unset ones
// take Misskey's defaults), since mkctl owns the whole antenna.
type Antenna struct {
	Name            string     // 1..100 characters
	Source          string     // API src: "all", "home", "users", "list", "users_blacklist"
	Keywords        [][]string // outer list OR, inner list AND; no empty strings
	ExcludeKeywords [][]string
	Users           []string // accts as written (Misskey stores them verbatim), for source users/users_blacklist
	UserList        string   // name of a user_list block of the same account, for source "list"
	CaseSensitive   bool
	LocalOnly       bool
	ExcludeBots     bool
	WithReplies     bool
	WithFile        bool
	// ExcludeNotesInSensitiveChannel maps to excludeNotesInSensitiveChannel.
	ExcludeNotesInSensitiveChannel bool
	Lifecycle                      Lifecycle
	DeclRange                      hcl.Range
}

// UserList is a `user_list "NAME"` block. An antenna refers to it with
// `user_list = user_list.NAME`.
type UserList struct {
	Name      string   // 1..100 characters
	Members   []string // normalised accts, as Follow.Acct; sorted, unique
	Lifecycle Lifecycle
	DeclRange hcl.Range
}

// Decl is the block's declaration range: where diagnostics about the
// object as a whole (a limit, an ambiguity) point.
func (n *PinnedNote) Decl() hcl.Range { return n.DeclRange }

// Decl is the block's declaration range.
func (a *Antenna) Decl() hcl.Range { return a.DeclRange }

// Decl is the block's declaration range.
func (l *UserList) Decl() hcl.Range { return l.DeclRange }
