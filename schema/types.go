// Package schema turns *.mk.hcl files into the desired state of Misskey accounts.
//
// It does no network I/O: everything here can run under `mkctl validate`.
// Every decoded block keeps its source range so that later stages (planner,
// provider) can point errors back at the file, line and column that caused them.
package schema

import (
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Config is the desired state of every account declared in one directory.
type Config struct {
	// Accounts in declaration order; for_each instances are expanded and
	// sorted by key within their block.
	Accounts []*Account
	// Sensitive holds the values of sensitive variables and of what is
	// computed from them (see Sensitive); never nil after Load.
	Sensitive *Sensitive
}

// Account is one `account` block (or one for_each instance of it).
type Account struct {
	// Label is the block label: account "weather" → "weather".
	Label string
	// Key is the for_each key, "" for a block without for_each.
	Key string
	// Host is the normalised base URL of the instance, without a trailing
	// slash: "misskey.example" → "https://misskey.example".
	Host string
	// Username is the local username the token must belong to (no leading @).
	Username string
	// Profile is nil when the block has no profile block: then mkctl manages
	// nothing of the profile.
	Profile *Profile

	// Resources of the account, each in declaration order.
	PinnedNotes  []*PinnedNote
	Follows      []*Follow
	DriveFolders []*DriveFolder
	// DriveFiles are the drive_file blocks, in declaration order
	// (folders' files in the order of the folder blocks).
	DriveFiles []*DriveFile
	Antennas   []*Antenna
	Webhooks   []*Webhook
	Clips      []*Clip
	// ScheduledNotes are the scheduled_note blocks, in declaration order.
	ScheduledNotes []*ScheduledNote
	UserLists      []*UserList
	// Blocks, Mutes and RenoteMutes are the block, mute and renote_mute
	// blocks (block.go), for_each expanded, in declaration order.
	Blocks, Mutes, RenoteMutes []*UserRelation
	// Purge holds the collections (see Collections) the user manages
	// exclusively: undeclared objects there are deleted even when mkctl did
	// not create them.
	Purge      map[string]bool
	PurgeRange hcl.Range
	// DeletionGuard is the account's deletion_guard block; nil for the
	// defaults (see Guard in deletion_guard.go).
	DeletionGuard *DeletionGuard

	DeclRange hcl.Range // the `account "x"` header
	// HostRange and UsernameRange are the expressions of host and
	// username, so that the provider can point at them (for example when
	// the token belongs to another account).
	HostRange     hcl.Range
	UsernameRange hcl.Range
}

// Address is the account's config address: account.weather or
// account.fleet["rain"] for a for_each instance.
func (a *Account) Address() string {
	if a.Key == "" {
		return "account." + a.Label
	}
	return "account." + a.Label + "[" + quoteKey(a.Key) + "]"
}

// TokenEnvVar is the per-account token variable: MKCTL_TOKEN_WEATHER, or
// MKCTL_TOKEN_FLEET_RAIN for account.fleet["rain"]. Characters that cannot
// appear in an environment variable name become underscores.
func (a *Account) TokenEnvVar() string {
	name := a.Label
	if a.Key != "" {
		name += "_" + a.Key
	}
	return "MKCTL_TOKEN_" + envUnsafe.ReplaceAllString(strings.ToUpper(name), "_")
}

var envUnsafe = regexp.MustCompile(`[^A-Z0-9_]`)

func quoteKey(k string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(k) + `"`
}

// Profile is the desired profile: only the attributes written in the config.
// An attribute that is not written is not managed and never sent.
type Profile struct {
	// Attrs is keyed by the HCL attribute name (see ProfileFields).
	Attrs map[string]ProfileValue
	// Images holds the written avatar and banner attributes, keyed
	// "avatar" and "banner" (not in Attrs: their value is a file).
	Images    map[string]ProfileImage
	DeclRange hcl.Range
}

// ProfileValue is one written profile attribute.
type ProfileValue struct {
	// Value is the value in the JSON form that i/update takes and `i`
	// returns, already normalised the way Misskey stores it:
	//   nil              the value is cleared (HCL null or "")
	//   string, bool     scalars
	//   []any            lists: fields are []any{map[string]any{"name":..,"value":..}},
	//                    also_known_as is []any{"@user@host", ...} (acct form, sorted)
	Value any
	Range hcl.Range // the attribute's expression, for diagnostics
}
