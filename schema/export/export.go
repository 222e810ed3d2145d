// Package export writes *.mk.hcl files that declare a live Misskey account
// exactly as it is, so that `mkctl plan` of the output says "No changes".
// It is the inverse of package schema: everything it writes must load with
// schema.Load and plan to nothing against the same live state. It does no
// I/O: the provider reads the account (provider.ReadForExport) and cmd
// writes the files.
package export

import (
	"time"

	"github.com/mkctl/mkctl/planner"
)

// Kinds are the kinds export can write, in the order the files are written;
// `mkctl export --kinds` takes a comma-separated subset.
var Kinds = []string{"profile", "pinned_notes", "follows", "drive_folders", "drive_files", "antennas", "user_lists", "webhooks", "clips", "blocks", "mutes", "renote_mutes", "scheduled_notes"}

// Account is what export needs of one live account.
type Account struct {
	// Host is the instance as the user writes it in `host = ...`:
	// "misskey.example" for https, "http://127.0.0.1:3000" otherwise.
	Host     string
	Username string // without the leading @
	// Live is the account read in full: every follow (and sent follow
	// request), every drive folder, antenna and user list, the profile
	// and the pinned notes.
	Live *planner.Live
	// UserAccts maps the user ids that user lists hold to normalised accts
	// ("@user" on the same instance, "@user@host" elsewhere). A member
	// whose acct is unknown (the user is gone) is left out with a comment.
	UserAccts map[string]string
	// FileURLs maps the ids of the drive files read (Live.DriveFiles,
	// Live.ProfileImages) to their url as the owner sees it: the original
	// bytes, which cmd downloads next to the files (Result.Downloads).
	// A file without one is not exported.
	FileURLs map[string]string
}

// Options choose what to write.
type Options struct {
	// Kinds to write (see Kinds); nil or empty: all of them.
	Kinds map[string]bool
	// Label is the account block's label; "" derives one from the
	// username.
	Label string
	// SkipFiles are drive files (by id) not to declare, with why: cmd
	// downloads the files, checks them as Load will (schema.CheckSourceFile)
	// and generates again without those Load would refuse.
	SkipFiles map[string]string
	// Now is the time a mute's expiry is judged by (an expired mute
	// Misskey still lists is left out); zero: the clock.
	Now time.Time
}

// File is one file to write, named relative to the output directory.
type File struct {
	Name    string // e.g. "account.mk.hcl", "follows.mk.hcl"
	Content []byte // canonical HCL (hclwrite.Format)
}

// Result is the output of Generate.
type Result struct {
	Files []File
	// Notes are things the user must know, one sentence each: objects
	// skipped and why, variables they must set. cmd prints them.
	Notes []string
	// Counts says what the files declare and what they leave out, one
	// entry per kind written, in Kinds order: every kind asked for,
	// user_lists when only the lists the antennas use were written (an
	// antenna can use only a list of its own account block), and
	// drive_folders when only the folders holding exported drive files
	// were written. The writer
	// of each kind counts where it decides to declare or skip an object,
	// so these are the numbers of the files, not of the live account.
	Counts []KindCount
	// Downloads are the files the configuration names as source, avatar
	// or banner: cmd writes each file's bytes at its Path before the
	// configuration is usable. Sorted by Path, one per path.
	Downloads []Download
}

// Download is one drive file to fetch into the output directory.
type Download struct {
	FileID string
	URL    string // the owner's url: the original bytes
	// Path is where the bytes go, relative to the output directory,
	// separated by "/": "files/media/logo.png", "images/avatar.png".
	Path string
	MD5  string // what the downloaded bytes must hash to
	Size int64
	Type string // the type Misskey detected
	// Name is the drive_file label the file is declared under ("" when it
	// is only the avatar or banner); Image: it is the avatar or banner too.
	// They say how schema.CheckSourceFile must check the bytes.
	Name  string
	Image bool
	What  string // for messages: drive_file "media/logo.png", the avatar
}

// KindCount is what Generate made of the objects of one kind.
type KindCount struct {
	Kind string // one of Kinds
	// Declared is the number of objects the files declare: one per block
	// (pinned_note, drive_folder and drive_file at any depth, user_list,
	// antenna), and
	// for follows one per account, those in the for_each list of
	// FollowsFile included. The profile is one object: Declared is 1
	// when a profile block is written, 0 when nothing differs from a new
	// account (no block, the profile stays unmanaged).
	Declared int
	// Skipped is the number of objects left out, each named by a comment
	// and a note: a pinned note mkctl cannot describe, copies of one
	// name, a folder in a folder left out, an antenna on a list left out,
	// follows that were not read, .... For the profile it is the number
	// of its attributes left out. Declared+Skipped is every object read
	// of the kind (for user_lists written for the antennas only, every
	// list of a name an antenna uses).
	Skipped int
	// Pending is how many of the Declared follows are follow requests
	// not accepted yet; 0 for the other kinds.
	Pending int
}

// Count returns the entry for kind, and whether Generate wrote the kind.
func (r *Result) Count(kind string) (KindCount, bool) {
	for _, c := range r.Counts {
		if c.Kind == kind {
			return c, true
		}
	}
	return KindCount{Kind: kind}, false
}
