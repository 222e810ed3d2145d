package planner

import (
	"reflect"
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
// above the longest already-correct bottom run are re-pinned bottom-up.
// Removals come first (they free pin slots), then the pins.
func (p *planState) planPinnedNotes() []*Change {
	desired := p.acct.PinnedNotes
	liveByID := map[string]LiveNote{}
	for _, n := range p.live.PinnedNotes {
		liveByID[n.ID] = n
	}
	matched := map[string]string{}           // live id → label
	match := make([]string, len(desired))    // label index → live id kept as is
	replaces := make([]string, len(desired)) // label index → live id to replace

	// 1. The record's note for the label, when its content still matches.
	for i, want := range desired {
		key := pinnedNoteKey(want.Label)
		p.protect(key, want.Lifecycle)
		if o, ok := p.live.Ownership.objects()[key]; ok {
			if n, ok := liveByID[o.ID]; ok && matched[o.ID] == "" {
				if reflect.DeepEqual(liveContent(n), noteContent(want)) {
					match[i], matched[o.ID] = o.ID, want.Label
				}
			}
		}
	}
	// 2. Any pinned note with the same content (adopted).
	for i, want := range desired {
		if match[i] != "" {
			continue
		}
		for _, n := range p.live.PinnedNotes {
			if matched[n.ID] == "" && reflect.DeepEqual(liveContent(n), noteContent(want)) {
				match[i], matched[n.ID] = n.ID, want.Label
				p.adopt(pinnedNoteKey(want.Label), n.ID, nil)
				break
			}
		}
	}
	// 3. The record's note for the label with other content: replace it.
	for i, want := range desired {
		if match[i] != "" {
			continue
		}
		if o, ok := p.live.Ownership.objects()[pinnedNoteKey(want.Label)]; ok {
			if _, pinned := liveByID[o.ID]; pinned && matched[o.ID] == "" {
				replaces[i], matched[o.ID] = o.ID, want.Label
			}
		}
	}

	// Pinned notes nobody declares: delete what mkctl owns, unpin what
	// purge covers, leave the rest (it keeps its slot).
	var removals []*Change
	unmanaged := 0
	for _, n := range p.live.PinnedNotes {
		if matched[n.ID] != "" {
			continue
		}
		key, owned := p.live.Ownership.keyOf(n.ID)
		owned = owned && strings.HasPrefix(key, "pinned_note.")
		switch {
		case owned:
			removals = append(removals, &Change{Address: p.address(key), Type: TypePinnedNote, Action: ActionDelete, Key: key, ID: n.ID,
				Attrs: noteAttrs(liveContent(n), nil)})
		case p.purged("pinned_notes"):
			key = "pinned_note[" + n.ID + "]"
			removals = append(removals, &Change{Address: p.address(key), Type: TypePinnedNote, Action: ActionDelete, Key: key, ID: n.ID,
				After: map[string]any{"keepNote": true}, Reason: "unpinned because of purge; the note itself is kept",
				Attrs: noteAttrs(liveContent(n), nil)})
		default:
			unmanaged++
		}
	}
	if unmanaged > 0 {
		p.note("%d pinned note(s) not managed by this configuration (left pinned).", unmanaged)
	}
	if limit := p.policy("pinLimit", 5); len(desired)+unmanaged > limit {
		over := desired[max(limit-unmanaged, 0)]
		p.errorf(over.DeclRange, "Too many pinned notes",
			"This configuration pins %d notes and %d other pinned note(s) stay, but this account may pin at most %d (role policy pinLimit). Hint: remove pinned_note blocks, or add \"pinned_notes\" to purge to unpin the others.",
			len(desired), unmanaged, limit)
		return removals
	}

	// The kept notes in their live order (top first).
	var kept []string
	for _, n := range p.live.PinnedNotes {
		if l := matched[n.ID]; l != "" && !isReplaced(n.ID, replaces) {
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
	steps := removals
	for i := len(desired) - 1 - k; i >= 0; i-- {
		want := desired[i]
		key := pinnedNoteKey(want.Label)
		content := noteContent(want)
		switch {
		case match[i] != "":
			steps = append(steps, &Change{Address: p.address(key), Type: TypePinnedNote, Action: ActionUpdate, Key: key, ID: match[i],
				Reason: "re-pinned to restore the order (Misskey cannot reorder pins)",
				Attrs:  []AttrChange{{Name: "position", Before: position(kept, match[i]), After: i + 1}}})
		case replaces[i] != "":
			steps = append(steps, &Change{Address: p.address(key), Type: TypePinnedNote, Action: ActionReplace, Key: key, ID: replaces[i],
				After: content, Applied: content, Reason: "notes cannot be edited",
				Attrs: noteAttrs(liveContent(liveByID[replaces[i]]), content)})
		default:
			steps = append(steps, &Change{Address: p.address(key), Type: TypePinnedNote, Action: ActionCreate, Key: key,
				After: content, Applied: content, Attrs: noteAttrs(nil, content)})
		}
	}
	return steps
}

func isReplaced(id string, replaces []string) bool {
	for _, r := range replaces {
		if r == id {
			return true
		}
	}
	return false
}

func position(ids []string, id string) any {
	for i, x := range ids {
		if x == id {
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
