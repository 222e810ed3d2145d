package provider

import (
	"slices"
	"strconv"
	"strings"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// kinds holds, for each resource kind, its `purge` name
// (schema.Collections) and how many blocks of it a configuration declares.
var kinds = map[string]struct {
	purge    string
	declared func(*schema.Account) int
}{
	planner.TypePinnedNote:    {"pinned_notes", func(a *schema.Account) int { return len(a.PinnedNotes) }},
	planner.TypeFollow:        {"follows", func(a *schema.Account) int { return len(a.Follows) }},
	planner.TypeDriveFolder:   {"drive_folders", func(a *schema.Account) int { return len(a.DriveFolders) }},
	planner.TypeDriveFile:     {"drive_files", func(a *schema.Account) int { return len(a.DriveFiles) }},
	planner.TypeAntenna:       {"antennas", func(a *schema.Account) int { return len(a.Antennas) }},
	planner.TypeUserList:      {"user_lists", func(a *schema.Account) int { return len(a.UserLists) }},
	planner.TypeWebhook:       {"webhooks", func(a *schema.Account) int { return len(a.Webhooks) }},
	planner.TypeClip:          {"clips", func(a *schema.Account) int { return len(a.Clips) }},
	planner.TypeBlock:         {"blocks", func(a *schema.Account) int { return len(a.Blocks) }},
	planner.TypeMute:          {"mutes", func(a *schema.Account) int { return len(a.Mutes) }},
	planner.TypeRenoteMute:    {"renote_mutes", func(a *schema.Account) int { return len(a.RenoteMutes) }},
	planner.TypeScheduledNote: {"scheduled_notes", func(a *schema.Account) int { return len(a.ScheduledNotes) }},
}

// purges reports whether the configuration's `purge` lists the kind.
func purges(acct *schema.Account, kind string) bool {
	return acct.Purge[kinds[kind].purge]
}

// manages reports whether ReadAccount must read a resource kind: the
// configuration declares some, `purge` lists the kind, or the ownership
// record holds objects of it (removing the last block of a kind must still
// delete what mkctl made). Otherwise the planner has nothing to do with the
// kind and reading it would only cost requests.
func (r *reading) manages(kind string) bool {
	if k, ok := kinds[kind]; ok && (k.declared(r.acct) > 0 || r.acct.Purge[k.purge]) {
		return true
	}
	return len(ownedOfKind(r.rec, kind)) > 0
}

// ownedOfKind lists the record's objects of one kind. Record keys start with
// the type: pinned_note.welcome, follow["@a@b.example"],
// drive_folder["assets/icons"], antenna.storms, user_list.friends (a name
// that is not an identifier may be written kind["name"]).
func ownedOfKind(rec *planner.Ownership, kind string) []planner.Owned {
	if rec == nil {
		return nil
	}
	var out []planner.Owned
	for key, o := range rec.Objects {
		if keyKind(key) == kind {
			o.Key = key
			out = append(out, o)
		}
	}
	// In key order, not the map's: the requests built from them (the
	// users/show batches of the follow lookup) are then the same from one
	// plan to the next, which makes request logs comparable.
	slices.SortFunc(out, func(a, b planner.Owned) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// keyKind is the resource type a record key belongs to, "" if none.
func keyKind(key string) string {
	i := strings.IndexAny(key, ".[")
	if i <= 0 {
		return ""
	}
	if _, ok := kinds[key[:i]]; !ok {
		return ""
	}
	return key[:i]
}

// keyName is the name part of a record key: welcome for pinned_note.welcome,
// assets/icons for drive_folder["assets/icons"].
func keyName(key string) string {
	i := strings.IndexAny(key, ".[")
	if i < 0 {
		return key
	}
	if key[i] == '.' {
		return key[i+1:]
	}
	inner := strings.TrimSuffix(key[i+1:], "]")
	if s, err := strconv.Unquote(inner); err == nil {
		return s
	}
	return strings.Trim(inner, `"`)
}
