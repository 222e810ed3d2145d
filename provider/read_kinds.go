package provider

import (
	"slices"
	"strconv"
	"strings"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// purgeCollection is the `purge` name of each resource kind (schema.Collections).
var purgeCollection = map[string]string{
	planner.TypePinnedNote:  "pinned_notes",
	planner.TypeFollow:      "follows",
	planner.TypeDriveFolder: "drive_folders",
	planner.TypeDriveFile:   "drive_files",
	planner.TypeAntenna:     "antennas",
	planner.TypeUserList:    "user_lists",
	planner.TypeWebhook:     "webhooks",
	planner.TypeBlock:       "blocks",
	planner.TypeMute:        "mutes",
	planner.TypeRenoteMute:  "renote_mutes",
}

// manages reports whether ReadAccount must read a resource kind: the
// configuration declares some, `purge` lists the kind, or the ownership
// record holds objects of it (removing the last block of a kind must still
// delete what mkctl made). Otherwise the planner has nothing to do with the
// kind and reading it would only cost requests.
func (r *reading) manages(kind string) bool {
	if declares(r.acct, kind) || r.acct.Purge[purgeCollection[kind]] {
		return true
	}
	return len(ownedOfKind(r.rec, kind)) > 0
}

func declares(acct *schema.Account, kind string) bool {
	switch kind {
	case planner.TypePinnedNote:
		return len(acct.PinnedNotes) > 0
	case planner.TypeFollow:
		return len(acct.Follows) > 0
	case planner.TypeDriveFolder:
		return len(acct.DriveFolders) > 0
	case planner.TypeDriveFile:
		return len(acct.DriveFiles) > 0
	case planner.TypeAntenna:
		return len(acct.Antennas) > 0
	case planner.TypeUserList:
		return len(acct.UserLists) > 0
	case planner.TypeWebhook:
		return len(acct.Webhooks) > 0
	case planner.TypeBlock:
		return len(acct.Blocks) > 0
	case planner.TypeMute:
		return len(acct.Mutes) > 0
	case planner.TypeRenoteMute:
		return len(acct.RenoteMutes) > 0
	}
	return false
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
	if _, ok := purgeCollection[key[:i]]; !ok {
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
