package planner

import (
	"sort"
	"strings"
)

// forgetGone lists the record's entries whose objects are gone. The
// provider reads every kind the record holds, so an id missing from the
// live state means the object no longer exists. Keys that a change of this
// plan records anew are left to that change.
func (p *planState) forgetGone() {
	rec := p.live.Ownership
	if rec == nil {
		return
	}
	exists := map[string]bool{}
	for _, f := range p.live.Follows {
		exists["follow:"+f.UserID] = true
	}
	for _, a := range p.live.Antennas {
		exists["antenna:"+a.ID] = true
	}
	for _, l := range p.live.UserLists {
		exists["user_list:"+l.ID] = true
	}
	for _, w := range p.live.Webhooks {
		exists["webhook:"+w.ID] = true
	}
	for _, c := range p.live.Clips {
		exists["clip:"+c.ID] = true
	}
	for _, f := range p.live.DriveFolders {
		exists["drive_folder:"+f.ID] = true
	}
	for _, f := range p.live.DriveFiles {
		exists["drive_file:"+f.ID] = true
	}
	for _, n := range p.live.PinnedNotes {
		exists["pinned_note:"+n.ID] = true
	}
	for _, n := range p.live.UnpinnedOwnedNotes {
		exists["pinned_note:"+n.ID] = true
	}
	for _, kind := range []string{TypeBlock, TypeMute, TypeRenoteMute} {
		for _, r := range relationLive(p.live, kind) {
			exists[kind+":"+r.UserID] = true
		}
	}
	touched := map[string]bool{}
	for _, c := range p.ap.Changes {
		touched[c.Key] = true
	}
	for _, o := range p.ap.Adopt {
		touched[o.Key] = true
	}
	for key, obj := range rec.Objects {
		kind := recordKind(key)
		// Scheduled notes outlive their drafts once posted: planScheduledNotes forgets them.
		if kind == "" || kind == TypeScheduledNote || touched[key] || exists[kind+":"+obj.ID] {
			continue
		}
		p.ap.Forget = append(p.ap.Forget, key)
	}
	sort.Strings(p.ap.Forget)
}

// recordKind is the resource type a record key belongs to ("" if unknown:
// a newer mkctl's entry is kept as it is).
func recordKind(key string) string {
	for _, t := range []string{TypePinnedNote, TypeFollow, TypeDriveFolder, TypeDriveFile, TypeAntenna, TypeUserList, TypeWebhook, TypeClip, TypeBlock, TypeMute, TypeRenoteMute, TypeScheduledNote} {
		if strings.HasPrefix(key, t+".") || strings.HasPrefix(key, t+"[") {
			return t
		}
	}
	return ""
}
