package schema

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Clip is one `clip "NAME" { ... }` block: a clip of the account, found by
// its name (clips/*, API-NOTES §14).
type Clip struct {
	Name        string
	Description string // "" for none: Misskey stores null for ""
	Public      bool
	// Notes is the exact set of notes in the clip when ManageNotes;
	// without a notes attribute mkctl leaves the clip's notes alone.
	Notes       []ClipNote
	ManageNotes bool
	Lifecycle   Lifecycle
	DeclRange   hcl.Range
}

// ClipNote is one entry of a clip's notes: exactly one of the fields is
// set.
type ClipNote struct {
	ID            string // a note id as written
	PinnedNote    string // label of a pinned_note block of the account
	ScheduledNote string // label of a scheduled_note block of the account
	Range         hcl.Range
}

// String is the entry as the configuration spells it.
func (n ClipNote) String() string {
	switch {
	case n.PinnedNote != "":
		return pinnedNoteRefPrefix + n.PinnedNote
	case n.ScheduledNote != "":
		return scheduledNoteRefPrefix + n.ScheduledNote
	}
	return n.ID
}

// Decl is where the block is declared.
func (c *Clip) Decl() hcl.Range { return c.DeclRange }

const (
	maxClipName        = 100  // clips/create name maxLength
	maxClipDescription = 2048 // clips/create description maxLength
	// pinned_note.LABEL evaluates to this prefix and the label, so a
	// clip's notes can tell it from a note id: Misskey ids never hold
	// a dot.
	pinnedNoteRefPrefix    = "pinned_note."
	scheduledNoteRefPrefix = "scheduled_note."
)

// noteIDPattern is api.json's misskey:id format: what clips/add-note
// accepts as a noteId.
var noteIDPattern = regexp.MustCompile(`^[a-zA-Z0-9]+$`)

var clipDesc = bodyDesc{
	What: "a clip block",
	Schema: &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{
			{Name: "description"},
			{Name: "public"},
			{Name: "notes"},
		},
		Blocks: []hcl.BlockHeaderSchema{{Type: "lifecycle"}},
	},
	Aliases: map[string]string{"ispublic": "public", "is_public": "public", "note": "notes", "noteids": "notes", "note_ids": "notes", "desc": "description"},
	Refused: func() map[string]string {
		m := refusedResourceArgs("clip")
		m["name"] = "a clip's name is its label: clip \"reading\" { ... }. Hint: remove name and put the name in the label."
		return m
	}(),
}

type clipBlock struct {
	*resource
	name string
}

func decodeClip(block *hcl.Block) (*clipBlock, hcl.Diagnostics) {
	diags := checkNameLabel(block, "clip", maxClipName, "Misskey accepts at most 100")
	r, _, d := decodeResource(block, clipDesc)
	return &clipBlock{resource: r, name: block.Labels[0]}, append(diags, d...)
}

// evaluate reads the clip. notes is a set: Misskey lists a clip's notes by
// note id, whatever order they were added in, so the order written means
// nothing; an entry written twice is refused.
func (cb *clipBlock) evaluate(s *scope) (*Clip, hcl.Diagnostics) {
	e := &attrEval{s: s, attrs: cb.attrs}
	c := &Clip{Name: cb.name, DeclRange: cb.block.DefRange}
	if d, attr, ctx, st := e.str("description", `description = "to read later"`); st == attrSet {
		if n := ajvLength(d); n > maxClipDescription {
			e.errorf(attr.Expr, ctx, "Value too long",
				"description is %d characters long, but Misskey accepts at most %d. Characters are counted in Unicode code points (an emoji counts 1). Hint: shorten it by %d.", n, maxClipDescription, n-maxClipDescription)
		} else {
			c.Description = d
		}
	}
	c.Public = e.boolean("public", false)

	items, _, ctx, st := e.strings("notes", `notes = [pinned_note.welcome, "9xyz0123ab"]`)
	if st == attrSet || st == attrNull {
		c.ManageNotes = st == attrSet
		c.Notes = []ClipNote{}
	}
	seen := map[string]int{}
	for _, it := range items {
		n := ClipNote{Range: it.expr.Range()}
		ref, label, isRef := s.clipNoteRef(it.value)
		switch {
		case isRef && !slices.Contains(ref.labels, label):
			e.errorf(it.expr, ctx, "Unknown "+ref.noun,
				"notes[%d] is %q, but this account has no %s %q.%s Hint: refer to a %s of this account as %sLABEL.", it.index, it.value, ref.block, label, didYouMean(label, ref.labels), ref.noun, ref.prefix)
			continue
		case isRef:
			*ref.field(&n) = label
		case !noteIDPattern.MatchString(it.value):
			e.errorf(it.expr, ctx, "Invalid note id",
				"notes[%d] is %q, which is not a Misskey note id (letters and digits only, e.g. \"9xyz0123ab\"). Hint: write the id from the note's address (https://HOST/notes/ID), or refer to a pinned note as pinned_note.LABEL.", it.index, it.value)
			continue
		default:
			n.ID = it.value
		}
		if first, dup := seen[n.String()]; dup {
			e.errorf(it.expr, ctx, "Duplicate clip note",
				"notes[%d] (%s) is already notes[%d]; a clip holds a note once. Hint: remove one of them.", it.index, n.String(), first)
			continue
		}
		seen[n.String()] = it.index
		c.Notes = append(c.Notes, n)
	}

	lc, d := cb.lifecycle.evaluate(s)
	c.Lifecycle = lc
	return c, append(e.diags, d...)
}

// withNoteLabels returns the scope of one account instance whose
// pinned_note and scheduled_note blocks have the given labels: a clip's
// notes refer to them as pinned_note.LABEL and scheduled_note.LABEL,
// which read "pinned_note.LABEL" (see ClipNote).
func (s *scope) withNoteLabels(pinned, scheduled []string) *scope {
	c := *s
	c.pinnedLabels, c.scheduledLabels = pinned, scheduled
	c.noteRefs = true
	c.ctx, c.parentCtx = nil, nil
	c.ctx = c.evalContext()
	return &c
}

// clipNoteRef is a kind of note a clip's notes may name by label.
type clipNoteRef struct {
	prefix, block, noun string
	labels              []string // the labels the account declares
	field               func(*ClipNote) *string
}

// clipNoteRef tells a reference to a note block (pinned_note.LABEL,
// scheduled_note.LABEL: what those references evaluate to) from a note
// id, which never holds a dot.
func (s *scope) clipNoteRef(value string) (clipNoteRef, string, bool) {
	for _, r := range []clipNoteRef{
		{pinnedNoteRefPrefix, "pinned_note", "pinned note", s.pinnedLabels, func(n *ClipNote) *string { return &n.PinnedNote }},
		{scheduledNoteRefPrefix, "scheduled_note", "scheduled note", s.scheduledLabels, func(n *ClipNote) *string { return &n.ScheduledNote }},
	} {
		if label, ok := strings.CutPrefix(value, r.prefix); ok {
			return r, label, true
		}
	}
	return clipNoteRef{}, "", false
}

// noteRefObject is the pinned_note or scheduled_note object of an account.
func noteRefObject(prefix string, labels []string) cty.Value {
	if len(labels) == 0 {
		return cty.EmptyObjectVal
	}
	attrs := make(map[string]cty.Value, len(labels))
	for _, l := range labels {
		attrs[l] = cty.StringVal(prefix + l)
	}
	return cty.ObjectVal(attrs)
}

// checkNoteRef checks a pinned_note.LABEL or scheduled_note.LABEL reference
// before evaluation, so a wrong label gets the declared ones and a
// did-you-mean rather than hcl's bare "Unsupported attribute".
func (s *scope) checkNoteRef(rng hcl.Range, kind, name string, hasName bool) hcl.Diagnostics {
	if !s.noteRefs {
		return hcl.Diagnostics{errorf(rng, fmt.Sprintf("Reference to %q outside an account block", kind),
			"%s.LABEL refers to a %s block of an account, so it can be used only inside that account block (in a clip's notes). Hint: move the expression into the account block.", kind, kind)}
	}
	labels := s.pinnedLabels
	if kind == "scheduled_note" {
		labels = s.scheduledLabels
	}
	declared := fmt.Sprintf("This account declares no %s blocks.", kind)
	if len(labels) > 0 {
		declared = fmt.Sprintf("The %s blocks of this account are %s.", kind, quotedList(labels))
	}
	if !hasName {
		return hcl.Diagnostics{errorf(rng, "Invalid reference",
			"%s is not a value by itself. %s Hint: refer to one, e.g. %s.%s.", kind, declared, kind, firstOr(labels, "welcome"))}
	}
	for _, l := range labels {
		if l == name {
			return nil
		}
	}
	return hcl.Diagnostics{errorf(rng, "Unsupported attribute",
		"This object does not have an attribute named %q: the account has no %s block of that name.%s %s Hint: declare it in the same account block, %s %s { ... }; a clip can only refer to notes of its own account this way (write any other note's id as a string).",
		name, kind, didYouMean(name, labels), declared, kind, quote(name))}
}

// pinnedLabels is the declared pinned_note labels, in declaration order.
func (rb *resourceBlocks) pinnedLabels() []string {
	out := make([]string, len(rb.pinnedNotes))
	for i, p := range rb.pinnedNotes {
		out[i] = p.label
	}
	return out
}

// scheduledLabels is the declared scheduled_note labels, in declaration
// order.
func (rb *resourceBlocks) scheduledLabels() []string {
	out := make([]string, len(rb.scheduled))
	for i, n := range rb.scheduled {
		out[i] = n.note.label
	}
	return out
}
