package export

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// maxSlugWords and maxSlugLen bound a label made from a note's text:
// enough to recognise the note, short enough to type.
const (
	maxSlugWords = 4
	maxSlugLen   = 32
)

// pinnedNotes writes one pinned_note block per pinned note, top first:
// the block order is the order on the profile (schema.PinnedNote), and
// Live.PinnedNotes is top first too. A note the language cannot describe
// is left out with a comment at its place; it stays pinned, unmanaged,
// and the planner keeps the others' order around it.
func (g *gen) pinnedNotes(body *hclwrite.Body) {
	labels := newLabeler()
	// The planner matches a pinned_note block to the first pinned note of
	// the same content (planner/pinned_note.go, step 2). A note left out
	// stays pinned, so a later note of the same content cannot be declared
	// either: its block would stand for the one left out (and re-pin it).
	skipped := map[string]int{} // content → position of the note left out
	for i, n := range g.acc.Live.PinnedNotes {
		body.AppendNewline()
		why := noteProblem(n)
		var files []string
		if why == "" && len(n.FileIDs) > 0 {
			files, why = g.noteFiles(n)
		}
		if why == "" {
			if j, ok := skipped[noteContentKey(n)]; ok {
				why = fmt.Sprintf("pinned note %d, which is not exported, has the same content, and mkctl matches pinned notes by content", j)
			}
		}
		if why != "" {
			if _, ok := skipped[noteContentKey(n)]; !ok {
				skipped[noteContentKey(n)] = i + 1
			}
			comment(body, fmt.Sprintf("Pinned note %d (id %s) is not exported: %s. It stays pinned, not managed by mkctl.", i+1, n.ID, why))
			g.note("pinned note %d (id %s) is not exported: %s; it stays pinned, not managed by mkctl.", i+1, n.ID, why)
			g.count("pinned_notes").Skipped++
			continue
		}
		label := labels.unique(NoteLabel(n.Text, i+1))
		b := body.AppendNewBlock("pinned_note", []string{label}).Body()
		if g.pinLabels == nil {
			g.pinLabels = map[string]string{}
		}
		g.pinLabels[n.ID] = label
		g.count("pinned_notes").Declared++
		b.SetAttributeRaw("text", g.text(n.Text))
		if n.CW != nil {
			b.SetAttributeRaw("cw", g.text(*n.CW))
		}
		if n.Visibility != "public" {
			b.SetAttributeRaw("visibility", str(n.Visibility))
		}
		if n.LocalOnly {
			b.SetAttributeRaw("local_only", boolTok(true))
		}
		if n.ReactionAcceptance != nil {
			b.SetAttributeRaw("reaction_acceptance", str(*n.ReactionAcceptance))
		}
		if len(files) > 0 {
			refs := make([]hclwrite.Tokens, len(files))
			for i, k := range files {
				refs[i] = driveFileRef(k)
			}
			b.SetAttributeRaw("files", hclwrite.TokensForTuple(refs))
		}
	}
}

// noteFiles is the drive paths of the files n attaches, in order, or why
// its block could not attach them: each must be an exported drive file.
func (g *gen) noteFiles(n planner.LiveNote) ([]string, string) {
	if !g.wants("drive_files") {
		return nil, "it has attached files, and the drive files are not exported (--kinds)"
	}
	if len(n.FileIDs) > 16 {
		return nil, fmt.Sprintf("it has %d attached files, more than the 16 a pinned_note block takes", len(n.FileIDs))
	}
	var keys []string
	seen := map[string]bool{}
	for _, id := range n.FileIDs {
		k, ok := g.fileKeys[id]
		if !ok {
			for _, f := range g.acc.Live.DriveFiles {
				if f.ID == id {
					return nil, fmt.Sprintf("its file %s (id %s) is not exported", quoteName(f.Key()), id)
				}
			}
			return nil, fmt.Sprintf("its file %s is not in the account's drive (deleted, or not the account's own)", id)
		}
		if seen[k] {
			return nil, fmt.Sprintf("it attaches the file %s twice", quoteName(k))
		}
		seen[k] = true
		keys = append(keys, k)
	}
	return keys, ""
}

// noteContentKey is what the planner compares of two notes (text, cw,
// visibility, localOnly, reactionAcceptance, and the attached files).
func noteContentKey(n planner.LiveNote) string {
	return fmt.Sprintf("%q %t %q %q %t %t %q %q", n.Text, n.CW != nil, deref(n.CW), n.Visibility, n.LocalOnly,
		n.ReactionAcceptance != nil, deref(n.ReactionAcceptance), n.FileIDs)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// noteProblem says why a pinned_note block cannot describe n exactly, ""
// when it can: what the reader flagged, and what Load would refuse or
// read as something else.
func noteProblem(n planner.LiveNote) string {
	switch {
	case n.Unsupported != "":
		return n.Unsupported
	case n.Text == "":
		return "it has no text"
	case schema.JSTrim(n.Text) != n.Text:
		return "its text starts or ends with white space, which mkctl trims as Misskey does"
	case hasNUL(n.Text):
		return "its text contains a NUL character"
	case schema.CharLen(n.Text) > schema.MaxNoteText:
		return fmt.Sprintf("its text is longer than the %d characters notes/create accepts", schema.MaxNoteText)
	case !slices.Contains(schema.NoteVisibilities, n.Visibility):
		return fmt.Sprintf("its visibility %q is not one mkctl can declare (%s)", n.Visibility, strings.Join(schema.NoteVisibilities, ", "))
	case n.ReactionAcceptance != nil && !slices.Contains(schema.ReactionAcceptances, *n.ReactionAcceptance):
		return fmt.Sprintf("its reaction acceptance %q is not one mkctl knows", *n.ReactionAcceptance)
	}
	if n.CW != nil {
		switch cw := *n.CW; {
		case cw == "":
			return "its content warning is empty, which mkctl reads as none"
		case hasNUL(cw):
			return "its content warning contains a NUL character"
		case schema.CharLen(cw) > schema.MaxNoteCW:
			return fmt.Sprintf("its content warning is longer than the %d characters mkctl accepts", schema.MaxNoteCW)
		}
	}
	return ""
}

// NoteLabel is the label export gives a pinned note: the first words of
// its text in lower case, letters a-z and digits only, joined by "_"
// (at most 4 words and 32 characters): "Good morning, world!" →
// "good_morning_world". A label must start with a letter, so "note_" goes
// in front of one that starts with a digit; text with no such words (CJK,
// emoji only) gets "note_<position>", position counted from the top.
func NoteLabel(text string, position int) string {
	var words []string
	n := 0
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}) {
		if len(words) == maxSlugWords {
			break
		}
		room := maxSlugLen - n - len(words) // separators
		if room <= 0 {
			break
		}
		if len(w) > room {
			w = w[:room]
		}
		words = append(words, w)
		n += len(w)
	}
	slug := strings.Join(words, "_")
	switch {
	case slug == "":
		return fmt.Sprintf("note_%d", position)
	case slug[0] >= '0' && slug[0] <= '9':
		return "note_" + slug
	}
	return slug
}

// labeler makes labels unique: the second "hello" becomes "hello_2".
type labeler struct{ used map[string]bool }

func newLabeler() *labeler { return &labeler{used: map[string]bool{}} }

func (l *labeler) unique(label string) string {
	if !l.used[label] {
		l.used[label] = true
		return label
	}
	for i := 2; ; i++ {
		c := fmt.Sprintf("%s_%d", label, i)
		if !l.used[c] {
			l.used[c] = true
			return c
		}
	}
}
