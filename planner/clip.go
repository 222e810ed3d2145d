package planner

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// TypeClip is the change type of a clip (Key clip.NAME):
//
//	create   clips/create {name, description, isPublic}; then clips/add-note for each id of After["add"]
//	         (an "" entry N is the id of the note Refs["notes.N"] created earlier in this apply).
//	         The apply records the ids it added (with After["known"], those added before and still
//	         declared) in Applied["addedNotes"]: clips/notes hides a note whose author is muted or
//	         blocks the account, and while the clip holds notes it cannot list, a later plan takes
//	         such a recorded note as in the clip rather than adding it again (ALREADY_CLIPPED).
//	update   clips/update {clipId: ID, description, isPublic} when After has "update" (always with the
//	         description: Misskey clears it otherwise); then, for After["remove"], clips/notes to see which
//	         of them the clip still holds and clips/remove-note for those only (remove-note of a note that
//	         is not in the clip answers 204 and corrupts its clippedCount); then clips/add-note for After["add"].
//	delete   clips/delete {clipId: ID}.
//
// notes is a set: Misskey lists a clip's notes by note id, whatever the
// order they were added in.
const TypeClip = "clip"

// LiveClip is a clip as clips/list returns it, with its notes when the
// plan manages them.
type LiveClip struct {
	ID          string
	Name        string
	Description string // "" for null
	Public      bool
	// NotesCount is Misskey's count, which includes notes this account
	// cannot see; NoteIDs lists those clips/notes shows (nil when not read).
	NotesCount int
	NoteIDs    []string
	CreatedAt  time.Time
}

// Note check results (Live.CheckedNotes).
const (
	NoteMissing = "missing" // notes/show: NO_SUCH_NOTE
	NoteHidden  = "hidden"  // notes/show: isHidden, this account may not see it
)

func clipKey(name string) string { return "clip." + name }

// notePinned remembers the live id of a pinned note the plan keeps as it
// is: a clip may refer to it as pinned_note.LABEL.
func (p *planState) notePinned(label, id string) {
	if p.pinIDs == nil {
		p.pinIDs = map[string]string{}
	}
	p.pinIDs[label] = id
}

// planClips matches clips by name: description and public are changed in
// place, notes (when the block sets them) are made the exact set written.
func (p *planState) planClips() (ups, dels []*Change) {
	byName := groupBy(p.live.Clips, func(c LiveClip) string { return c.Name })
	refNames := map[string]string{} // live note id → pinned_note.LABEL or scheduled_note.LABEL
	for label, id := range p.pinIDs {
		refNames[id] = pinnedNoteKey(label)
	}
	for _, n := range p.acct.ScheduledNotes {
		if id, ok := p.live.ScheduledNoteID(n.Label); ok {
			refNames[id] = scheduledNoteKey(n.Label)
		}
	}
	show := func(id string) any {
		if r, ok := refNames[id]; ok {
			return r
		}
		return id
	}
	noteLimit := p.policy("noteEachClipsLimit", 200)
	declared := map[string]bool{}
	for _, want := range p.acct.Clips {
		declared[want.Name] = true
		key := clipKey(want.Name)
		p.protect(key, want.Lifecycle)
		matches := byName[want.Name]
		if len(matches) > 1 {
			ids := make([]string, len(matches))
			for i, m := range matches {
				ids[i] = fmt.Sprintf("%s (created %s)", m.ID, m.CreatedAt.UTC().Format(time.RFC3339))
			}
			p.errorf(want.DeclRange, "Ambiguous clip",
				"The account has %d clips named %q: %s; mkctl cannot tell which one this block means. Hint: rename or delete the extra ones in Misskey, then plan again.",
				len(matches), want.Name, strings.Join(ids, ", "))
			continue
		}
		var live *LiveClip
		if len(matches) == 1 {
			live = &matches[0]
			p.adopt(key, live.ID, nil)
		}

		// The desired notes: ids known now, and refs to notes this apply
		// posts (a pinned note created or replaced).
		wantIDs := map[string]bool{}
		var refs []string
		var shown []any
		unposted := 0
		for _, n := range want.Notes {
			switch {
			case n.PinnedNote != "":
				shown = append(shown, n.String())
				if id, ok := p.pinIDs[n.PinnedNote]; ok {
					wantIDs[id] = true
				} else {
					refs = append(refs, pinnedNoteKey(n.PinnedNote))
				}
			case n.ScheduledNote != "":
				// A scheduled note has an id only once Misskey has posted
				// it: until then the clip is planned without it.
				if id, ok := p.live.ScheduledNoteID(n.ScheduledNote); ok {
					shown = append(shown, n.String())
					if p.live.CheckedNotes[id] == NoteMissing {
						// Deleted after posting: clips/add-note would fail
						// with NO_SUCH_NOTE on every apply.
						p.errorf(n.Range, "No such note",
							"clip %q lists %s, but the note Misskey posted for it (%s) has been deleted (notes/show: NO_SUCH_NOTE). Hint: remove %s from notes.", want.Name, n.String(), id, n.String())
						break
					}
					wantIDs[id] = true
					break
				}
				unposted++
				key := scheduledNoteKey(n.ScheduledNote)
				if o, ok := p.live.Ownership.objects()[key]; ok && o.Applied["posted"] == true {
					p.note("%s: Misskey has posted %s, but mkctl did not find the note it posted, so the clip is planned without it. Hint: write the note's id in notes instead.", p.address(key), n.String())
				} else if p.scheduledDraftGoneUnknown(key, o, ok) {
					p.note("%s: the draft of %s is gone after its time and no posted note with its text was found, so mkctl cannot tell whether it was posted; the clip is planned without it. Hint: if it was posted, write the note's id in notes instead.", p.address(clipKey(want.Name)), n.String())
				} else {
					p.note("%s: %s is not posted yet; it will be added to the clip by the first plan and apply after Misskey posts it.", p.address(clipKey(want.Name)), n.String())
				}
			default:
				shown = append(shown, n.ID)
				wantIDs[n.ID] = true
				switch p.live.CheckedNotes[n.ID] {
				case NoteMissing:
					p.errorf(n.Range, "No such note",
						"clip %q lists the note %s, but Misskey has no note with that id (notes/show: NO_SUCH_NOTE). Hint: check the id (the last part of the note's address, https://HOST/notes/ID), or remove it from notes.", want.Name, n.ID)
				case NoteHidden:
					p.errorf(n.Range, "Note not visible to this account",
						"clip %q lists the note %s, which this account may not see. Misskey would clip it, but clips/notes never lists it, so every plan would want to add it again. Hint: remove it from notes.", want.Name, n.ID)
				}
			}
		}
		sort.Slice(shown, func(i, j int) bool { return fmt.Sprint(shown[i]) < fmt.Sprint(shown[j]) })
		hidden := 0
		if live != nil && live.NoteIDs != nil {
			hidden = max(live.NotesCount-len(live.NoteIDs), 0)
		}
		// A hidden note an earlier apply added and the block still
		// declares is in wantIDs already: count it once.
		undeclaredHidden := hidden
		if hidden > 0 {
			listed := map[string]bool{}
			for _, id := range live.NoteIDs {
				listed[id] = true
			}
			for _, id := range p.clipAddedNotes(key, live.ID) {
				if wantIDs[id] && !listed[id] && undeclaredHidden > 0 {
					undeclaredHidden--
					listed[id] = true
				}
			}
		}
		if total := len(wantIDs) + len(refs) + unposted + undeclaredHidden; want.ManageNotes && total > noteLimit {
			p.errorf(want.DeclRange, "Too many clip notes",
				"clip %q would hold %d notes, but this account may put at most %d notes in a clip (role policy noteEachClipsLimit). Hint: remove some notes.",
				want.Name, total, noteLimit)
		}
		if want.ManageNotes && hidden > 0 {
			p.note("%s: the clip holds %d note(s) this account cannot see or has muted (clips/notes does not list them, its count does); mkctl leaves them in the clip.", p.address(key), hidden)
		}

		var desc any
		if want.Description != "" {
			desc = want.Description
		}
		if live == nil {
			after := map[string]any{"name": want.Name, "description": desc, "isPublic": want.Public}
			attrs := []AttrChange{{Name: "description", After: desc}, {Name: "public", After: want.Public}}
			c := &Change{Address: p.address(key), Type: TypeClip, Action: ActionCreate, Key: key, After: after}
			if want.ManageNotes {
				p.clipAdds(c, sortedKeys(wantIDs), refs)
				attrs = append(attrs, AttrChange{Name: "notes", After: nonNil(shown)})
			}
			c.Attrs = attrs
			ups = append(ups, c)
			continue
		}

		after := map[string]any{}
		var attrs []AttrChange
		var liveDesc any
		if live.Description != "" {
			liveDesc = live.Description
		}
		if live.Description != want.Description || live.Public != want.Public {
			// clips/update clears the description unless it is sent:
			// always send it, and public with it.
			after["update"] = map[string]any{"description": desc, "isPublic": want.Public}
			if live.Description != want.Description {
				attrs = append(attrs, AttrChange{Name: "description", Before: liveDesc, After: desc})
			}
			if live.Public != want.Public {
				attrs = append(attrs, AttrChange{Name: "public", Before: live.Public, After: want.Public})
			}
		}
		c := &Change{Address: p.address(key), Type: TypeClip, Action: ActionUpdate, Key: key, ID: live.ID, After: after}
		if want.ManageNotes && live.NoteIDs != nil {
			have := map[string]bool{}
			for _, id := range live.NoteIDs {
				have[id] = true
			}
			// Notes clips/notes hides (a muted author, one who blocks
			// the account) cannot be seen in the clip: those an earlier
			// apply added, and still declared, are taken as in it, as
			// many as the clip holds notes it cannot list.
			var known []string
			for _, id := range p.clipAddedNotes(key, live.ID) {
				if wantIDs[id] {
					known = append(known, id)
					if !have[id] && hidden > 0 {
						have[id] = true
						hidden--
					}
				}
			}
			var add, remove []string
			for id := range wantIDs {
				if !have[id] {
					add = append(add, id)
				}
			}
			for _, id := range live.NoteIDs {
				if !wantIDs[id] {
					remove = append(remove, id)
				}
			}
			sort.Strings(add)
			sort.Strings(remove)
			if len(add)+len(remove)+len(refs) > 0 {
				p.clipAdds(c, add, refs)
				if len(known) > 0 {
					sort.Strings(known)
					c.After["known"] = toAny(known)
				}
				if len(remove) > 0 {
					c.After["remove"] = toAny(remove)
				}
				before := make([]any, 0, len(live.NoteIDs))
				for _, id := range live.NoteIDs {
					before = append(before, show(id))
				}
				sort.Slice(before, func(i, j int) bool { return fmt.Sprint(before[i]) < fmt.Sprint(before[j]) })
				attrs = append(attrs, AttrChange{Name: "notes", Before: before, After: nonNil(shown)})
			}
		}
		if len(attrs) == 0 {
			continue
		}
		c.Attrs = attrs
		ups = append(ups, c)
	}

	unmanaged := 0
	for _, c := range p.live.Clips {
		if declared[c.Name] {
			continue
		}
		key := clipKey(c.Name)
		if !p.owned(key, c.ID) && !p.purged("clips") {
			unmanaged++
			continue
		}
		var desc any
		if c.Description != "" {
			desc = c.Description
		}
		dels = append(dels, &Change{Address: p.address(key), Type: TypeClip, Action: ActionDelete, Key: key, ID: c.ID,
			Attrs: []AttrChange{{Name: "description", Before: desc}, {Name: "public", Before: c.Public}, {Name: "notes", Before: c.NotesCount}}})
	}
	if unmanaged > 0 {
		p.note("%d clip(s) not managed by this configuration (left alone).", unmanaged)
	}
	p.overLimit(countLimit{"clipLimit", 10, "clips", "clips"}, declRanges(p.acct.Clips), unmanaged)
	return ups, dels
}

// clipAddedNotes are the notes an earlier apply put into the clip
// (Owned.Applied["addedNotes"]), when the record holds this clip.
func (p *planState) clipAddedNotes(key, id string) []string {
	o, ok := p.live.Ownership.objects()[key]
	if !ok || o.ID != id {
		return nil
	}
	var out []string
	switch v := o.Applied["addedNotes"].(type) {
	case []any:
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
	case []string:
		out = v
	}
	return out
}

// clipAdds puts the notes to add into a clip change: ids known now, then
// an "" entry per note this apply posts, filled in from Refs["notes.N"].
func (p *planState) clipAdds(c *Change, ids, refs []string) {
	if len(ids)+len(refs) == 0 {
		return
	}
	add := toAny(ids)
	for _, r := range refs {
		if c.Refs == nil {
			c.Refs = map[string]string{}
		}
		c.Refs["notes."+strconv.Itoa(len(add))] = r
		add = append(add, "")
	}
	c.After["add"] = add
}

// clipAdds counts the clips/add-note calls of a change (for the wait
// estimate of the 20/hour limit).
func clipAdds(c *Change) int {
	if c.Type != TypeClip {
		return 0
	}
	add, _ := c.After["add"].([]any)
	return len(add)
}

func nonNil(v []any) []any {
	if v == nil {
		return []any{}
	}
	return v
}

// scheduledDraftGoneUnknown is the scheduled note state planScheduledNotes
// reports as "cannot tell posted from deleted": recorded, its draft gone
// after the recorded time, no posted note found, and its block not moved
// to a later time (which schedules it again, so "not posted yet" holds).
func (p *planState) scheduledDraftGoneUnknown(key string, o Owned, owned bool) bool {
	d := p.live.Drafts
	if !owned || d == nil || d.ReadAt.IsZero() || d.Posted[key] != "" {
		return false
	}
	at := recordedAt(o)
	if at == 0 || at > d.ReadAt.UnixMilli() {
		return false
	}
	for _, dr := range d.Drafts {
		if dr.ID == o.ID {
			return false
		}
	}
	for _, want := range p.acct.ScheduledNotes {
		if scheduledNoteKey(want.Label) == key && want.At.UnixMilli() != at && want.At.After(d.ReadAt) {
			return false
		}
	}
	return true
}
