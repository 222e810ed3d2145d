package planner

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/mkctl/mkctl/schema"
)

func pinnedNoteKey(label string) string { return "pinned_note." + label }

// noteContent is what notes/create takes for a pinned note, in Misskey's
// names. Two notes with the same content are the same pinned note.
func noteContent(n *schema.PinnedNote) map[string]any {
	vis := n.Visibility
	if vis == "" {
		vis = "public"
	}
	return map[string]any{
		"text":               n.Text,
		"cw":                 strPtr(n.CW),
		"visibility":         vis,
		"localOnly":          n.LocalOnly,
		"reactionAcceptance": strPtr(n.ReactionAcceptance),
	}
}

func liveContent(n LiveNote) map[string]any {
	return map[string]any{
		"text":               n.Text,
		"cw":                 strPtr(n.CW),
		"visibility":         n.Visibility,
		"localOnly":          n.LocalOnly,
		"reactionAcceptance": strPtr(n.ReactionAcceptance),
	}
}

func strPtr(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

// noteAttrs shows a note's content with the plan's HCL names.
func noteAttrs(before, after map[string]any) []AttrChange {
	names := []struct{ api, hcl string }{
		{"text", "text"}, {"cw", "cw"}, {"visibility", "visibility"},
		{"localOnly", "local_only"}, {"reactionAcceptance", "reaction_acceptance"},
	}
	var out []AttrChange
	for _, n := range names {
		var b, a any
		if before != nil {
			b = before[n.api]
		}
		if after != nil {
			a = after[n.api]
		}
		if before != nil && after != nil && reflect.DeepEqual(a, b) {
			continue
		}
		if before == nil && a == nil || after == nil && b == nil {
			continue
		}
		out = append(out, AttrChange{Name: n.hcl, Before: b, After: a})
	}
	return out
}

// planPinnedNotes makes the pinned notes those of the configuration, in its
// order. Misskey cannot edit a note nor reorder pins, and shows the most
// recently pinned note first; so a changed note is replaced, and the notes
// above the longest already-correct bottom part are re-pinned bottom-up.
// Removals come first (they free pin slots), then the pins.
func (p *planState) planPinnedNotes() []*Change {
	desired := p.acct.PinnedNotes
	if len(desired) == 0 && !p.purged("pinned_notes") && !p.ownsAny("pinned_note.") {
		return nil // pinned notes are not managed at all
	}
	liveByID := map[string]LiveNote{}
	for _, n := range p.live.PinnedNotes {
		liveByID[n.ID] = n
	}
	// Notes mkctl recorded that are not pinned (unpinned by hand, or an
	// apply stopped between notes/create and i/pin) can be pinned again.
	unpinned := map[string]LiveNote{}
	for _, n := range p.live.UnpinnedOwnedNotes {
		unpinned[n.ID] = n
	}
	matched := map[string]string{}           // live id → label
	match := make([]string, len(desired))    // label index → note id kept as is (maybe to re-pin)
	replaces := make([]string, len(desired)) // label index → note id to replace

	// 1. The record's note for the label, when it still has the content
	// asked for: as Misskey shows it, or as mkctl last applied it (the
	// server may rewrite a note's visibility, e.g. for silenced users).
	for i, want := range desired {
		key := pinnedNoteKey(want.Label)
		p.protect(key, want.Lifecycle)
		o, ok := p.live.Ownership.objects()[key]
		if !ok || matched[o.ID] != "" {
			continue
		}
		n, pinned := liveByID[o.ID]
		if !pinned {
			n, pinned = unpinned[o.ID]
		}
		if !pinned {
			continue
		}
		if (sameContent(liveContent(n), noteContent(want)) || sameContent(o.Applied, noteContent(want))) && p.sameFiles(want, n.FileIDs) {
			match[i], matched[o.ID] = o.ID, want.Label
		}
	}
	// 2. Any pinned note with the same content: adopted. mkctl did not post
	// it, so it will only ever unpin it, never delete it.
	for i, want := range desired {
		if match[i] != "" {
			continue
		}
		for _, n := range p.live.PinnedNotes {
			if matched[n.ID] == "" && sameContent(liveContent(n), noteContent(want)) && p.sameFiles(want, n.FileIDs) {
				match[i], matched[n.ID] = n.ID, want.Label
				applied := map[string]any{"adopted": true}
				if oldKey, ok := p.live.Ownership.keyOf(n.ID); ok {
					// mkctl posted it under another label (the block was
					// renamed): it stays mkctl's own note.
					applied = p.live.Ownership.Objects[oldKey].Applied
				}
				p.adopt(pinnedNoteKey(want.Label), n.ID, applied)
				break
			}
		}
	}
	// 3. The record's note for the label with other content: replace it.
	for i, want := range desired {
		if match[i] != "" {
			continue
		}
		if o, ok := p.live.Ownership.objects()[pinnedNoteKey(want.Label)]; ok && matched[o.ID] == "" {
			_, pinned := liveByID[o.ID]
			_, exists := unpinned[o.ID]
			if pinned || exists {
				replaces[i], matched[o.ID] = o.ID, want.Label
			}
		}
	}

	// Notes nobody declares: delete what mkctl posted, unpin what it
	// adopted or what purge covers, leave the rest pinned (it keeps its slot).
	var removals []*Change
	unmanaged := 0
	for _, n := range append(append([]LiveNote(nil), p.live.PinnedNotes...), p.live.UnpinnedOwnedNotes...) {
		if matched[n.ID] != "" {
			continue
		}
		_, isPinned := liveByID[n.ID]
		key, owned := p.live.Ownership.keyOf(n.ID)
		owned = owned && strings.HasPrefix(key, "pinned_note.")
		switch {
		case owned:
			c := &Change{Address: p.address(key), Type: TypePinnedNote, Action: ActionDelete, Key: key, ID: n.ID,
				Attrs: noteAttrs(liveContent(n), nil)}
			if p.adopted(key) {
				c.After = map[string]any{"keepNote": true}
				c.Reason = "unpinned; mkctl did not post this note, so the note itself is kept"
			}
			removals = append(removals, c)
		case p.purged("pinned_notes") && isPinned:
			key = "pinned_note[" + strconv.Quote(n.ID) + "]"
			removals = append(removals, &Change{Address: p.address(key), Type: TypePinnedNote, Action: ActionDelete, Key: key, ID: n.ID,
				After: map[string]any{"keepNote": true}, Reason: "unpinned because of purge; the note itself is kept",
				Attrs: noteAttrs(liveContent(n), nil)})
		case isPinned:
			unmanaged++
		}
	}
	if unmanaged > 0 {
		p.note("%d pinned note(s) not managed by this configuration (left pinned).", unmanaged)
	}
	if p.overLimit(countLimit{"pinLimit", 5, "pinned notes", "pinned_notes"}, declRanges(desired), unmanaged) {
		return removals
	}
	if canPublic, ok := p.live.Policies["canPublicNote"].(bool); ok && !canPublic {
		for _, want := range desired {
			if noteContent(want)["visibility"] == "public" {
				p.errorf(want.DeclRange, "Public notes not allowed",
					"pinned_note %q is public, but this account may not post public notes (role policy canPublicNote): Misskey would post it as \"home\" and every plan would replace it. Hint: set visibility = \"home\".",
					want.Label)
			}
		}
	}

	// The kept notes that are pinned, in their live order (top first).
	var kept []string
	for _, n := range p.live.PinnedNotes {
		if matched[n.ID] != "" && !isReplaced(n.ID, replaces) {
			kept = append(kept, n.ID)
		}
	}
	// The notes that need no re-pin: the longest bottom part of the
	// desired order whose notes are already pinned in that relative order
	// (others may sit between them: those move to the top anyway). Matching
	// from the bottom, each at the lowest place it can take, finds it.
	k := 0
	for j := len(kept) - 1; k < len(desired); k++ {
		id := match[len(desired)-1-k]
		for j >= 0 && kept[j] != id {
			j--
		}
		if id == "" || j < 0 {
			break
		}
		j--
	}
	for i, want := range desired {
		if match[i] != "" {
			p.notePinned(want.Label, match[i]) // kept: its id stays
		}
	}
	steps := removals
	for i := len(desired) - 1 - k; i >= 0; i-- {
		want := desired[i]
		key := pinnedNoteKey(want.Label)
		applied := noteContent(want)
		content, refs := p.noteCreateParams(want)
		switch {
		case match[i] != "":
			reason := "re-pinned to restore the order; Misskey cannot reorder pins"
			if _, isPinned := liveByID[match[i]]; !isPinned {
				reason = "pinned again: the note exists but is not pinned"
			}
			steps = append(steps, &Change{Address: p.address(key), Type: TypePinnedNote, Action: ActionUpdate, Key: key, ID: match[i],
				Reason: reason,
				Attrs:  []AttrChange{{Name: "position", Before: livePosition(p.live.PinnedNotes, match[i]), After: i + 1}}})
		case replaces[i] != "":
			old, ok := liveByID[replaces[i]]
			if !ok {
				old = unpinned[replaces[i]]
			}
			reason := "notes cannot be edited"
			if sameContent(liveContent(old), applied) && !p.sameFiles(want, old.FileIDs) {
				reason = "notes cannot be edited; its files changed"
			}
			c := &Change{Address: p.address(key), Type: TypePinnedNote, Action: ActionReplace, Key: key, ID: replaces[i],
				After: content, Applied: applied, Refs: refs, Reason: reason,
				Attrs: append(noteAttrs(liveContent(old), content), p.noteFileAttrs(old.FileIDs, want)...)}
			if p.adopted(key) {
				c.After = copyMap(content)
				c.After["keepOld"] = true
				c.Reason = reason + "; the old note was not posted by mkctl, so it is only unpinned"
			}
			steps = append(steps, c)
		default:
			steps = append(steps, &Change{Address: p.address(key), Type: TypePinnedNote, Action: ActionCreate, Key: key,
				After: content, Applied: applied, Refs: refs, Attrs: append(noteAttrs(nil, content), p.noteFileAttrs(nil, want)...)})
		}
	}
	return steps
}

// sameContent compares note contents; a nil side never matches.
func sameContent(a, b map[string]any) bool {
	if a == nil || b == nil {
		return false
	}
	for _, k := range []string{"text", "cw", "visibility", "localOnly", "reactionAcceptance"} {
		if !reflect.DeepEqual(a[k], b[k]) {
			return false
		}
	}
	return true
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}

// adopted reports whether the record says mkctl adopted (did not create)
// the object under key.
func (p *planState) adopted(key string) bool {
	o, ok := p.live.Ownership.objects()[key]
	return ok && o.Applied["adopted"] == true
}

// ownsAny reports whether the record holds any object whose key has prefix.
func (p *planState) ownsAny(prefix string) bool {
	for k := range p.live.Ownership.objects() {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

func isReplaced(id string, replaces []string) bool {
	for _, r := range replaces {
		if r == id {
			return true
		}
	}
	return false
}

// livePosition is where a note is pinned now (1 = top), nil when it is not.
func livePosition(notes []LiveNote, id string) any {
	for i, n := range notes {
		if n.ID == id {
			return i + 1
		}
	}
	return nil
}

// objects is the record's objects, empty for a missing record.
func (o *Ownership) objects() map[string]Owned {
	if o == nil {
		return nil
	}
	return o.Objects
}

// keyOf finds the key of a recorded object by its id.
func (o *Ownership) keyOf(id string) (string, bool) {
	if o == nil {
		return "", false
	}
	for k, obj := range o.Objects {
		if obj.ID == id {
			return k, true
		}
	}
	return "", false
}

// noteCreateParams is notes/create's body for a block, with fileIds when
// it attaches files: the id of each file that stays, and "" for one this
// plan uploads, filled in at apply time from Refs["fileIds.N"] (the file's
// record key).
func (p *planState) noteCreateParams(want *schema.PinnedNote) (map[string]any, map[string]string) {
	content := noteContent(want)
	if len(want.Files) == 0 {
		return content, nil
	}
	ids := p.noteFiles(want)
	list := make([]any, len(ids))
	var refs map[string]string
	for i, id := range ids {
		list[i] = id
		if id == "" {
			if refs == nil {
				refs = map[string]string{}
			}
			refs["fileIds."+strconv.Itoa(i)] = DriveFileKey(want.Files[i])
		}
	}
	content["fileIds"] = list
	return content, refs
}

// noteFileAttrs shows a note's files (drive paths) when they change.
func (p *planState) noteFileAttrs(live []string, want *schema.PinnedNote) []AttrChange {
	before := p.fileNames(live)
	var after []any
	for _, k := range want.Files {
		after = append(after, k)
	}
	if len(before) == 0 && len(after) == 0 {
		return nil
	}
	if reflect.DeepEqual(before, after) {
		return nil // the same paths: a file's content changed (see the replace's reason)
	}
	a := AttrChange{Name: "files"}
	if before != nil {
		a.Before = before
	}
	if after != nil {
		a.After = after
	}
	return []AttrChange{a}
}
